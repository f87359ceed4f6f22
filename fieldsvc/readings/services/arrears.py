"""Arrears at the door and at the chief's desk (RULES.md §4): what a customer owes with the late fee
to date, the collection outcomes (paid, promise to pay, notice served), suspension and restoration.

One open `ArrearsCase` per customer follows the stages from the first overdue bill to payment; the
stage of the day is computed by `rules.stage` from the case's dates and the open bills.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import audit, clock, uploads
from fieldsvc.customers import services as customers
from fieldsvc.customers.models import Customer
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require
from fieldsvc.readings import rules
from fieldsvc.readings.models import ArrearsCase, Bill, CollectionVisit, Payment, PaymentAllocation
from fieldsvc.readings.services import access, workorders

ZERO = Decimal("0.00")


@dataclass
class Owed:
    customer_id: int
    principal: Decimal = ZERO
    fee: Decimal = ZERO  # late fee to date, not yet paid
    oldest_due: date | None = None
    overdue: bool = False

    @property
    def total(self) -> Decimal:
        return self.principal + self.fee


def fee_to_date(bill: Bill, on: date) -> Decimal:
    """Fee fixed on the bill and not yet paid, plus what accrued since on the unpaid principal."""
    accruing = rules.late_fee(bill.principal_due, bill.due_on, on, bill.category, accrued_to=bill.fee_accrued_to)
    return bill.fee_accrued - bill.fee_paid + accruing


def owed_by(customer_ids, on: date | None = None) -> dict[int, Owed]:
    """Open bills of these customers (a list of ids or a SELECT of them) → what each owes today (one query)."""
    on = on or clock.today()
    result: dict[int, Owed] = {}
    if isinstance(customer_ids, list | tuple | set) and not customer_ids:
        return result
    stmt = select(Bill).where(Bill.customer_id.in_(customer_ids), Bill.status == "open")
    for bill in db.session.execute(stmt.order_by(Bill.due_on)).scalars():
        _count_bill(result.setdefault(bill.customer_id, Owed(bill.customer_id)), bill, on)
    return result


def _count_bill(owed: Owed, bill: Bill, on: date) -> None:
    """Add one open bill to what its customer owes; bills come oldest due first."""
    owed.principal += bill.principal_due
    owed.fee += fee_to_date(bill, on)
    owed.oldest_due = owed.oldest_due or bill.due_on
    owed.overdue = owed.overdue or bill.due_on < on


def open_bills(customer_id: int) -> list[Bill]:
    stmt = select(Bill).where(Bill.customer_id == customer_id, Bill.status == "open").order_by(Bill.due_on, Bill.id)
    return list(db.session.execute(stmt).scalars())


def _customer(actor, customer_id: int) -> Customer:
    customer = db.session.get(Customer, customer_id)
    if customer is None or not (can(actor, P.bills_view_all) or access.customer_visible(actor, customer_id)):
        raise NotFound(_("No such customer on your routes."))
    return customer


def case_visible(actor, case_id: int) -> bool:
    """Photos of a served notice: whoever may see the customer's bills."""
    case = db.session.get(ArrearsCase, case_id)
    return case is not None and can(actor, P.bills_view) and (
        can(actor, P.bills_view_all) or access.customer_visible(actor, case.customer_id))


def open_case(customer_id: int) -> ArrearsCase | None:
    stmt = select(ArrearsCase).where(ArrearsCase.customer_id == customer_id, ArrearsCase.status == "open")
    return db.session.execute(stmt.order_by(ArrearsCase.id.desc()).limit(1)).scalar_one_or_none()


def _case_for(customer: Customer) -> ArrearsCase:
    case = open_case(customer.id)
    if case is None:
        case = ArrearsCase(customer_id=customer.id, status="open", opened_on=clock.today())
        db.session.add(case)
        db.session.flush()
    return case


@dataclass
class Standing:
    customer: Customer
    owed: Owed
    case: ArrearsCase | None
    stage: rules.Stage


def standing(actor, customer_id: int, on: date | None = None) -> Standing:
    """What the customer owes, with the fee to date, and the stage of their arrears."""
    require(actor, P.bills_view)
    return standing_of(actor, _customer(actor, customer_id), on)


