"""What a completed work order writes into the readings domain (RULES.md §5), through the services dispatch
calls: the meter replacement (`change_meter_for_order`) and a suspension's final reading (`record_for_order`).
The technician completing the order has no readings permission: the order's completion is the authority."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from fieldsvc import clock
from fieldsvc.audit import AuditEntry
from fieldsvc.customers import services as customers
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.readings import rules
from fieldsvc.readings.models import Bill, Reading, RouteStop, Skip
from fieldsvc.readings.services import history, recording, skips

ORDER = 4242


@pytest.fixture
def site(world, db):
    """A customer's meter on a route, read monthly until last month, and a meter in stock."""
    customer, old = world.customer()
    world.route([old])
    last = world.history(old, 30, periods=6, last_days_ago=clock.today().day + 5)
    new = customers.create_meter(world.director, {"serial_no": "NEW0100", "size": "G2.5", "accuracy_class": "1.5",
                                                  "kind": "diaphragm", "location": "indoor", "digits": 5})
    db.session.commit()
    return customer, old, new, last


@pytest.fixture
def tech(staff):
    return staff["repair_tech"]


def audit_data(db, action) -> list[dict]:
    return [e.data for e in db.session.execute(select(AuditEntry).where(AuditEntry.action == action)).scalars()]


def test_meter_replacement_from_an_order(db, site, tech):
    customer, old, new, last = site
    damaged = Skip(meter_id=old.id, customer_id=customer.id, cycle=rules.cycle_of(clock.today()),
                   code="meter_damaged", status="open")
    db.session.add(damaged)
    final, start = skips.change_meter_for_order(tech, old, new_serial="NEW0100", final_value=last + 20,
                                                start_value=Decimal(5), on=clock.today(), work_order_id=ORDER)
    assert (final.kind, final.source, final.consumption_m3, final.meter_id) == ("final", "work_order", 20, old.id)
    assert db.session.execute(select(Bill.volume_m3).where(Bill.reading_id == final.id)).scalar_one() == 20
    assert (start.kind, start.source, start.value, start.meter_id) == ("start", "work_order", 5, new.id)
    assert old.status == "removed" and old.customer_id is None
    assert (new.status, new.customer_id, new.installed_on, new.start_reading) == (
        "installed", customer.id, clock.today(), 5)
    assert db.session.execute(select(RouteStop.meter_id)).scalar_one() == new.id
    assert damaged.status == "resolved"
    change = audit_data(db, "reading.meter_change")[0]
    assert change["work_order_id"] == ORDER and change["new_meter_id"] == new.id
    assert {d.get("work_order_id") for d in audit_data(db, "reading.record")} == {ORDER}
    previous = history.for_meter(new).context.previous
    assert (previous.value, previous.kind) == (5, "start")  # the new meter counts from its start reading


@pytest.mark.parametrize("change, field, text", [
    ({"new_serial": "NOPE"}, "new_serial", "No meter in stock"),
    ({"new_serial": "T0000001"}, "new_serial", "No meter in stock"),       # installed at a customer
    ({"final_value": -5}, "old_reading", "negative:"),                    # lower than the previous reading
    ({"final_value": None}, "old_reading", "Enter this reading"),
    ({"start_value": Decimal(100000)}, "new_reading", "0 to 99999"),       # more than a 5-digit register shows
    ({"start_value": None}, "new_reading", "Enter this reading"),
])
def test_meter_replacement_errors_name_the_order_fields(db, site, tech, english, change, field, text):
    _customer, old, new, last = site
    args = {"new_serial": "NEW0100", "final_value": last + 20, "start_value": Decimal(0), "on": clock.today(),
            "work_order_id": ORDER}
    args.update(change)
    if args["final_value"] is not None and args["final_value"] < 0:
        args["final_value"] = last + args["final_value"]
    with pytest.raises(Invalid) as exc:
        skips.change_meter_for_order(tech, old, **args)
    assert list(exc.value.errors) == [field] and text in exc.value.errors[field][0]
    assert old.status == "installed" and new.status == "in_stock"
    assert db.session.execute(select(func.count(Reading.id)).where(Reading.source == "work_order")).scalar_one() == 0


