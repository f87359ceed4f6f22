"""The complaint ledger (投诉台账) and the judging of the complaint clocks that the ledger and the reports'
on-time rate share.

Who may have the ledger (deny by default): the director and the statistics clerk, every complaint; a
station chief, the complaints of their own district (one without a district is not theirs); anyone
else, no one — even with complaints_view_all.

A clock is judged with `rules.clocks` / `rules.verdict` (`rules.clock_state` against the due time stored on the complaint (set by
`rules.first_contact_due` / `rules.resolve_due` when it was received, the resolution clock restarted on
a reopening), so the ledger, the complaint page and the reports agree, and a working-day calendar behind
`rules.resolve_due` shows here without a change).
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from fieldsvc import clock, exports
from fieldsvc.complaints import rules
from fieldsvc.complaints.models import Complaint
from fieldsvc.errors import Invalid, NotAllowed
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, Role, require

MAX_DAYS = 366
WHOLE_COMPANY = frozenset({Role.director, Role.statistician})
OWN_DISTRICT = frozenset({Role.station_chief})

# --- who, and which complaints -----------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    district_id: int | None  # None: every district


def scope(actor) -> Scope:
    """The complaints the actor's ledger holds; NotAllowed for anyone not granted it."""
    require(actor, P.complaints_view_all)
    if actor.role in WHOLE_COMPANY:
        return Scope(None)
    if actor.role in OWN_DISTRICT and actor.district_id is not None:
        return Scope(actor.district_id)
    raise NotAllowed()


def may_download(actor) -> bool:
    """Whether the complaints list offers the ledger to this user."""
    try:
        scope(actor)
    except NotAllowed:
        return False
    return True


def _month_end(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def period(start: date | None, end: date | None) -> tuple[date, date]:
    """Complaints received from `start` to `end` (inclusive): this month when neither is given, the
    month of the one given otherwise; at most MAX_DAYS days."""
    if start is None and end is None:
        start = clock.today().replace(day=1)
    start = start or end.replace(day=1)
    end = end or _month_end(start)
    if end < start:
        raise Invalid({"to": [_("The end of the period is before its start.")]})
    if (end - start).days >= MAX_DAYS:
        raise Invalid({"to": [_("A period can be at most %(n)s days long.", n=MAX_DAYS)]})
    return start, end


def complaints(actor, start: date, end: date) -> list[Complaint]:
    """The ledger's complaints: received in the period, in the actor's scope, oldest first."""
    where = scope(actor)
    zone = clock.zone()
    stmt = (select(Complaint)
            .where(Complaint.received_at >= datetime.combine(start, time.min, zone),
                   Complaint.received_at < datetime.combine(end + timedelta(days=1), time.min, zone))
            .options(joinedload(Complaint.owner), joinedload(Complaint.received_by),
                     joinedload(Complaint.approved_by), joinedload(Complaint.district),
                     joinedload(Complaint.customer), selectinload(Complaint.solutions))
            .order_by(Complaint.received_at, Complaint.id))
    if where.district_id is not None:
        stmt = stmt.where(Complaint.district_id == where.district_id)
    return list(db.session.execute(stmt).unique().scalars())


# --- the workbook ------------------------------------------------------------------------------------

COLUMNS = (
    _l("Tracking no."), _l("Received"), _l("Channel"), _l("Category"), _l("District"), _l("Account no."),
    _l("Description"), _l("Status"), _l("Received by"), _l("Owner"),
    _l("First contact due"), _l("First contacted"), _l("First-contact clock"),
    _l("Resolution due"), _l("Resolved"), _l("Resolution clock"), _l("Closed"),
    _l("Valid"), _l("Finding"), _l("Finding, detail"), _l("Solution"), _l("Compensation (yuan)"),
    _l("Approved by"), _l("Approved"), _l("Actions taken"),
    _l("Follow-up call"), _l("Follow-up score (1–5)"), _l("Follow-up comments"), _l("Times reopened"),
)


def _name(user) -> str | None:
    return user.name if user is not None else None


def _solution(c: Complaint) -> str | None:
    chosen = c.approved_solution or (c.current_solutions[-1] if c.current_solutions else None)
    return chosen.description if chosen else None


def _clock_word(state: str) -> str:
    return _("Not applicable") if state == rules.NOT_APPLICABLE else label(state, "complaint_clock")


def row(c: Complaint, now: datetime) -> list:
    first, resolve = rules.clocks(c.first_contact_due, c.first_contacted_at, c.resolve_due, c.resolved_at, c.valid, now)
    valid = None if c.valid is None else (_("Yes") if c.valid else _("No"))
    finding = label(c.cause, "complaint_cause") if c.cause else None
    detail = c.cause_detail if c.valid is not False else (c.invalid_reason or c.cause_detail)
    return [c.tracking_no, c.received_at, label(c.channel, "complaint_channel"),
            label(c.category, "complaint_category"), c.district.name if c.district else None,
            c.customer.account_no if c.customer else c.account_no_given, c.description,
            label(c.status, "complaint_status"), _name(c.received_by), _name(c.owner),
            c.first_contact_due, c.first_contacted_at, _clock_word(first),
            c.resolve_due, c.resolved_at, _clock_word(resolve), c.closed_at,
            valid, finding, detail, _solution(c), c.compensation,
            _name(c.approved_by), c.approved_at, c.actions_taken,
            c.followed_up_at, c.satisfaction, c.followup_comments, c.reopen_count]


def _penalty_text(items) -> str | None:
    parts = []
    for p in items:
        what = " · ".join(x for x in (_("%(amount)s yuan", amount=p.amount) if p.amount is not None else None, p.measure) if x)
        parts.append(f"{p.person.name if p.person else ''}: {what} ({p.decided_on.isoformat()})")
    return "; ".join(parts) or None


def workbook(actor, start: date, end: date) -> bytes:
    """The ledger as XLSX (through the one export writer: text cleaned, formulas neutralised), one
    complaint a row, the clocks judged now."""
    from fieldsvc.complaints.services import penalties
    items = complaints(actor, start, end)
    now = utcnow()
    # Penalties on the responsible person: a column of the director's ledger only.
    fines = penalties.by_complaint(actor, [c.id for c in items]) if penalties.may_see(actor) else None
    book = exports.Xlsx(_("Complaint ledger"))
    book.row([_("Complaint ledger"), f"{start.isoformat()} – {end.isoformat()}"], bold=True)
    book.row([str(c) for c in COLUMNS] + ([_("Penalties on the responsible person")] if fines is not None else []),
             bold=True, fill="FFEEF1F5", wrap=True)
    for c in items:
        book.row(row(c, now) + ([_penalty_text(fines.get(c.id, []))] if fines is not None else []))
    for column, width in ((1, 22), (2, 18), (7, 40), (19, 18), (20, 36), (21, 36), (25, 30), (28, 30)):
        book.width(column, width)
    book.freeze("B3")
    return book.bytes()