def standing_of(actor, customer: Customer, on: date | None = None) -> Standing:
    """standing() for a customer the caller already found visible to the actor (a stop of their route)."""
    require(actor, P.bills_view)
    on = on or clock.today()
    owed = owed_by([customer.id], on).get(customer.id, Owed(customer.id))
    case = open_case(customer.id)
    return Standing(customer, owed, case, stage_of(customer, owed, case, on))


def standing_from(actor, customer: Customer, bills: list[Bill], case: ArrearsCase | None,
                  on: date | None = None) -> Standing:
    """standing_of() from the customer's open bills (oldest due first) and open case, loaded by the caller
    with its other facts (the route stop: one statement for the skip, the bills and the case)."""
    require(actor, P.bills_view)
    on = on or clock.today()
    owed = Owed(customer.id)
    for bill in bills:
        _count_bill(owed, bill, on)
    return Standing(customer, owed, case, stage_of(customer, owed, case, on))


def stage_of(customer: Customer, owed: Owed, case: ArrearsCase | None, on: date) -> rules.Stage:
    return rules.stage(owed.total, owed.oldest_due, on, case.notice_on if case else None,
                       bool(case and case.suspension_approved_at), customer.status == "suspended")


# --- outcomes at the door -------------------------------------------------------------------------

def record_payment(actor, customer_id: int, amount: Decimal, method: str) -> Payment:
    """Paid at the door: the fee to date of each open bill first, then its principal, oldest bill first.
    Fully paid while the supply is suspended: a restoration order due 24 h after the payment; fully paid
    before an approved shut-off is done: its order is cancelled."""
    require(actor, P.arrears_collect)
    customer = _customer(actor, customer_id)
    if amount <= 0:
        raise Invalid({"amount": [_("Enter the amount received.")]})
    today, now = clock.today(), clock.now()
    bills = open_bills(customer.id)
    for bill in bills:  # fix the fee up to today before sharing the payment
        bill.fee_accrued += rules.late_fee(bill.principal_due, bill.due_on, today, bill.category,
                                           accrued_to=bill.fee_accrued_to)
        bill.fee_accrued_to = max(today, bill.fee_accrued_to or today)
    shares = rules.allocate(amount, [(b.fee_accrued - b.fee_paid, b.principal_due) for b in bills])
    payment = Payment(customer_id=customer.id, amount=amount, method=method, paid_at=now, recorded_by=actor.id,
                      unallocated=amount - sum((f + p for f, p in shares), ZERO))
    db.session.add(payment)
    db.session.flush()
    for bill, (fee, principal) in zip(bills, shares, strict=True):
        if fee or principal:
            db.session.add(PaymentAllocation(payment_id=payment.id, bill_id=bill.id, fee=fee, principal=principal))
        bill.fee_paid += fee
        bill.paid_amount += principal
        if bill.principal_due <= 0 and bill.fee_accrued - bill.fee_paid <= 0:
            bill.status, bill.paid_on = "paid", today
    case = _case_for(customer)
    _visit(actor, case, "paid", amount=amount, method=method, payment_id=payment.id)
    if all(b.status == "paid" for b in bills):
        _settled(actor, customer, case, now)
    audit.record(actor, "arrears.payment", "customer", customer.id, payment_id=payment.id, amount=amount,
                 method=method, allocated=[[b.id, f, p] for b, (f, p) in zip(bills, shares, strict=True)])
    return payment


def _settled(actor, customer: Customer, case: ArrearsCase, paid_at: datetime) -> None:
    """All paid: the 24 h to restore run from the payment itself; a shut-off not yet done is called off
    (its order cancelled, so no crew shuts off a customer who has paid)."""
    case.paid_at = paid_at
    if case.suspension_order_id:  # a shut-off order still open (even if the chief recorded it shut)
        cancelled = workorders.cancel_order(actor, case.suspension_order_id,
                                            _("Arrears paid: the shut-off is called off."))
        if cancelled:
            audit.record(actor, "arrears.suspension_called_off", "customer", customer.id, case_id=case.id,
                         work_order_id=case.suspension_order_id)
    if customer.status == "suspended":
        case.restore_due_at = case.paid_at + timedelta(hours=rules.RESTORE_WITHIN_HOURS)
        case.restoration_order_id = workorders.request_order(
            actor, workorders.RESTORATION, customer.id,
            _("Arrears paid: restore the gas supply within 24 hours."), case.restore_due_at, "urgent")
    else:  # nothing shut off (an approved suspension is called off): nothing to restore
        case.status, case.closed_at = "closed", case.paid_at