def test_the_chiefs_page_keeps_its_own_field_names(world, db, site, english):
    _customer, old, _new, last = site
    with pytest.raises(Invalid) as exc:
        skips.change_meter(world.chief, old, {"on": clock.today(), "final_value": last - 5, "new_serial": "NEW0100"})
    assert list(exc.value.errors) == ["final_value"]
    with pytest.raises(Invalid) as exc:
        skips.change_meter(world.chief, old, {"on": clock.today() + timedelta(days=1), "final_value": last + 5,
                                              "new_serial": "NOPE"})
    assert set(exc.value.errors) == {"new_serial", "on"}


def test_a_removed_meter_cannot_be_replaced_again(db, site, tech):
    _customer, old, _new, last = site
    skips.change_meter_for_order(tech, old, new_serial="NEW0100", final_value=last + 20, start_value=Decimal(0),
                                 on=clock.today(), work_order_id=ORDER)
    with pytest.raises(Conflict):
        skips.change_meter_for_order(tech, old, new_serial="NEW0100", final_value=last + 21,
                                     start_value=Decimal(0), on=clock.today(), work_order_id=ORDER)


def test_suspension_final_reading_is_stored_and_billed(db, site, tech):
    _customer, meter, _new, last = site
    reading = recording.record_for_order(tech, meter, last + 25, work_order_id=ORDER)
    assert (reading.kind, reading.source, reading.status, reading.consumption_m3) == ("actual", "work_order",
                                                                                     "accepted", 25)
    assert db.session.execute(select(Bill.volume_m3).where(Bill.reading_id == reading.id)).scalar_one() == 25
    assert audit_data(db, "reading.record")[-1]["work_order_id"] == ORDER


@pytest.mark.parametrize("kind", ["actual", "estimated", "self"])
def test_suspension_final_reading_when_the_month_is_read_stores_nothing(world, db, site, tech, kind):
    _customer, meter, _new, last = site
    recording.record_reading(world.chief, meter.id, {"value": last + 20, "kind": kind,
                                                     "read_at": clock.now() - timedelta(minutes=5)})
    readings = db.session.execute(select(func.count(Reading.id))).scalar_one()
    bills = db.session.execute(select(func.count(Bill.id))).scalar_one()
    assert recording.record_for_order(tech, meter, last + 25, work_order_id=ORDER) is None
    assert db.session.execute(select(func.count(Reading.id))).scalar_one() == readings
    assert db.session.execute(select(func.count(Bill.id))).scalar_one() == bills


@pytest.mark.parametrize("value, code", [(-5, "negative:"), (10**5, "too_many_digits:"), (10000, "implausible:")])
def test_suspension_final_reading_refused_names_the_field(db, site, tech, value, code):
    _customer, meter, _new, last = site
    with pytest.raises(Invalid) as exc:
        recording.record_for_order(tech, meter, Decimal(value) + (last if value < 10**5 else 0), work_order_id=ORDER)
    assert list(exc.value.errors) == ["final_reading"] and exc.value.errors["final_reading"][0].startswith(code)
    assert db.session.execute(select(func.count(Reading.id)).where(Reading.source == "work_order")).scalar_one() == 0


def test_suspension_final_reading_confirmed_spike(db, site, tech):
    _customer, meter, _new, last = site
    with pytest.raises(Invalid):
        recording.record_for_order(tech, meter, last + 150, work_order_id=ORDER)
    reading = recording.record_for_order(tech, meter, last + 150, work_order_id=ORDER, confirm=True,
                                         reason="heater left on")
    assert reading.status == "pending" and reading.codes == ["spike"]


def test_suspension_final_reading_of_a_meter_not_installed(db, site, tech):
    _customer, _meter, new, _last = site
    with pytest.raises(Conflict):
        recording.record_for_order(tech, new, Decimal(1), work_order_id=ORDER)
