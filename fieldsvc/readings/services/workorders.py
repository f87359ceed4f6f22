"""Work orders the readings rules ask for, made through the dispatch domain when it is installed.

A damaged meter needs a meter_replacement order; an approved suspension a shut-off order; a payment by
a suspended customer a restoration order (24 h); a payment before the shut-off cancels its order. These orders follow from a rule, not from the
reader's own authority to dispatch, so they go through dispatch's rule-driven `new_order` (as its
follow-up visits do). When dispatch is not installed or has no order type for the job, nothing is
made and the caller keeps a flag that the chief's review page lists.
"""
from datetime import date, datetime

from flask import current_app

from fieldsvc import clock
from fieldsvc.errors import DomainError
from fieldsvc.extensions import db

REPLACEMENT = "meter_replacement"
SUSPENSION = "suspension"
RESTORATION = "restoration"


def dispatch_installed() -> bool:
    """True when the dispatch domain is part of this app."""
    from fieldsvc import DOMAINS
    if "dispatch" not in DOMAINS:
        return False
    try:
        from fieldsvc.dispatch import rules  # noqa: F401
        from fieldsvc.dispatch.services import orders  # noqa: F401
    except ImportError:  # pragma: no cover - dispatch half-installed
        return False
    return True


def dispatch_offers(order_type: str) -> bool:
    """True when the dispatch domain is installed in this app and knows the order type."""
    if not dispatch_installed():
        return False
    from fieldsvc.dispatch import rules
    return order_type in {t.value for t in rules.OrderType}


def request_order(actor, order_type: str, customer_id: int, description: str,
                  deadline: datetime | None = None, priority: str = "normal") -> int | None:
    """The id of the new work order, or None when dispatch cannot take it (the caller flags it).

    `deadline` (an aware moment) can only bring the type's own target forward, to the end of its
    business day: dispatch counts a restoration's 24 h from the order's creation, in the same
    transaction as the payment, so the board shows the payment time + 24 h."""
    if not dispatch_offers(order_type):
        return None
    from fieldsvc.dispatch.services.steps import new_order
    savepoint = db.session.begin_nested()
    try:
        order = new_order(actor, {"type": order_type, "customer_id": customer_id, "priority": priority,
                                  "description": description,
                                  "deadline": _business_day(deadline)})
        savepoint.commit()
        return order.id
    except DomainError as exc:
        savepoint.rollback()
        current_app.logger.warning("work order %s for customer %s not created: %s", order_type, customer_id, exc)
        return None


def cancel_order(actor, order_id: int | None, reason: str) -> int | None:
    """Cancel an open work order a rule no longer wants (arrears paid: no shut-off), with `reason` on
    its timeline. The id of the cancelled order, or None when there was nothing to cancel (no order,
    dispatch not installed, the order already closed, done or cancelled)."""
    if order_id is None or not dispatch_installed():
        return None
    from fieldsvc.dispatch.services.orders import cancel_by_rule
    savepoint = db.session.begin_nested()
    try:
        order = cancel_by_rule(actor, order_id, reason)
        savepoint.commit()
    except DomainError as exc:
        savepoint.rollback()
        current_app.logger.warning("work order %s not cancelled: %s", order_id, exc)
        return None
    return order.id if order is not None else None


def _business_day(moment: datetime | None) -> date | None:
    """The business date of a moment (not its UTC date: 07:00 in Shanghai is the day before in UTC)."""
    return clock.business_date(moment) if moment else None
