"""The calendar's services: the overrides other domains count with (cached per request), the office's
changes (permission, one entry per date, a make-up day on a weekend), the idempotent seed, the CLI."""
from datetime import date

import pytest

from fieldsvc.audit import AuditEntry
from fieldsvc.calendar import services
from fieldsvc.calendar.models import CalendarDay
from fieldsvc.calendar.schedule import SCHEDULES
from fieldsvc.errors import Invalid, NotAllowed, NotFound

EN = {"Accept-Language": "en"}


@pytest.fixture
def en_request(app):
    with app.test_request_context(headers=EN, method="POST"):
        yield


def test_seed_enters_both_years_once(db):
    added = services.seed()
    assert added == len(SCHEDULES[2026]) + len(SCHEDULES[2027])
    db.session.commit()
    assert services.seed() == 0
    assert db.session.query(CalendarDay).count() == added


def test_seed_leaves_the_offices_own_entries(db, staff, en_request):
    services.add_day(staff["director"], {"day": date(2026, 10, 1), "kind": "holiday", "name": "国庆（自填）"})
    services.seed([2026])
    db.session.commit()
    row = db.session.query(CalendarDay).filter_by(day=date(2026, 10, 1)).one()
    assert row.name == "国庆（自填）"
    assert db.session.query(CalendarDay).count() == len(SCHEDULES[2026])


def test_overrides_cover_every_year_of_the_range(db):
    services.seed()
    db.session.commit()
    days = services.overrides(date(2026, 12, 1), date(2027, 1, 10))
    assert days[date(2026, 10, 10)] == "workday" and days[date(2027, 2, 6)] == "holiday"
    assert services.overrides(date(2028, 1, 1), date(2028, 12, 31)) == {}
    assert services.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert services.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_overrides_are_read_once_per_request_and_forgotten_on_a_change(db, staff, en_request, app):
    from sqlalchemy import event
    services.seed([2026])
    db.session.commit()
    statements = []

    def count(*args):
        statements.append(args[2])
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for _ in range(5):
            services.overrides(date(2026, 1, 1), date(2026, 6, 30))
        assert len([s for s in statements if "calendar_days" in s]) == 1
        services.add_day(staff["director"], {"day": date(2026, 3, 9), "kind": "holiday", "name": "停工"})
        assert services.overrides(date(2026, 3, 1), date(2026, 3, 31))[date(2026, 3, 9)] == "holiday"
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_only_the_office_maintains_the_calendar(db, staff, en_request):
    for username in ("station_chief", "repair_tech", "safety_officer"):
        with pytest.raises(NotAllowed):
            services.add_day(staff[username], {"day": date(2026, 3, 9), "kind": "holiday", "name": "x"})
        with pytest.raises(NotAllowed):
            services.list_year(staff[username], 2026)
    row = services.add_day(staff["statistician"], {"day": date(2026, 3, 9), "kind": "holiday", "name": "停工"})
    assert row.created_by_id == staff["statistician"].id
    assert services.list_year(staff["director"], 2026) == [row]


def test_one_entry_per_date_and_make_up_days_on_weekends(db, staff, en_request):
    director = staff["director"]
    services.add_day(director, {"day": date(2026, 3, 7), "kind": "workday", "name": "调休"})
    with pytest.raises(Invalid) as taken:
        services.add_day(director, {"day": date(2026, 3, 7), "kind": "holiday", "name": "again"})
    assert "day" in taken.value.errors and "调休" in taken.value.errors["day"][0]
    with pytest.raises(Invalid) as weekday:
        services.add_day(director, {"day": date(2026, 3, 6), "kind": "workday", "name": "Friday"})
    assert "Saturday or Sunday" in weekday.value.errors["kind"][0]
    assert db.session.query(CalendarDay).count() == 1


def test_remove_is_audited_and_unknown_ids_are_404(db, staff, en_request):
    row = services.add_day(staff["director"], {"day": date(2026, 3, 9), "kind": "holiday", "name": "停工"})
    day_id = row.id
    services.remove_day(staff["director"], day_id)
    assert db.session.get(CalendarDay, day_id) is None
    actions = [a for (a,) in db.session.query(AuditEntry.action).filter(AuditEntry.entity == "calendar_day")]
    assert actions == ["calendar.add", "calendar.remove"]
    for bad in (day_id, 0, -1, 2**40):
        with pytest.raises(NotFound):
            services.remove_day(staff["director"], bad)


def test_cli_seed(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["calendar", "seed", "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert f"calendar days added: {len(SCHEDULES[2026])}" in result.output
    again = runner.invoke(args=["calendar", "seed"])
    assert f"calendar days added: {len(SCHEDULES[2027])}" in again.output
    assert runner.invoke(args=["calendar", "seed", "--year", "1999"]).exit_code != 0


def test_the_demo_seeds_the_calendar(db):
    from fieldsvc.calendar import demo
    assert demo.seed_demo(None, date(2026, 11, 28), "small") == {
        "calendar_days": len(SCHEDULES[2026]) + len(SCHEDULES[2027])}
    assert demo.seed_demo(None, date(2026, 11, 28), "small") == {"calendar_days": 0}