def record_promise(actor, customer_id: int, promised_on: date, note: str | None = None) -> CollectionVisit:
    require(actor, P.arrears_collect)
    customer = _customer(actor, customer_id)
    if promised_on < clock.today():
        raise Invalid({"promised_on": [_("The promised date is in the past.")]})
    case = _case_for(customer)
    case.promised_on = promised_on
    visit = _visit(actor, case, "promise", promised_on=promised_on, note=note)
    audit.record(actor, "arrears.promise", "customer", customer.id, promised_on=promised_on)
    return visit


def serve_notice(actor, customer_id: int, photo: bytes | None, note: str | None = None) -> CollectionVisit:
    """Notice served at the door (30 days after the oldest unpaid due date), with a photo of it."""
    require(actor, P.arrears_collect)
    customer = _customer(actor, customer_id)
    owed = owed_by([customer.id]).get(customer.id)
    if owed is None or not rules.may_serve_notice(owed.oldest_due, clock.today()):
        raise Invalid({"notice": [_("A notice can be served 30 days after the due date of an unpaid bill.")]})
    if not photo:
        raise Invalid({"photo": [_("Take a photo of the notice served.")]})
    case = _case_for(customer)
    upload = uploads.save_image(actor, photo, entity="arrears_case", entity_id=case.id, field="photo")
    case.notice_on, case.notice_photo_id = clock.today(), upload.id
    visit = _visit(actor, case, "notice", photo_id=upload.id, note=note)
    audit.record(actor, "arrears.notice", "customer", customer.id, case_id=case.id, photo_id=upload.id)
    return visit


def _visit(actor, case: ArrearsCase, outcome: str, **data) -> CollectionVisit:
    visit = CollectionVisit(case_id=case.id, customer_id=case.customer_id, outcome=outcome,
                            recorded_by=actor.id, at=utcnow(), **data)
    db.session.add(visit)
    db.session.flush()
    return visit


# --- the chief: suspension and restoration --------------------------------------------------------

def approve_suspension(actor, customer_id: int) -> ArrearsCase:
    """3 days after the notice the chief may approve: a work order to shut the supply (dispatch)."""
    require(actor, P.suspension_approve)
    customer = _customer(actor, customer_id)
    case = open_case(customer.id)
    owed = owed_by([customer.id]).get(customer.id)
    if case is None or owed is None or owed.total <= 0:
        raise Conflict(_("This customer owes nothing."))
    if case.suspension_approved_at:
        raise Conflict(_("The suspension is already approved."))
    if not rules.may_approve_suspension(case.notice_on, clock.today()):
        raise Conflict(_("A suspension can be approved 3 days after the notice was served."))
    case.suspension_approved_by, case.suspension_approved_at = actor.id, utcnow()
    case.suspension_order_id = workorders.request_order(
        actor, workorders.SUSPENSION, customer.id,
        _("Arrears of %(amount)s unpaid after notice: shut the gas supply.", amount=owed.total))
    audit.record(actor, "arrears.suspension_approved", "customer", customer.id, case_id=case.id,
                 owed=owed.total, work_order_id=case.suspension_order_id)
    return case


def record_suspended(actor, customer_id: int) -> ArrearsCase:
    """The chief records that the supply was shut (the shut-off was done without its order on the phone)."""
    require(actor, P.suspension_approve)
    customer = _customer(actor, customer_id)
    case = open_case(customer.id)
    if not _awaiting_suspension(customer, case):
        raise Conflict(_("No approved suspension is waiting for this customer."))
    return _suspend(actor, customer, case)


def record_restored(actor, customer_id: int) -> ArrearsCase:
    """The chief records that the supply is back on after payment: the case closes."""
    require(actor, P.suspension_approve)
    customer = _customer(actor, customer_id)
    case = open_case(customer.id)
    if not _awaiting_restoration(customer, case):
        raise Conflict(_("Restoration is recorded once a suspended customer has paid."))
    return _restore(actor, customer, case)


