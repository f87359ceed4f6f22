"""The complaints' part of a customer's timeline: each step of each of their complaints, timed."""
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from fieldsvc.complaints.models import Complaint, ComplaintEvent
from fieldsvc.customers.services import TimelineEvent, TimelineSource, add_timeline_source
from fieldsvc.customers.services.timeline import data_of, line
from fieldsvc.labels import label

# Notes stay on the complaint page: the timeline is seen by every member of staff.
SHOWN = ("receive", "contact", "reject_invalid", "acknowledge", "approve", "resolve", "confirm",
         "customer_reject", "reopen", "followup", "order", "reply", "handover")


def _rows(customer_id):
    return (select(*line(at=ComplaintEvent.at, ref=ComplaintEvent.complaint_id,
                         s=(ComplaintEvent.action, Complaint.tracking_no, Complaint.category),
                         data=ComplaintEvent.data))
            .select_from(ComplaintEvent).join(Complaint, Complaint.id == ComplaintEvent.complaint_id)
            .where(Complaint.customer_id == customer_id, ComplaintEvent.action.in_(SHOWN)))


def _events(row):
    detail = f"{row.s2} · {label(row.s3, 'complaint_category')}"
    satisfaction = data_of(row).get("satisfaction") if row.s1 == "followup" else None
    if satisfaction:
        detail += f" · {_l('Satisfaction')} {satisfaction}/5"
    yield TimelineEvent(at=row.at, kind=f"complaint.{row.s1}",
                        title=f"{_l('Complaint')}: {label(row.s1, 'complaint_action')}", detail=detail,
                        url=url_for("complaints.show", complaint_id=row.ref))


def register(app) -> None:
    add_timeline_source(app, TimelineSource("complaint", _rows, _events))
