"""Work orders the readings rules ask for, made through the dispatch domain when it is installed.

A damaged meter needs a meter_replacement order; an approved suspension a shut-off order; a payment by
a suspended customer a restoration order (24 h). These orders follow from a rule, not from the
reader's own authority to dispatch, so they go through dispatch's rule-driven `new_order` (as its
follow-up visits do). When dispatch is not installed or has no order type for the job, nothing is
made and the caller keeps a flag that the chief's review page lists.
"""
from datetime import datetime

from flask import current_app

from fieldsvc.errors import DomainError
from fieldsvc.extensions import db

REPLACEMENT = "meter_replacement"
SUSPENSION = "suspension"
RESTORATION = "restoration"


def dispatch_offers(order_type: str) -> bool:
    """True when the dispatch domain is installed in this app and knows the order type."""
    from fieldsvc import DOMAINS
    if "dispatch" not in DOMAINS:
        return False
    try:
        from fieldsvc.dispatch import rules
        from fieldsvc.dispatch.services import orders  # noqa: F401
    except ImportError:  # pragma: no cover - dispatch half-installed
        return False
    return order_type in {t.value for t in rules.OrderType}


def request_order(actor, order_type: str, customer_id: int, description: str,
                  deadline: datetime | None = None, priority: str = "normal") -> int | None:
    """The id of the new work order, or None when dispatch cannot take it (the caller flags it)."""
    if not dispatch_offers(order_type):
        return None
    from fieldsvc.dispatch.services.orders import new_order
    savepoint = db.session.begin_nested()
    try:
        order = new_order(actor, {"type": order_type, "customer_id": customer_id, "priority": priority,
                                  "description": description,
                                  "deadline": deadline.date() if deadline else None})
        savepoint.commit()
        return order.id
    except DomainError as exc:
        savepoint.rollback()
        current_app.logger.warning("work order %s for customer %s not created: %s", order_type, customer_id, exc)
        return None
