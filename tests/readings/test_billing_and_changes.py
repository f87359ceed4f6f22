"""Bills from readings (tiers, the annual cycle, whole m³), the meter change, review conflicts."""
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from fieldsvc import clock
from fieldsvc.errors import Conflict, Invalid, NotAllowed
from fieldsvc.readings.models import Bill, RouteStop
from fieldsvc.readings.services import recording, review, skips


def at(day: date, hour=10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=clock.zone())


def test_bill_straddling_new_year_restarts_tiers(world, db):
    _c, meter = world.customer(installed_days_ago=3000)
    chief = world.chief
    # Last year: 340 m³ billed by 17 December; then 17 Dec → 16 Jan uses 60 m³ (30 in each cycle).
    year = clock.today().year - 1
    recording.record_reading(chief, meter.id, {"value": Decimal(0), "read_at": at(date(year, 1, 1))})
    recording.record_reading(chief, meter.id, {"value": Decimal(340), "read_at": at(date(year, 12, 17))})
    r = recording.record_reading(chief, meter.id, {"value": Decimal(400), "read_at": at(date(year + 1, 1, 16))})
    bill = db.session.execute(select(Bill).where(Bill.reading_id == r.id)).scalar_one()
    assert [(ln.cycle_start.year, ln.tier, ln.volume_m3, ln.amount) for ln in bill.lines] == [
        (year, 1, Decimal(10), Decimal("26.10")), (year, 2, Decimal(20), Decimal("62.60")),
        (year + 1, 1, Decimal(30), Decimal("78.30"))]
    assert bill.amount == Decimal("167.00")


def test_whole_m3_billing_keeps_fractions_for_later(world, db):
    _c, meter = world.customer(installed_days_ago=100)
    chief = world.chief
    base = clock.today() - timedelta(days=60)
    first = recording.record_reading(chief, meter.id, {"value": Decimal("10.7"), "read_at": at(base)})
    second = recording.record_reading(chief, meter.id, {"value": Decimal("20.4"), "read_at": at(base + timedelta(days=30))})
    volumes = [db.session.execute(select(Bill.volume_m3).where(Bill.reading_id == r.id)).scalar() for r in (first, second)]
    assert volumes == [Decimal(10), Decimal(10)]  # 0 → 10.7 bills 10; 10.7 → 20.4 bills 20 − 10 = 10
    assert second.consumption_m3 == Decimal("9.7")


def test_commercial_customer_flat_price(world, db):
    _c, meter = world.customer(category="commercial", size="G10", installed_days_ago=40)
    r = recording.record_reading(world.chief, meter.id, {"value": Decimal(800)})
    bill = db.session.execute(select(Bill).where(Bill.reading_id == r.id)).scalar_one()
    assert bill.amount == Decimal("2760.00") and len(bill.lines) == 1
    assert bill.due_on == bill.issued_on + timedelta(days=15)


def test_zero_consumption_is_not_billed(world, db):
    _c, meter = world.customer()
    world.history(meter, [10, 0], periods=2)
    r = recording.record_reading(world.chief, meter.id, {"value": Decimal(10)})
    assert r.codes == ["zero"] and r.status == "pending"
    review.approve(world.chief, r.id)
    assert db.session.execute(select(Bill).where(Bill.reading_id == r.id)).first() is None


def test_send_back_refused_when_a_later_reading_builds_on_it(world, db):
    _c, meter = world.customer()
    day = clock.today().day
    world.history(meter, 30, periods=4, last_days_ago=day + 35)
    flagged = recording.record_reading(world.chief, meter.id, {  # last month: one reading a month
        "value": Decimal(320), "read_at": clock.now() - timedelta(days=day + 2), "confirm": True, "reason": "checked"})
    recording.record_reading(world.chief, meter.id, {"value": Decimal(322)})
    with pytest.raises(Conflict):
        review.send_back(world.chief, flagged.id)


def test_meter_change(world, db, staff):
    from fieldsvc.customers import services as customers
    customer, old = world.customer()
    world.route([old])
    last = world.history(old, 30, periods=6)
    new = customers.create_meter(world.director, {"serial_no": "NEW0001", "size": "G2.5", "accuracy_class": "1.5",
                                                  "kind": "diaphragm", "location": "indoor", "digits": 5})
    with pytest.raises(Invalid):
        skips.change_meter(world.chief, old, {"on": clock.today(), "final_value": last + 20, "new_serial": "NOPE"})
    yesterday = clock.today() - timedelta(days=1)
    final, start = skips.change_meter(world.chief, old, {"on": yesterday, "final_value": last + 20,
                                                         "new_serial": "NEW0001", "start_value": Decimal(3)})
    db.session.commit()
    assert final.kind == "final" and final.consumption_m3 == 20
    assert db.session.execute(select(Bill).where(Bill.reading_id == final.id)).scalar_one().volume_m3 == 20
    assert start.kind == "start" and start.value == 3 and start.meter_id == new.id
    assert old.status == "removed" and new.customer_id == customer.id and new.status == "installed"
    stop = db.session.execute(select(RouteStop)).scalar_one()
    assert stop.meter_id == new.id
    later = recording.record_reading(world.staff["meter_reader"], new.id, {"value": Decimal(10)})
    assert later.consumption_m3 == 7  # from the new meter's start reading
    with pytest.raises(NotAllowed):
        skips.change_meter(world.staff["meter_reader"], new, {"on": clock.today(), "final_value": 10,
                                                              "new_serial": "NEW0001"})


def test_meter_change_page(world, db, login):
    from fieldsvc.customers import services as customers
    _customer, old = world.customer()
    last = world.history(old, 30, periods=3)
    customers.create_meter(world.director, {"serial_no": "NEW0002", "size": "G2.5", "accuracy_class": "1.5",
                                            "kind": "diaphragm", "location": "indoor", "digits": 5})
    db.session.commit()
    client = login("station_chief")
    assert client.get(f"/readings/meters/{old.id}/change").status_code == 200
    bad = client.post(f"/readings/meters/{old.id}/change", data={"on": clock.today().isoformat(),
                                                                 "final_value": str(last - 5), "new_serial": "NEW0002"},
                      headers={"Accept-Language": "en"})
    assert bad.status_code == 422 and "lower than the previous reading" in bad.get_data(as_text=True)
    ok = client.post(f"/readings/meters/{old.id}/change", data={"on": clock.today().isoformat(),
                                                                "final_value": str(last + 5), "new_serial": "NEW0002"})
    assert ok.status_code == 302
