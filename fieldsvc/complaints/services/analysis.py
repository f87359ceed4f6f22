"""The director's monthly analysis, aggregated in SQL: counts by category, channel, department and
cause; time to first contact and to resolution (median hours, share within target); satisfaction of
the follow-up calls against the charter's 95 % goal; repeat complainants; improvement actions.

Which complaints count: those received in the month (counts and clocks), and the follow-up calls made
in the month (satisfaction). Medians are computed in the database with a window function (row_number
over the sorted durations), the same SQL on SQLite and PostgreSQL.
"""
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Float, case, cast, func, or_, select

from fieldsvc import audit, clock
from fieldsvc.complaints import rules
from fieldsvc.complaints.models import Complaint, ComplaintImprovement
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.permissions import P, require

NC_ORIGIN = "complaint"
NC_SOURCE = "complaint_improvement"


@dataclass
class Clock:
    done: int = 0
    within: int = 0
    median_hours: Decimal | None = None

    @property
    def within_pct(self) -> Decimal | None:
        return rules.share_pct(self.within, self.done)


@dataclass
class Analysis:
    year: int
    month: int
    total: int = 0
    not_valid: int = 0
    reopened: int = 0
    compensation: Decimal = Decimal(0)
    by_category: list = field(default_factory=list)
    by_channel: list = field(default_factory=list)
    by_department: list = field(default_factory=list)
    by_cause: list = field(default_factory=list)
    first_contact: Clock = field(default_factory=Clock)
    resolution: Clock = field(default_factory=Clock)
    calls: int = 0
    satisfied: int = 0
    by_score: dict = field(default_factory=dict)
    repeat: list = field(default_factory=list)
    improvements: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def satisfied_pct(self) -> Decimal | None:
        return rules.share_pct(self.satisfied, self.calls)

    @property
    def goal_met(self) -> bool | None:
        pct = self.satisfied_pct
        return None if pct is None else pct >= rules.SATISFACTION_GOAL_PCT


def monthly(actor, year: int, month: int) -> Analysis:
    require(actor, P.complaints_view_all)
    zone = clock.zone()
    start, end = rules.month_bounds(year, month, zone)
    in_month = (Complaint.received_at >= start, Complaint.received_at < end)
    result = Analysis(year, month)
    totals = db.session.execute(select(
        func.count(Complaint.id),
        func.sum(case((Complaint.valid.is_(False), 1), else_=0)),
        func.sum(case((Complaint.reopen_count > 0, 1), else_=0)),
        func.sum(Complaint.compensation)).where(*in_month)).one()
    result.total, result.not_valid, result.reopened = totals[0], totals[1] or 0, totals[2] or 0
    result.compensation = Decimal(totals[3] or 0)
    for name, column in (("by_category", Complaint.category), ("by_channel", Complaint.channel),
                         ("by_department", Complaint.department), ("by_cause", Complaint.cause)):
        setattr(result, name, _count_by(column, in_month))
    result.first_contact = _clock(Complaint.first_contacted_at, Complaint.first_contact_due, in_month)
    result.resolution = _clock(Complaint.resolved_at, Complaint.resolve_due, in_month)
    _satisfaction(result, start, end)
    result.repeat = _repeat_complainants(year, month, start, end, zone)
    result.improvements = list(db.session.execute(
        select(ComplaintImprovement).where(ComplaintImprovement.month == result.key)
        .order_by(ComplaintImprovement.id)).scalars())
    return result


def _count_by(column, where) -> list[tuple[str | None, int]]:
    count = func.count(Complaint.id)
    rows = db.session.execute(select(column, count).where(*where).group_by(column).order_by(count.desc(), column))
    return [(value, n) for value, n in rows]


def _hours(start, end):
    """Hours between two timestamp columns, in the dialect's own date arithmetic."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.extract("epoch", end - start), Float) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def _clock(done_column, due_column, where) -> Clock:
    done = db.session.execute(select(
        func.count(Complaint.id), func.sum(case((done_column <= due_column, 1), else_=0)))
        .where(*where, done_column.is_not(None))).one()
    hours = _hours(Complaint.received_at, done_column).label("h")
    ranked = (select(hours, func.row_number().over(order_by=hours).label("rn"), func.count().over().label("n"))
              .where(*where, done_column.is_not(None)).subquery())
    median = db.session.execute(select(func.avg(ranked.c.h)).where(
        or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2))).scalar()
    return Clock(done=done[0], within=done[1] or 0,
                 median_hours=None if median is None else Decimal(str(round(float(median), 1))))


def _satisfaction(result: Analysis, start: datetime, end: datetime) -> None:
    rows = db.session.execute(select(Complaint.satisfaction, func.count(Complaint.id))
                              .where(Complaint.followed_up_at >= start, Complaint.followed_up_at < end,
                                     Complaint.satisfaction.is_not(None))
                              .group_by(Complaint.satisfaction)).all()
    result.by_score = {score: n for score, n in rows}
    result.calls = sum(result.by_score.values())
    result.satisfied = sum(n for score, n in rows if rules.satisfied(score))


def _repeat_complainants(year, month, start, end, zone) -> list:
    """Who complained in this month and at least twice in the twelve months up to its end."""
    since = rules.month_bounds(*rules.shift_month(year, month, -11), zone)[0]
    this_month = select(Complaint.complainant_key).where(
        Complaint.received_at >= start, Complaint.received_at < end, Complaint.complainant_key.is_not(None))
    count = func.count(Complaint.id)
    stmt = (select(Complaint.complainant_key, count.label("n"), func.max(Complaint.contact_name).label("name"),
                   func.max(Complaint.contact_phone).label("phone"), func.max(Complaint.customer_id).label("customer_id"))
            .where(Complaint.received_at >= since, Complaint.received_at < end,
                   Complaint.complainant_key.in_(this_month))
            .group_by(Complaint.complainant_key).having(count >= 2).order_by(count.desc(), Complaint.complainant_key))
    return list(db.session.execute(stmt).all())


def raise_improvement(actor, month_key: str, title: str, description: str) -> ComplaintImprovement:
    """Record an improvement action from the analysis and raise it as an HSE nonconformity in one step."""
    require(actor, P.complaints_approve)
    errors = {f: [_("This field is required.")] for f, v in (("title", title), ("description", description))
              if not (v or "").strip()}
    if errors:
        raise Invalid(errors)
    if "hse" not in current_app.blueprints:
        raise Conflict(_("The HSE module is not available: the improvement action was not raised."))
    from fieldsvc.hse.services import raise_from_field
    row = ComplaintImprovement(month=month_key, title=title.strip()[:200], description=description.strip(),
                               raised_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    nc = raise_from_field(actor, NC_ORIGIN, NC_SOURCE, row.id, row.title, row.description)
    row.nc_id, row.nc_number = nc.id, nc.number
    db.session.flush()
    audit.record(actor, "complaint.improvement", NC_SOURCE, row.id, month=month_key, nc_id=nc.id,
                 nc_number=nc.number)
    return row
