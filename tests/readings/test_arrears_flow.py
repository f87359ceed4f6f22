"""Arrears through their stages: overdue, notice served, suspension approved, shut off, paid, restored."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from fieldsvc import clock
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotFound
from fieldsvc.readings.models import Bill, Payment, PaymentAllocation, Reading
from fieldsvc.readings.rules import Stage
from fieldsvc.readings.services import arrears, billing, workorders
from tests.readings.helpers import jpeg


@pytest.fixture
def owing(world, db):
    """A customer on the reader's route with one bill due 40 days ago (30 fee days so far)."""
    customer, meter = world.customer()
    world.route([meter])
    world.history(meter, 100, periods=3)
    reading = db.session.execute(select(Reading).order_by(Reading.read_at.desc())).scalars().first()
    bill = billing.bill_for_reading(world.chief, reading, issued_on=clock.today() - timedelta(days=55))
    db.session.commit()
    return customer, bill


def test_standing_with_fee_to_date(world, owing):
    customer, bill = owing
    s = arrears.standing(world.staff["meter_reader"], customer.id)
    assert s.owed.principal == bill.amount == Decimal("261.00")
    assert s.owed.fee == Decimal("23.49")  # 261 × 0.3 % × 30 days = 23.49
    assert s.stage == Stage.notice_due


def test_other_reader_cannot_see_the_arrears(world, owing):
    customer, _bill = owing
    with pytest.raises(NotFound):
        arrears.standing(world.staff["meter_reader2"], customer.id)
    with pytest.raises(NotFound):
        arrears.record_payment(world.staff["meter_reader2"], customer.id, Decimal(10), "cash")


def test_full_cycle_notice_suspension_payment_restoration(world, owing, db):
    customer, bill = owing
    reader, chief = world.staff["meter_reader"], world.chief
    with pytest.raises(Invalid):
        arrears.serve_notice(reader, customer.id, None)  # the notice needs its photo
    arrears.serve_notice(reader, customer.id, jpeg())
    db.session.commit()
    assert arrears.standing(reader, customer.id).stage == Stage.notice_served
    with pytest.raises(Conflict):
        arrears.approve_suspension(chief, customer.id)  # not 3 days after the notice yet
    case = arrears.open_case(customer.id)
    case.notice_on = clock.today() - timedelta(days=3)
    db.session.commit()
    assert arrears.standing(chief, customer.id).stage == Stage.suspension_due
    with pytest.raises(NotAllowed):
        arrears.approve_suspension(reader, customer.id)
    arrears.approve_suspension(chief, customer.id)
    assert arrears.standing(chief, customer.id).stage == Stage.suspension_approved
    arrears.record_suspended(chief, customer.id)
    db.session.commit()
    assert customer.status == "suspended"
    assert arrears.standing(chief, customer.id).stage == Stage.suspended
    owed = arrears.standing(reader, customer.id).owed
    arrears.record_payment(reader, customer.id, owed.total, "alipay")
    db.session.commit()
    case = arrears.open_case(customer.id)
    assert case.paid_at and case.restore_due_at - case.paid_at == timedelta(hours=24)
    assert (case.restoration_order_id is not None) == workorders.dispatch_offers(workorders.RESTORATION)
    assert arrears.standing(chief, customer.id).stage == Stage.restoring
    arrears.record_restored(chief, customer.id)
    db.session.commit()
    assert customer.status == "active" and arrears.open_case(customer.id) is None
    assert db.session.get(Bill, bill.id).status == "paid"
    allocation = db.session.execute(select(PaymentAllocation)).scalar_one()
    assert allocation.fee == Decimal("23.49") and allocation.principal == Decimal("261.00")


def test_partial_payment_fee_first_then_principal(world, owing, db):
    customer, bill = owing
    payment = arrears.record_payment(world.staff["meter_reader"], customer.id, Decimal("100.00"), "cash")
    db.session.commit()
    assert payment.unallocated == 0
    bill = db.session.get(Bill, bill.id)
    assert bill.fee_paid == Decimal("23.49") and bill.paid_amount == Decimal("76.51")
    assert bill.fee_accrued_to == clock.today() and bill.status == "open"
    # Nothing more accrues today: what is owed now is the principal left.
    assert arrears.standing(world.chief, customer.id).owed.total == Decimal("184.49")


def test_overpayment_is_kept_as_unallocated(world, owing, db):
    customer, _bill = owing
    payment = arrears.record_payment(world.staff["meter_reader"], customer.id, Decimal("1000.00"), "cash")
    assert payment.unallocated == Decimal("1000.00") - Decimal("261.00") - Decimal("23.49")
    assert db.session.execute(select(Payment)).scalar_one().amount == Decimal("1000.00")


def test_promise_to_pay(world, owing):
    customer, _bill = owing
    reader = world.staff["meter_reader"]
    with pytest.raises(Invalid):
        arrears.record_promise(reader, customer.id, clock.today() - timedelta(days=1))
    arrears.record_promise(reader, customer.id, clock.today() + timedelta(days=5))
    assert arrears.open_case(customer.id).promised_on == clock.today() + timedelta(days=5)


def test_chief_arrears_list_orders_by_stage(world, owing, login):
    body = login("station_chief").get("/readings/arrears", headers={"Accept-Language": "en"}).get_data(as_text=True)
    customer, _bill = owing
    assert customer.account_no in body and "Notice to serve" in body
