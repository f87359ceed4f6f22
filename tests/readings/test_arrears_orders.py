"""Arrears and the work orders agree (RULES.md §4, §5): a completed shut-off or restoration job moves the
supply and the arrears case; a payment before the shut-off cancels its order; the restoration's 24 h
run from the payment itself."""
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from fieldsvc import audit, clock, extensions
from fieldsvc.customers.models import SupplyChange
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.errors import Conflict
from fieldsvc.readings.models import ArrearsCase, Reading
from fieldsvc.readings.rules import Stage
from fieldsvc.readings.services import arrears, billing, workorders
from tests.readings.helpers import jpeg

CALLED_OFF = "Arrears paid: the shut-off is called off."


@pytest.fixture
def owing(world, db):
    """A customer on the reader's route with one bill due 40 days ago."""
    customer, meter = world.customer()
    world.route([meter])
    world.history(meter, 100, periods=3)
    reading = db.session.execute(select(Reading).order_by(Reading.read_at.desc())).scalars().first()
    billing.bill_for_reading(world.chief, reading, issued_on=clock.today() - timedelta(days=55))
    db.session.commit()
    return customer


@pytest.fixture
def approved(world, owing, db, english):
    """The same customer with the notice served 3 days ago and the suspension approved (a shut-off order)."""
    arrears.serve_notice(world.staff["meter_reader"], owing.id, jpeg())
    arrears.open_case(owing.id).notice_on = clock.today() - timedelta(days=3)
    case = arrears.approve_suspension(world.chief, owing.id)
    db.session.commit()
    assert case.suspension_order_id is not None
    return owing, case


def pay_all(world, customer):
    reader = world.staff["meter_reader"]
    return arrears.record_payment(reader, customer.id, arrears.standing(reader, customer.id).owed.total, "cash")


def changes(customer) -> list[tuple]:
    """The customer's supply changes (supply, reason, work order), oldest first."""
    rows = select(SupplyChange).where(SupplyChange.customer_id == customer.id).order_by(SupplyChange.id)
    return [(c.supply, c.reason, c.work_order_id) for c in extensions.db.session.execute(rows).scalars()]


def actions(entity: str, entity_id: int) -> list[str]:
    return [e.action for e in audit.history(entity, entity_id)]


# --- the shut-off order -------------------------------------------------------------------------------

def test_completed_shut_off_order_suspends_the_supply_and_the_case(world, approved, db):
    customer, case = approved
    tech = world.staff["repair_tech"]  # no chief's permission: the dispatch completion checked the job
    result = arrears.suspended_by_order(tech, customer.id, case.suspension_order_id)
    db.session.commit()
    assert result.id == case.id and case.suspended_at is not None and case.status == "open"
    assert (customer.status, customer.supply, customer.supply_reason) == ("suspended", "shut_off", "arrears")
    assert changes(customer) == [("shut_off", "arrears", case.suspension_order_id)]
    assert arrears.standing(world.chief, customer.id).stage == Stage.suspended
    assert "arrears.suspended" in actions("customer", customer.id)
    # the same completion replayed (offline sync) moves nothing twice
    assert arrears.suspended_by_order(tech, customer.id, case.suspension_order_id).id == case.id
    assert len(changes(customer)) == 1


def test_shut_off_order_without_an_approved_suspension_is_at_the_customers_request(world, owing, db):
    tech = world.staff["repair_tech"]
    arrears.record_promise(world.staff["meter_reader"], owing.id, clock.today() + timedelta(days=3))
    case = arrears.open_case(owing.id)  # in arrears, but no suspension approved
    assert arrears.suspended_by_order(tech, owing.id, 4242) is None
    assert (owing.status, owing.supply, owing.supply_reason) == ("active", "shut_off", "request")
    assert case.suspended_at is None and changes(owing) == [("shut_off", "request", 4242)]
    plain, _meter = world.customer()  # owes nothing, no case at all
    assert arrears.suspended_by_order(tech, plain.id, 4343) is None
    assert (plain.supply, plain.supply_reason) == ("shut_off", "request") and arrears.open_case(plain.id) is None


# --- payment and the orders ---------------------------------------------------------------------------

def test_payment_before_the_shut_off_cancels_its_order(world, approved, db):
    customer, case = approved
    order = db.session.get(WorkOrder, case.suspension_order_id)
    assert order.status == "new"
    pay_all(world, customer)
    db.session.commit()
    db.session.refresh(order)
    assert order.status == "cancelled"
    assert (order.events[-1].action, order.events[-1].note) == ("cancel", CALLED_OFF)
    assert case.status == "closed" and case.restoration_order_id is None
    assert (customer.status, customer.supply) == ("active", "on") and changes(customer) == []
    assert "arrears.suspension_called_off" in actions("customer", customer.id)


def test_payment_cancels_an_assigned_shut_off_order_but_a_part_payment_does_not(world, approved, db):
    from fieldsvc.dispatch.services import orders
    customer, case = approved
    order = db.session.get(WorkOrder, case.suspension_order_id)
    orders.assign(world.chief, order.id, world.staff["repair_tech"].id, order.version)
    db.session.commit()
    arrears.record_payment(world.staff["meter_reader"], customer.id, 10, "cash")
    db.session.commit()
    assert db.session.get(WorkOrder, order.id).status == "assigned"
    pay_all(world, customer)
    db.session.commit()
    assert db.session.get(WorkOrder, order.id).status == "cancelled"