def suspended_by_order(actor, customer_id: int, work_order_id: int) -> ArrearsCase | None:
    """A suspension order was completed: the supply is shut off. No permission check — the dispatch
    completion calling this has already checked that this technician may complete the order.

    With an approved suspension on the customer's open arrears case the supply is shut for arrears and
    the case moves to suspended (as the chief's `record_suspended`); without one the supply is shut at
    the customer's request and the arrears are left alone. Returns the case, or None."""
    customer = _customer_for_order(customer_id)
    case = open_case(customer.id)
    if _awaiting_suspension(customer, case):
        return _suspend(actor, customer, case, work_order_id)
    if case is not None and case.suspended_at and customer.status == "suspended":
        customers.set_supply(actor, customer, "shut_off", "arrears", work_order_id=work_order_id)
        return case  # already recorded (the chief pressed the button first): nothing moves twice
    customers.set_supply(actor, customer, "shut_off", "request", work_order_id=work_order_id)
    return None


def restored_by_order(actor, customer_id: int, work_order_id: int) -> ArrearsCase | None:
    """A restoration order was completed: the supply is on. No permission check — the dispatch
    completion calling this has already checked that this technician may complete the order.

    A suspended customer who has paid has the case closed as restored, late or not against the 24 h
    from payment (as the chief's `record_restored`). Otherwise only the supply changes. Returns the
    closed case, or None."""
    customer = _customer_for_order(customer_id)
    case = open_case(customer.id)
    if _awaiting_restoration(customer, case):
        return _restore(actor, customer, case, work_order_id)
    customers.set_supply(actor, customer, "on", work_order_id=work_order_id)
    return None


def _customer_for_order(customer_id: int) -> Customer:
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_("No such customer."))
    return customer


def _awaiting_suspension(customer: Customer, case: ArrearsCase | None) -> bool:
    return case is not None and bool(case.suspension_approved_at) and customer.status != "suspended"


def _awaiting_restoration(customer: Customer, case: ArrearsCase | None) -> bool:
    return case is not None and customer.status == "suspended" and case.paid_at is not None


def _suspend(actor, customer: Customer, case: ArrearsCase, work_order_id: int | None = None) -> ArrearsCase:
    """Supply shut off for arrears, the account suspended, the case at its suspended stage."""
    customers.set_supply(actor, customer, "shut_off", "arrears", work_order_id=work_order_id)
    customers.set_status(actor, customer, "suspended", work_order_id=work_order_id)
    case.suspended_at = utcnow()
    audit.record(actor, "arrears.suspended", "customer", customer.id, case_id=case.id, work_order_id=work_order_id)
    return case


def _restore(actor, customer: Customer, case: ArrearsCase, work_order_id: int | None = None) -> ArrearsCase:
    """Supply on, the account active again, the case closed; late when past the 24 h from payment."""
    customers.set_supply(actor, customer, "on", work_order_id=work_order_id)
    customers.set_status(actor, customer, "active", work_order_id=work_order_id)
    case.restored_at = utcnow()
    case.status, case.closed_at = "closed", case.restored_at
    audit.record(actor, "arrears.restored", "customer", customer.id, case_id=case.id, work_order_id=work_order_id,
                 late=bool(case.restore_due_at and case.restored_at > case.restore_due_at))
    return case


def arrears_list(actor, on: date | None = None) -> list[Standing]:
    """Every customer owing on an overdue bill, or with an open case, most urgent stage first."""
    require(actor, P.bills_view_all)
    on = on or clock.today()
    overdue = select(Bill.customer_id).where(Bill.status == "open", Bill.due_on < on)
    with_case = select(ArrearsCase.customer_id).where(ArrearsCase.status == "open")
    ids = overdue.union(with_case)
    owed = owed_by(ids, on)
    cases = {c.customer_id: c for c in db.session.execute(
        select(ArrearsCase).where(ArrearsCase.status == "open")).scalars()}
    customers_ = db.session.execute(select(Customer).where(Customer.id.in_(ids)).order_by(Customer.id)).scalars()
    rows = [Standing(c, owed.get(c.id, Owed(c.id)), cases.get(c.id),
                     stage_of(c, owed.get(c.id, Owed(c.id)), cases.get(c.id), on)) for c in customers_]
    order = list(rules.Stage)
    return sorted(rows, key=lambda s: (-order.index(s.stage), -(s.owed.total)))
