"""Due dates, late fees and the collection stages of RULES.md §4. Pure: no database, no Flask.

Late fee convention: a bill due on day D may be paid without fee up to and including D + 10 (the
grace period). From D + 11 on, every day adds the daily rate on the principal still unpaid, so on
D + 10 the fee is 0 and on D + 11 it is one day's rate. When a payment is taken the fee up to that day
is fixed on the bill (`accrued_to`); later days accrue on what is still unpaid from there on.
Each amount is rounded half-up to 0.01 yuan.
"""
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from fieldsvc.readings.rules.tariff import money

GRACE_DAYS = 10
DUE_DAYS = 15  # a bill is due this many days after it is issued (configurable: READINGS_BILL_DUE_DAYS)
NOTICE_AFTER_DAYS = 30  # a notice may be served 30 days after the due date
SUSPEND_AFTER_NOTICE_DAYS = 3  # suspension may be approved 3 days after the notice
RESTORE_WITHIN_HOURS = 24
DAILY_RATES = {"residential": Decimal("0.003")}
OTHER_DAILY_RATE = Decimal("0.01")


class Stage(StrEnum):
    clear = "clear"  # nothing owed
    due = "due"  # a bill is open but not yet past its due date
    overdue = "overdue"  # a collection visit is planned
    notice_due = "notice_due"  # 30 days after due: the reader serves a notice
    notice_served = "notice_served"
    suspension_due = "suspension_due"  # 3 days after the notice: the chief may approve a suspension
    suspension_approved = "suspension_approved"  # the shut-off order is out
    suspended = "suspended"
    restoring = "restoring"  # paid while suspended: restoration within 24 h


def daily_rate(category: str) -> Decimal:
    return DAILY_RATES.get(category, OTHER_DAILY_RATE)


def due_date(issued_on: date, due_days: int = DUE_DAYS) -> date:
    return issued_on + timedelta(days=due_days)


def fee_days(due_on: date, on: date, grace_days: int = GRACE_DAYS, accrued_to: date | None = None) -> int:
    """Days charged from the end of the grace period (or the last fixed day) up to and including `on`."""
    start = due_on + timedelta(days=grace_days)
    if accrued_to is not None and accrued_to > start:
        start = accrued_to
    return max(0, (on - start).days)


def late_fee(principal: Decimal, due_on: date, on: date, category: str, grace_days: int = GRACE_DAYS,
             accrued_to: date | None = None) -> Decimal:
    """The fee on `principal` unpaid from the end of the grace period (or `accrued_to`) to `on`."""
    if principal <= 0:
        return Decimal("0.00")
    return money(principal * daily_rate(category) * fee_days(due_on, on, grace_days, accrued_to))


def stage(owed: Decimal, oldest_due: date | None, today: date, notice_on: date | None = None,
          suspension_approved: bool = False, suspended: bool = False) -> Stage:
    """Where a customer's arrears stand today. `notice_on` and `suspension_approved` concern the
    current arrears (served or approved since the oldest unpaid bill fell due)."""
    if suspended:
        return Stage.restoring if owed <= 0 else Stage.suspended
    if owed <= 0 or oldest_due is None:
        return Stage.clear
    if suspension_approved:
        return Stage.suspension_approved
    if notice_on is not None:
        if today >= notice_on + timedelta(days=SUSPEND_AFTER_NOTICE_DAYS):
            return Stage.suspension_due
        return Stage.notice_served
    if today <= oldest_due:
        return Stage.due
    if today >= oldest_due + timedelta(days=NOTICE_AFTER_DAYS):
        return Stage.notice_due
    return Stage.overdue


def may_serve_notice(oldest_due: date | None, today: date) -> bool:
    return oldest_due is not None and today >= oldest_due + timedelta(days=NOTICE_AFTER_DAYS)


def may_approve_suspension(notice_on: date | None, today: date) -> bool:
    return notice_on is not None and today >= notice_on + timedelta(days=SUSPEND_AFTER_NOTICE_DAYS)


def allocate(payment: Decimal, debts: list[tuple[Decimal, Decimal]]) -> list[tuple[Decimal, Decimal]]:
    """Share a payment over debts [(fee, principal)] oldest first, each bill's fee before its principal.
    Returns [(fee paid, principal paid)] per debt; whatever is left over is not allocated."""
    left, shares = payment, []
    for fee, principal in debts:
        fee_part = min(left, fee)
        left -= fee_part
        principal_part = min(left, principal)
        left -= principal_part
        shares.append((fee_part, principal_part))
    return shares
