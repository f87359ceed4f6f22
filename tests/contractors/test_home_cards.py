"""The safety office's home cards for contractor licences and emergency plans: counts only, shown when there
is something to do, fetched with every other card's figures (tests/test_cache.py pins the statements)."""
from datetime import timedelta

from fieldsvc import clock
from fieldsvc.contractors.services import register
from fieldsvc.management.services import emergency_plans


def _firm(staff, name, days):
    return register.create_contractor(staff["safety_officer"], {
        "name": name, "licence_no": "JZ-1", "licence_expires_on": clock.today() + timedelta(days=days),
        "scope": "户内燃气管道改装", "supervisor_ids": [staff["pipe_fitter"].id]})


def _plan(staff, days):
    return emergency_plans.create_plan(staff["safety_officer"], {
        "title": f"预案 {days}", "scenario": "leak", "review_on": clock.today() + timedelta(days=days)})


def _home(login, role):
    return login(role).get("/", headers={"Accept-Language": "en"}).text


def test_nothing_to_do_shows_no_card(staff, db, login):
    _firm(staff, "安信", 200)
    _plan(staff, 200)
    db.session.commit()
    page = _home(login, "safety_officer")
    assert "Contractor licences" not in page and "Emergency plans past review" not in page


def test_expired_and_expiring_licences_and_plans_due_are_counted(staff, db, login):
    for name, days in (("甲", -1), ("乙", -30), ("丙", 0), ("丁", 30), ("戊", 31)):
        _firm(staff, name, days)
    for days in (-5, 0, 30, 31):
        _plan(staff, days)
    db.session.commit()
    for role in ("safety_officer", "director"):
        page = _home(login, role)
        assert "<strong>2</strong><span>Contractor licences expired" in page
        assert "<strong>2</strong><span>Contractor licences running out" in page
        assert "<strong>1</strong><span>Emergency plans past review" in page
        assert "<strong>2</strong><span>Emergency plans to review this month" in page
    assert "Contractor licences" not in _home(login, "station_chief")  # reads the register, keeps no licences
