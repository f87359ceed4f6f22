"""The complaints' part of a customer's timeline: each step of each of their complaints, timed."""
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from fieldsvc.complaints.models import Complaint, ComplaintEvent
from fieldsvc.customers.services import TimelineEvent, add_timeline_source
from fieldsvc.extensions import db
from fieldsvc.labels import label

# Notes stay on the complaint page: the timeline is seen by every member of staff.
SHOWN = ("receive", "contact", "reject_invalid", "acknowledge", "approve", "resolve", "confirm",
         "customer_reject", "reopen", "followup", "order", "reply", "handover")


def complaint_events(customer) -> list[TimelineEvent]:
    rows = db.session.execute(
        select(ComplaintEvent, Complaint.tracking_no, Complaint.category)
        .join(Complaint, Complaint.id == ComplaintEvent.complaint_id)
        .where(Complaint.customer_id == customer.id, ComplaintEvent.action.in_(SHOWN))
        .order_by(ComplaintEvent.id)).all()
    events = []
    for event, tracking_no, category in rows:
        detail = f"{tracking_no} · {label(category, 'complaint_category')}"
        if event.action == "followup" and event.data.get("satisfaction"):
            detail += f" · {_l('Satisfaction')} {event.data['satisfaction']}/5"
        events.append(TimelineEvent(
            at=event.at, kind=f"complaint.{event.action}",
            title=f"{_l('Complaint')}: {label(event.action, 'complaint_action')}", detail=detail,
            url=url_for("complaints.show", complaint_id=event.complaint_id)))
    return events


def register(app) -> None:
    add_timeline_source(app, complaint_events)
