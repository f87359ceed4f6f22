"""Complaint verification (a meter_verification work order): the meter is removed at the customer and
a spare installed, it reaches the lab within the target, it is tested in service, and a failed result
gets the back-billing estimate ΔV = V_billed × E / (100 + E) over the billed volume of the last months."""
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldsvc import audit, clock
from fieldsvc.customers import rules as customer_rules
from fieldsvc.customers import services as customer_services
from fieldsvc.customers.models import Meter
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.metering import rules
from fieldsvc.metering.models import LabCase, MeterTest
from fieldsvc.metering.services import meter_tests
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require

ORDER_TYPE = "meter_verification"
DEFAULT_TARGET_DAYS = 3
DEFAULT_BACKBILL_MONTHS = 12


def target_days() -> int:
    return int(current_app.config.get("METERING_LAB_TARGET_DAYS", DEFAULT_TARGET_DAYS))


def backbill_months() -> int:
    return int(current_app.config.get("METERING_BACKBILL_MONTHS", DEFAULT_BACKBILL_MONTHS))


def _dispatch():
    """The dispatch domain's order services, or None when it is not installed in this app."""
    if "dispatch" not in current_app.blueprints:
        return None
    from fieldsvc.dispatch.services import orders
    return orders


def readings_available() -> bool:
    return "readings" in current_app.blueprints


# --- the work orders waiting for a removal ----------------------------------------------------------

def orders_to_start(actor) -> list:
    """Open meter_verification orders the actor can see that have no lab case yet."""
    orders = _dispatch()
    if orders is None or not can(actor, P.orders_view) or not can(actor, P.lab_cases):
        return []
    from fieldsvc.dispatch.rules import OPEN
    items, _total = orders.list_orders(actor, type_=ORDER_TYPE, per_page=200)
    started = set(db.session.execute(select(LabCase.work_order_id).where(LabCase.work_order_id.is_not(None)))
                  .scalars())
    return [o for o in items if o.status in OPEN and o.id not in started and o.customer_id]


def order_for_case(actor, order_id: int):
    """The work order a removal starts from: a visible, open meter_verification order of a customer."""
    require(actor, P.lab_cases)
    orders = _dispatch()
    if orders is None or not can(actor, P.orders_view):  # e.g. the head, who works no orders: none visible
        raise NotFound(_("No such work order."))
    order = orders.get_order(actor, order_id)  # NotFound for another technician's order
    from fieldsvc.dispatch.rules import OPEN
    if order.type != ORDER_TYPE or order.customer_id is None:
        raise Invalid({"work_order_id": [_("Only a meter verification order of a customer starts a lab case.")]})
    if order.status not in OPEN:
        raise Conflict(_("This work order is no longer open."))
    if db.session.execute(select(LabCase.id).where(LabCase.work_order_id == order.id)).first():
        raise Conflict(_("The meter of this work order was already removed."))
    return order


# --- the chain --------------------------------------------------------------------------------------

def open_case(actor, order, data: dict) -> LabCase:
    """Remove the complained-about meter (final reading) and install a spare (start reading).

    data: meter_id, removed_on, final_reading, spare_serial, spare_start_reading.
    """
    require(actor, P.lab_cases)
    customer = order.customer
    meter = db.session.get(Meter, data["meter_id"])
    if meter is None or meter.customer_id != customer.id:
        raise Invalid({"meter_id": [_("This meter is not installed at %(name)s.", name=customer.name)]})
    if data["removed_on"] > clock.today():
        raise Invalid({"removed_on": [_("The removal date cannot be in the future.")]})
    spare = db.session.execute(select(Meter).where(Meter.serial_no == data["spare_serial"])).scalar_one_or_none()
    if spare is None or spare.status != customer_rules.MeterStatus.in_stock:
        raise Invalid({"spare_serial": [_("No meter in stock with serial number %(serial)s.",
                                          serial=data["spare_serial"])]})
    reason = _("Removed for a complaint verification (work order %(id)s)", id=order.id)
    customer_services.remove_meter(actor, meter, data["removed_on"], data["final_reading"], reason)
    customer_services.install_meter(actor, spare, customer, data["removed_on"], data["spare_start_reading"])
    case = LabCase(work_order_id=order.id, customer_id=customer.id, meter_id=meter.id, spare_meter_id=spare.id,
                   removed_on=data["removed_on"], final_reading=data["final_reading"],
                   spare_start_reading=data["spare_start_reading"], created_by_id=actor.id, status="removed",
                   due_on=rules.lab_due(data["removed_on"], target_days()))
    db.session.add(case)
    db.session.flush()
    audit.record(actor, "lab_case.open", "customer", customer.id, case_id=case.id, work_order_id=order.id,
                 meter=meter.serial_no, final_reading=case.final_reading, spare=spare.serial_no,
                 spare_start_reading=case.spare_start_reading, due_on=case.due_on)
    return case