def test_paying_after_the_shut_off_leaves_the_done_order_and_asks_for_restoration(world, approved, db):
    customer, case = approved
    tech = world.staff["repair_tech"]
    arrears.suspended_by_order(tech, customer.id, case.suspension_order_id)
    order = db.session.get(WorkOrder, case.suspension_order_id)
    order.status = "completed"  # as the dispatch completion leaves it
    db.session.commit()
    payment = pay_all(world, customer)
    db.session.commit()
    assert order.status == "completed" and "arrears.suspension_called_off" not in actions("customer", customer.id)
    restoration = db.session.get(WorkOrder, case.restoration_order_id)
    assert (restoration.type, restoration.status, restoration.priority) == ("restoration", "new", "urgent")
    assert case.paid_at == payment.paid_at and case.restore_due_at == payment.paid_at + timedelta(hours=24)
    # the board's due time is the payment + 24 h (the order is made in the same transaction)
    assert abs(restoration.due_at - case.restore_due_at) < timedelta(seconds=5)


def test_restoration_due_counts_24_hours_from_an_early_morning_payment(world, approved, db, monkeypatch):
    """07:00 in Shanghai is still yesterday in UTC: the due time is not cut to the end of the day."""
    customer, case = approved
    arrears.suspended_by_order(world.staff["repair_tech"], customer.id, case.suspension_order_id)
    db.session.commit()
    morning = datetime.combine(clock.today(), time(7), tzinfo=clock.zone()).astimezone(UTC)
    from fieldsvc.dispatch.services import orders, steps
    for module in (clock, orders, steps, arrears):
        monkeypatch.setattr(module, "utcnow", lambda: morning)
    pay_all(world, customer)
    db.session.commit()
    restoration = db.session.get(WorkOrder, case.restoration_order_id)
    assert restoration.due_at == morning + timedelta(hours=24) == case.restore_due_at


def test_business_day_of_a_moment_is_local(app):
    late_utc = datetime(2026, 3, 9, 23, 0, tzinfo=UTC)  # 2026-03-10 07:00 in Shanghai
    assert workorders._business_day(late_utc).isoformat() == "2026-03-10"
    assert workorders._business_day(None) is None


# --- the restoration order ----------------------------------------------------------------------------

def _suspended_and_paid(world, approved, db):
    customer, case = approved
    arrears.suspended_by_order(world.staff["repair_tech"], customer.id, case.suspension_order_id)
    pay_all(world, customer)
    db.session.commit()
    return customer, case


def test_completed_restoration_order_puts_the_gas_on_and_closes_the_case(world, approved, db):
    customer, case = _suspended_and_paid(world, approved, db)
    result = arrears.restored_by_order(world.staff["repair_tech"], customer.id, case.restoration_order_id)
    db.session.commit()
    assert result.id == case.id and (case.status, case.closed_at) == ("closed", case.restored_at)
    assert (customer.status, customer.supply, customer.supply_reason) == ("active", "on", None)
    assert changes(customer)[-1] == ("on", None, case.restoration_order_id)
    entry = [e for e in audit.history("customer", customer.id) if e.action == "arrears.restored"][-1]
    assert entry.data["late"] is False and entry.data["work_order_id"] == case.restoration_order_id
    assert arrears.open_case(customer.id) is None


def test_restoration_after_the_24_hours_is_recorded_late(world, approved, db):
    customer, case = _suspended_and_paid(world, approved, db)
    case.restore_due_at = clock.now() - timedelta(hours=1)
    arrears.restored_by_order(world.staff["repair_tech"], customer.id, case.restoration_order_id)
    entry = [e for e in audit.history("customer", customer.id) if e.action == "arrears.restored"][-1]
    assert entry.data["late"] is True


def test_restoration_order_without_a_paid_case_only_turns_the_gas_on(world, approved, db):
    tech = world.staff["repair_tech"]
    customer, case = approved
    arrears.suspended_by_order(tech, customer.id, case.suspension_order_id)
    assert arrears.restored_by_order(tech, customer.id, 777) is None  # suspended, nothing paid
    assert (customer.supply, customer.status, case.status) == ("on", "suspended", "open")
    plain, _meter = world.customer()
    arrears.suspended_by_order(tech, plain.id, 778)
    assert arrears.restored_by_order(tech, plain.id, 779) is None
    assert plain.supply == "on" and changes(plain) == [("shut_off", "request", 778), ("on", None, 779)]


# --- the chief's buttons share the same moves -----------------------------------------------------------

def test_chiefs_buttons_also_move_the_supply(world, approved, db, login):
    customer, case = approved
    client = login("station_chief")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.post(f"/readings/arrears/{customer.id}/suspended").status_code == 302
    db.session.expire_all()
    assert (customer.status, customer.supply, customer.supply_reason) == ("suspended", "shut_off", "arrears")
    page = client.get("/readings/arrears").get_data(as_text=True)
    assert "Gas shut off · arrears" in page
    with pytest.raises(Conflict):
        arrears.record_suspended(world.chief, customer.id)  # already shut
    pay_all(world, customer)
    db.session.commit()
    assert client.post(f"/readings/arrears/{customer.id}/restored").status_code == 302
    db.session.expire_all()
    assert (customer.status, customer.supply) == ("active", "on")
    assert changes(customer) == [("shut_off", "arrears", None), ("on", None, None)]
    assert db.session.get(ArrearsCase, case.id).status == "closed"
