"""The foundation's contribution to a customer's timeline: the audit trail of the customer record."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from fieldsvc.audit import AuditEntry
from fieldsvc.customers.services import TIMELINE_SOURCES, TimelineEvent
from fieldsvc.extensions import db

TITLES = {
    "customer.create": _l("Customer registered"),
    "customer.update": _l("Customer details changed"),
    "meter.install": _l("Meter installed"),
    "meter.remove": _l("Meter removed"),
    "appliance.add": _l("Appliance recorded"),
}


def _detail(entry: AuditEntry) -> str:
    data = entry.data or {}
    if entry.action in ("meter.install", "meter.remove"):
        reading = data.get("start_reading") if entry.action == "meter.install" else data.get("final_reading")
        return " · ".join(str(x) for x in (data.get("serial_no"), reading) if x is not None)
    if entry.action == "customer.update":
        return ", ".join(sorted(data.get("changes", {})))
    return str(data.get("kind") or data.get("account_no") or "")


def audit_events(customer) -> list[TimelineEvent]:
    stmt = (select(AuditEntry).where(AuditEntry.entity == "customer", AuditEntry.entity_id == customer.id,
                                     AuditEntry.action.in_(list(TITLES))).order_by(AuditEntry.id))
    return [TimelineEvent(at=e.at, kind=e.action, title=str(TITLES[e.action]), detail=_detail(e))
            for e in db.session.execute(stmt).scalars()]


def register() -> None:
    if audit_events not in TIMELINE_SOURCES:
        TIMELINE_SOURCES.append(audit_events)
