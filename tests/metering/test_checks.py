"""Weekly in-home meter checks: the weighted sample, the visit, the ledger, the service-life list."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from fieldsvc.customers.models import Customer, District, Meter
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.metering import rules
from fieldsvc.metering.models import MeterCheck
from fieldsvc.metering.services import checks
from tests.metering.test_pages import EN


@pytest.fixture
def town(lab, db):
    """40 installed meters: 20 new (verified last year) and 20 old (verified 9 years ago), NG and LPG."""
    district = db.session.query(District).first()
    today = lab.today
    for n in range(40):
        old = n % 2 == 0
        customer = Customer(account_no=f"4200{n:04d}", name=f"用户{n}", category="residential",
                            gas="LPG" if n % 4 == 0 else "NG", district_id=district.id, address=f"和平里 {n} 号")
        verified = today - timedelta(days=365 * 9 if old else 300)
        db.session.add(Meter(serial_no=f"T-{n:04d}", size="G2.5", accuracy_class="1.5", kind="diaphragm",
                             location="indoor", status="installed", customer=customer, first_verified_on=verified,
                             installed_on=verified + timedelta(days=10), start_reading=Decimal(0)))
    db.session.commit()
    return lab


def test_sample_is_drawn_once_a_week_and_favours_old_meters(town, en_request, db):
    drawn = checks.draw_sample(town.staff["metering_tech"], size=10, seed=3)
    assert len(drawn) == 10 and len({c.meter_id for c in drawn}) == 10
    assert {c.week_start for c in drawn} == {rules.week_start(town.today)}
    with pytest.raises(Conflict):
        checks.draw_sample(town.staff["metering_tech"], size=10)
    # Over many weeks the old meters (weight ~10) come up far more often than the new ones (~1.8).
    old = 0
    for week in range(1, 30):
        for c in checks.draw_sample(town.staff["metering_tech"], day=town.today + timedelta(weeks=week),
                                    size=10, seed=week):
            old += db.session.get(Meter, c.meter_id).first_verified_on < town.today - timedelta(days=1000)
    assert old / (29 * 10) > 0.6


def test_visit_records_findings_and_life_rule(town, en_request, db):
    drawn = checks.draw_sample(town.staff["metering_tech"], size=40, seed=1)
    lpg_old = next(c for c in drawn if c.customer.gas == "LPG")  # 9 years on LPG: past its 6-year life
    with pytest.raises(Invalid) as exc:
        checks.record_visit(town.staff["metering_tech"], lpg_old, {"outcome": "done", "findings": []})
    assert set(exc.value.errors) == {"reading", "seal_ok"}
    checks.record_visit(town.staff["metering_tech"], lpg_old,
                        {"outcome": "done", "reading": Decimal("1234.5"), "seal_ok": False, "findings": []})
    assert lpg_old.status == "done" and set(lpg_old.findings) == {"life_reached", "seal_broken"}
    with pytest.raises(Conflict):
        checks.record_visit(town.staff["metering_tech"], lpg_old, {"outcome": "no_access"})
    other = next(c for c in drawn if c.status == "planned")
    checks.record_visit(town.staff["metering_tech2"], other, {"outcome": "no_access", "findings": ["tampering"]})
    assert other.status == "no_access" and other.findings == []
    db.session.commit()
    lines, total = checks.ledger(town.staff["director"], town.today - timedelta(days=7), town.today,
                                 findings_only=True)
    assert total == 1 and lines[0].id == lpg_old.id


def test_service_life_list(town, en_request):
    rows = checks.meters_reaching_life(town.staff["metering_head"])
    serials = {m.serial_no for m, status, _ in rows}
    # LPG meters verified 9 years ago are past life; NG ones (10 years) are not yet within 90 days.
    assert serials == {f"T-{n:04d}" for n in range(0, 40, 4)}
    assert all(status == "expired" for _, status, _ in rows)


def test_visit_pages_on_the_phone(town, login, db):
    tech = login("metering_tech")
    assert "Draw this week" in tech.get("/metering/checks", headers=EN).get_data(as_text=True)
    assert tech.post("/metering/checks/draw").status_code == 302
    listing = tech.get("/metering/checks", headers=EN).get_data(as_text=True)
    check = db.session.query(MeterCheck).first()
    assert check.meter.serial_no in listing
    bad = tech.post(f"/metering/checks/{check.id}", data={"outcome": "done", "reading": "-5", "note": "门口有狗"},
                    headers=EN)
    assert bad.status_code == 422 and "门口有狗" in bad.get_data(as_text=True)
    ok = tech.post(f"/metering/checks/{check.id}", data={"outcome": "done", "reading": "88.1", "seal_ok": "1",
                                                         "findings": ["obstructed", "meter_damaged"]})
    assert ok.status_code == 302
    db.session.expire_all()
    assert set(db.session.get(MeterCheck, check.id).findings) >= {"obstructed", "meter_damaged"}
    ledger = login("safety_officer").get("/metering/checks/ledger?findings=1", headers=EN).get_data(as_text=True)
    assert check.meter.serial_no in ledger and "Meter obstructed" in ledger
    assert login("safety_officer").post("/metering/checks/draw").status_code == 403
    assert "T-0000" in tech.get("/metering/checks/life").get_data(as_text=True)
    assert login("meter_reader").get("/metering/checks").status_code == 403


def test_week_start_of_a_sunday_is_the_monday_before():
    assert rules.week_start(date(2026, 11, 29)) == date(2026, 11, 23)