def get_case(actor, case_id: int) -> LabCase:
    require(actor, P.lab_cases_view)
    case = db.session.get(LabCase, case_id)
    if case is None:
        raise NotFound(_("No such lab case."))
    return case


def list_cases(actor, status: str | None = None, page: int = 1, per_page: int = 50) -> tuple[list[LabCase], int]:
    require(actor, P.lab_cases_view)
    stmt = select(LabCase)
    if status:
        stmt = stmt.where(LabCase.status == status)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.order_by(LabCase.id.desc()).limit(per_page).offset((page - 1) * per_page))
    return list(rows.scalars()), total


def receive(actor, case: LabCase) -> LabCase:
    """The lab receives the removed meter; whether the target was met is kept with the case."""
    require(actor, P.lab_cases)
    if case.status != "removed":
        raise Conflict(_("The meter is already in the lab."))
    case.status, case.handed_over_at, case.received_by_id = "in_lab", utcnow(), actor.id
    audit.record(actor, "lab_case.receive", "customer", case.customer_id, case_id=case.id,
                 on_time=on_time(case))
    return case


def on_time(case: LabCase) -> bool | None:
    """Handed over by the due date; None while still on its way (see overdue())."""
    if case.handed_over_at is None:
        return None
    return clock.business_date(case.handed_over_at) <= case.due_on


def overdue(case: LabCase) -> bool:
    return case.handed_over_at is None and clock.today() > case.due_on


def record_case_test(actor, case: LabCase, data: dict) -> MeterTest:
    """The in-service test of the removed meter; a failure gets its back-billing estimate at once when
    the readings domain can say what was billed."""
    require(actor, P.lab_cases)
    if case.status == "removed":
        raise Conflict(_("Receive the meter in the lab before testing it."))
    if case.test_id is not None:
        raise Conflict(_("This meter was already tested: correct the test from its page."))
    test = meter_tests.record_test(actor, {**data, "meter_id": case.meter_id,
                                           "verification": rules.Verification.in_service},
                                   customer=case.customer)
    case.test, case.status, case.mean_error_pct = test, "tested", test.mean_error_pct
    if not test.ok and readings_available():
        billed, amount, start, end = billed_from_readings(case)
        if billed > 0:
            _estimate(actor, case, billed, amount, "readings", start, end)
    audit.record(actor, "lab_case.test", "customer", case.customer_id, case_id=case.id, test_id=test.id,
                 ok=test.ok, mean_error_pct=test.mean_error_pct)
    return test


def period(case: LabCase) -> tuple[date, date]:
    """The back-billing period: the configured number of months up to the removal."""
    return rules.months_before(case.removed_on, backbill_months()), case.removed_on


def billed_from_readings(case: LabCase) -> tuple[Decimal, Decimal, date, date]:
    """m³ and yuan billed for this meter over the period (readings domain's bills)."""
    from fieldsvc.readings.models import Bill
    from fieldsvc.readings.services.billing import billed_volume
    start, end = period(case)
    volume = billed_volume(case.meter_id, start, end)
    amount = db.session.execute(select(func.coalesce(func.sum(Bill.amount), 0)).where(
        Bill.meter_id == case.meter_id, Bill.period_end >= start, Bill.period_end <= end)).scalar_one()
    return Decimal(volume), Decimal(amount), start, end


def enter_billed_volume(actor, case: LabCase, billed_m3: Decimal, billed_amount: Decimal | None) -> LabCase:
    """When no bills are on record (or billing runs elsewhere) the volume is typed in from the billing system."""
    require(actor, P.lab_cases)
    if case.test is None or case.test.ok:
        raise Conflict(_("A back-billing estimate follows a failed in-service test only."))
    start, end = period(case)
    _estimate(actor, case, billed_m3, billed_amount, "entered", start, end)
    return case


def _estimate(actor, case: LabCase, billed: Decimal, amount: Decimal | None, source: str, start: date,
              end: date) -> None:
    case.billed_m3, case.billed_amount, case.billed_source = billed, amount, source
    case.billed_from, case.billed_to = start, end
    case.back_billing_m3 = rules.back_billing_volume(billed, case.test.mean_error_pct)
    case.back_billing_amount = (rules.back_billing_amount(case.back_billing_m3, billed, amount)
                                if amount is not None else None)
    db.session.flush()
    audit.record(actor, "lab_case.estimate", "customer", case.customer_id, case_id=case.id, billed_m3=billed,
                 billed_amount=amount, source=source, mean_error_pct=case.test.mean_error_pct,
                 back_billing_m3=case.back_billing_m3, back_billing_amount=case.back_billing_amount)
