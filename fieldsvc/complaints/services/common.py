"""Shared steps of the complaint services: the configured targets, the resolution clock on the working-day
calendar, the history line + audit entry, and the optimistic lock."""
import json
from datetime import datetime

from flask import current_app
from sqlalchemy.orm.exc import StaleDataError

from fieldsvc import audit, clock
from fieldsvc.calendar import services as calendar
from fieldsvc.complaints import rules
from fieldsvc.complaints.models import Complaint, ComplaintEvent
from fieldsvc.errors import Conflict
from fieldsvc.extensions import db

ENTITY = "complaint"


def targets() -> dict:
    """The category targets with app.config["COMPLAINT_TARGETS"] applied (checked at start-up too)."""
    return rules.targets(current_app.config.get("COMPLAINT_TARGETS"))


def resolve_due(category: str, at: datetime) -> datetime:
    """The resolution clock of a complaint received (or reopened) at `at`: N working days as the
    working-day calendar counts them (holidays off, make-up working days on)."""
    table = targets()
    zone = clock.zone()
    days = table[rules.Category(category)].resolve_working_days
    overrides = calendar.working_day_overrides(at.astimezone(zone).date(), days)
    return rules.resolve_due(category, at, zone, table, overrides)


def check_version(complaint: Complaint, version: int | None) -> None:
    """A writer who says which version they saw gets a 409 when someone changed it since."""
    if version is not None and version != complaint.version:
        raise Conflict()


def flush() -> None:
    """Flush; a concurrent change of the same complaint (version column) becomes a 409, not a 500."""
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise Conflict() from exc


def record_event(actor, complaint: Complaint, action: str, from_status: str | None, note: str | None = None,
                 **data) -> ComplaintEvent:
    """The complaint's own history line and the audit entry: who, when, from, to, why."""
    clean = {k: v for k, v in data.items() if v is not None}
    event = ComplaintEvent(complaint_id=complaint.id, action=action, from_status=from_status,
                           to_status=complaint.status, actor_id=getattr(actor, "id", None), note=note,
                           data=audit_safe(clean))
    db.session.add(event)
    flush()
    audit.record(actor, f"complaint.{action}", ENTITY, complaint.id, from_status=from_status,
                 to_status=complaint.status, note=note, **clean)
    return event


def audit_safe(data: dict) -> dict:
    """JSON-friendly copy (Decimals and datetimes as text) for the event's data column."""
    return json.loads(json.dumps(data, default=str))
