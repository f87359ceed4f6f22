"""The follow-up call after closure (回访): satisfaction 1–5 and comments. A dissatisfied answer (1–2)
reopens the complaint for investigation with a new resolution clock."""
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from fieldsvc.complaints import rules
from fieldsvc.complaints.models import Complaint
from fieldsvc.complaints.services.access import get_complaint
from fieldsvc.complaints.services.common import check_version, flush, record_event
from fieldsvc.complaints.services.handling import _label, _reopen
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require

FOLLOW_UP = (rules.Status.closed, rules.Status.closed_invalid)


def record_followup(actor, complaint_id: int, satisfaction: int, comments: str | None = None,
                    version: int | None = None) -> Complaint:
    require(actor, P.complaints_handle)
    complaint = get_complaint(actor, complaint_id)
    check_version(complaint, version)
    if complaint.status not in FOLLOW_UP:
        raise Conflict(_("The follow-up call comes after the complaint is closed (it is %(status)s).",
                         status=_label("complaint_status", complaint.status)))
    if satisfaction not in rules.SATISFACTION_RANGE:
        raise Invalid({"satisfaction": [_("Give a score from 1 to 5.")]})
    comments = (comments or "").strip() or None
    complaint.satisfaction, complaint.followup_comments = satisfaction, comments
    complaint.followed_up_at, complaint.followed_up_by_id = utcnow(), actor.id
    from_status = complaint.status
    reopened = rules.reopens_on_followup(satisfaction)
    if reopened:
        _reopen(complaint)
        complaint.status = rules.Status.investigating
    flush()
    record_event(actor, complaint, "followup", from_status, comments, satisfaction=satisfaction,
                 reopened=reopened or None)
    return complaint


def followups_due(actor, limit: int = 100) -> list[Complaint]:
    """Closed complaints not yet called back since they were (last) closed, oldest first."""
    require(actor, P.complaints_handle)
    stmt = (select(Complaint).where(Complaint.status.in_([s.value for s in FOLLOW_UP]),
                                    or_(Complaint.followed_up_at.is_(None),
                                        Complaint.followed_up_at < Complaint.closed_at))
            .options(joinedload(Complaint.owner)).order_by(Complaint.closed_at, Complaint.id).limit(limit))
    return list(db.session.execute(stmt).scalars())
