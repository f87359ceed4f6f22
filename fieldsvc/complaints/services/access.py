"""Who sees which complaint, lists, and the overdue list escalated to the director.

Directors, station chiefs and the statistics clerk see every complaint (complaints_view_all); everyone
else sees the ones they received or own. Anything else answers 404, so existence does not leak.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.orm import joinedload

from fieldsvc import home
from fieldsvc.complaints import rules
from fieldsvc.complaints.models import Complaint, ComplaintEvent
from fieldsvc.errors import NotFound
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require
from fieldsvc.uploads import Upload

ENTITY = "complaint"


def may_see(actor, complaint: Complaint) -> bool:
    if can(actor, P.complaints_view_all):
        return True
    return can(actor, P.complaints_intake) and actor.id in (complaint.owner_id, complaint.received_by_id)


def may_see_id(actor, complaint_id: int) -> bool:
    """For fieldsvc.uploads: the photos of a complaint are served to whoever may see it."""
    complaint = db.session.get(Complaint, complaint_id) if 0 < complaint_id <= MAX_ID else None
    return complaint is not None and may_see(actor, complaint)


MAX_ID = 2**31 - 1  # larger numbers in a URL are no id of ours (and would overflow the database type)


def get_complaint(actor, complaint_id: int) -> Complaint:
    require(actor, P.complaints_intake)
    complaint = None if not 0 < complaint_id <= MAX_ID else db.session.get(Complaint, complaint_id, options=[
        joinedload(Complaint.owner), joinedload(Complaint.customer), joinedload(Complaint.work_order)])
    if complaint is None or not may_see(actor, complaint):
        raise NotFound(_("No such complaint."))
    return complaint


def _visible(stmt, actor):
    if can(actor, P.complaints_view_all):
        return stmt
    require(actor, P.complaints_intake)
    return stmt.where(or_(Complaint.owner_id == actor.id, Complaint.received_by_id == actor.id))


def overdue_clause(now: datetime):
    """SQL form of rules.is_overdue (kept in step by tests/complaints/test_services.py)."""
    return or_(
        and_(Complaint.status == rules.Status.received, Complaint.first_contacted_at.is_(None),
             Complaint.first_contact_due < now),
        and_(Complaint.status.in_([s.value for s in rules.UNRESOLVED]), Complaint.resolve_due < now),
    )


def list_complaints(actor, status: str | None = None, category: str | None = None, overdue: bool = False,
                    open_only: bool = False, mine: bool = False, q: str | None = None,
                    page: int = 1, per_page: int = 50) -> tuple[list[Complaint], int]:
    """Newest first. `q` finds a tracking number, a phone number or a name (prefix)."""
    stmt = _visible(select(Complaint), actor)
    if status:
        stmt = stmt.where(Complaint.status == status)
    if category:
        stmt = stmt.where(Complaint.category == category)
    if open_only:
        stmt = stmt.where(Complaint.status.in_([s.value for s in rules.OPEN]))
    if overdue:
        stmt = stmt.where(overdue_clause(utcnow()))
    if mine:
        stmt = stmt.where(or_(Complaint.owner_id == actor.id, Complaint.received_by_id == actor.id))
    if q and q.strip():
        text = q.strip()
        tracking = rules.normalise_tracking(text)
        stmt = stmt.where(or_(Complaint.tracking_no == (tracking or text.upper()),
                              Complaint.contact_phone.startswith(text, autoescape=True),
                              Complaint.contact_name.startswith(text, autoescape=True)))
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.options(joinedload(Complaint.owner))
                              .order_by(Complaint.received_at.desc(), Complaint.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).scalars()
    return list(rows), total


def overdue_list(actor, limit: int = 100) -> list[Complaint]:
    """What missed a clock, oldest due first: the director's escalation list."""
    stmt = _visible(select(Complaint), actor).where(overdue_clause(utcnow()))
    stmt = stmt.options(joinedload(Complaint.owner)).order_by(Complaint.received_at, Complaint.id).limit(limit)
    return list(db.session.execute(stmt).scalars())


def overdue_figures(actor) -> dict:
    """For the home page (asked with every card's figures): overdue complaints this user sees (all of them
    for the director)."""
    if not can(actor, P.complaints_intake):
        return {"overdue": literal(0)}
    return {"overdue": _visible(select(func.count(Complaint.id)), actor).where(overdue_clause(utcnow()))}


def overdue_count(actor) -> int:
    return home.figures_of(overdue_figures(actor))["overdue"]


def history(actor, complaint: Complaint) -> list[ComplaintEvent]:
    if not may_see(actor, complaint):
        raise NotFound(_("No such complaint."))
    stmt = (select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id)
            .options(joinedload(ComplaintEvent.actor)).order_by(ComplaintEvent.id))
    return list(db.session.execute(stmt).scalars())


def photos(actor, complaint: Complaint) -> list[Upload]:
    if not may_see(actor, complaint):
        raise NotFound(_("No such complaint."))
    stmt = select(Upload).where(Upload.entity == ENTITY, Upload.entity_id == complaint.id).order_by(Upload.id)
    return list(db.session.execute(stmt).scalars())


@dataclass(frozen=True)
class PublicStatus:
    """All the public status page may show: the number, the state, its times and, once a solution is
    approved, the owner's reply (refused at input when it names anyone or gives a phone number, and
    masked again here). No names, phones, notes, categories or descriptions, so the template cannot
    leak them even by mistake."""

    tracking_no: str
    status: str
    received_at: datetime
    first_contact_due: datetime
    first_contacted_at: datetime | None
    resolve_due: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    reply: str | None = None  # the owner's reply, once a solution is approved (rules.public_reply)


def public_status(tracking_no: str | None) -> PublicStatus:
    """The status of one complaint by its tracking number (no login); unknown or malformed → 404."""
    number = rules.normalise_tracking(tracking_no)
    row = None
    if number is not None:
        row = db.session.execute(select(
            Complaint.tracking_no, Complaint.status, Complaint.received_at, Complaint.first_contact_due,
            Complaint.first_contacted_at, Complaint.resolve_due, Complaint.resolved_at, Complaint.closed_at,
            Complaint.reply_text).where(Complaint.tracking_no == number)).one_or_none()
    if row is None:
        raise NotFound(_("No request or complaint has this tracking number."))
    *times, reply_text = row
    return PublicStatus(*times, reply=rules.public_reply(row.status, reply_text))
