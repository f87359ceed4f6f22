"""The figures of the dashboards and the monthly report, read-only and aggregated in SQL.

Every function takes (start, end, district_id) — business dates, both inclusive, and a district id or
None for the whole company — and returns plain numbers and dicts. Timestamp columns are compared
with the period turned into aware datetimes in the business zone: [start 00:00, end + 1 day 00:00).
Rates are percentages with one decimal, half up (`rate`), or None when there is nothing to divide by.
Each function costs a fixed number of queries, whatever the volume of records.
"""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import and_, case, func, literal, select

from fieldsvc import clock
from fieldsvc.auth.models import Qualification, User
from fieldsvc.complaints.models import Complaint
from fieldsvc.customers.models import Customer
from fieldsvc.dispatch import rules as dispatch_rules
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.extensions import db
from fieldsvc.hse.models import HseHazard, Nonconformity
from fieldsvc.hse.rules import NC_OPEN
from fieldsvc.inspections import rules as inspection_rules
from fieldsvc.inspections.models import Hazard
from fieldsvc.inspections.services import plan
from fieldsvc.metering.models import MeteringDocument, MeterTest
from fieldsvc.models import UTCDateTime
from fieldsvc.readings.models import Bill, Reading, Route, RouteStop

rate = inspection_rules.rate
QUALIFICATION_WARNING_DAYS = 60


def moment(day: date):
    """Start of a business day, as a bound parameter of the stored (UTC) type."""
    return literal(datetime.combine(day, time.min, tzinfo=clock.zone()), UTCDateTime)


def _between(column, start: date, end: date):
    """A timestamp column within the business days start … end (inclusive)."""
    return and_(column >= moment(start), column < moment(end + timedelta(days=1)))


def as_of(end: date) -> date:
    """The day snapshot figures are judged on: the period's last day, or today while it runs."""
    return min(end, clock.today())


# --- work orders --------------------------------------------------------------------------------

def orders(start: date, end: date, district_id: int | None) -> dict:
    """Work orders created in the period, counted by type and by status (one GROUP BY).

    → {"total": n, "by_type": {type: n}, "by_status": {status: n}}
    """
    stmt = (select(WorkOrder.type, WorkOrder.status, func.count())
            .where(_between(WorkOrder.created_at, start, end)).group_by(WorkOrder.type, WorkOrder.status))
    if district_id is not None:
        stmt = stmt.where(WorkOrder.district_id == district_id)
    by_type: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for type_, status, n in db.session.execute(stmt).all():
        by_type[type_] = by_type.get(type_, 0) + n
        by_status[status] = by_status.get(status, 0) + n
    return {"total": sum(by_type.values()), "by_type": by_type, "by_status": by_status}


def milestone_column():
    """The moment an order reaches its type's milestone (dispatch.rules.DEFAULT_TARGETS): on_site_at for
    emergency and repair (the clock stops at the door), completed_at for every other type."""
    on_site = [t.value for t, target in dispatch_rules.DEFAULT_TARGETS.items()
               if target.milestone == dispatch_rules.Milestone.on_site]
    return case((WorkOrder.type.in_(on_site), WorkOrder.on_site_at), else_=WorkOrder.completed_at)


def compliance(start: date, end: date, district_id: int | None) -> dict:
    """Response-time compliance of orders created in the period, per type and overall.

    An order *reached* its milestone when the milestone time (see `milestone_column`) is recorded; it
    was *on time* when that time ≤ its due_at. Cancelled orders and orders still short of their
    milestone are not counted. rate = on_time / reached.
    → {"by_type": {type: {"reached", "on_time", "rate"}}, "reached", "on_time", "rate"}
    """
    at = milestone_column()
    stmt = (select(WorkOrder.type, func.count(at), func.count(case((at <= WorkOrder.due_at, 1))))
            .where(_between(WorkOrder.created_at, start, end), WorkOrder.status != "cancelled")
            .group_by(WorkOrder.type))
    if district_id is not None:
        stmt = stmt.where(WorkOrder.district_id == district_id)
    by_type = {}
    for type_, reached, on_time in db.session.execute(stmt).all():
        if reached:
            by_type[type_] = {"reached": reached, "on_time": on_time, "rate": rate(on_time, reached)}
    reached = sum(v["reached"] for v in by_type.values())
    on_time = sum(v["on_time"] for v in by_type.values())
    return {"by_type": by_type, "reached": reached, "on_time": on_time, "rate": rate(on_time, reached)}


def percentile(values: list[float], p: int) -> float | None:
    """Nearest-rank percentile (p in 1…100) of a list; None when it is empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-p * len(ordered) // 100))  # ceil(p/100 · n)
    return ordered[rank - 1]


def emergency_arrival(start: date, end: date, district_id: int | None) -> dict:
    """Minutes from call (created_at) to arrival (on_site_at) of emergency orders created in the period
    that have arrived: count, median (the mean of the two middle values for an even count) and the
    nearest-rank 90th percentile, each to one decimal. One SELECT of the two timestamps; the list of
    emergencies in a period is small.
    """
    stmt = (select(WorkOrder.created_at, WorkOrder.on_site_at)
            .where(WorkOrder.type == dispatch_rules.OrderType.emergency, WorkOrder.on_site_at.is_not(None),
                   _between(WorkOrder.created_at, start, end)))
    if district_id is not None:
        stmt = stmt.where(WorkOrder.district_id == district_id)
    minutes = sorted((arrived - called).total_seconds() / 60 for called, arrived in db.session.execute(stmt).all())
    n = len(minutes)
    median = None
    if n:
        median = minutes[n // 2] if n % 2 else (minutes[n // 2 - 1] + minutes[n // 2]) / 2
    p90 = percentile(minutes, 90)
    return {"count": n, "median_min": None if median is None else round(median, 1),
            "p90_min": None if p90 is None else round(p90, 1)}


# --- readings and bills -------------------------------------------------------------------------

def _stops(district_id: int | None):
    stmt = select(RouteStop.id, RouteStop.meter_id).join(Route, Route.id == RouteStop.route_id).where(Route.active)
    if district_id is not None:
        stmt = stmt.where(Route.district_id == district_id)
    return stmt


def reading_completion(start: date, end: date, district_id: int | None) -> dict:
    """抄表率: stops on active routes whose meter has a reading dated (read_on) in the period that was not
    sent back, over all stops on active routes. One query.
    → {"stops", "read", "rate"}
    """
    stops = _stops(district_id).subquery()
    was_read = (select(Reading.id).where(Reading.meter_id == stops.c.meter_id, Reading.read_on >= start,
                                         Reading.read_on <= end, Reading.status != "sent_back").exists())
    row = db.session.execute(select(func.count(), func.count(case((was_read, 1))))
                             .select_from(stops)).one()
    return {"stops": row[0], "read": row[1], "rate": rate(row[1], row[0])}


def reading_trend(months: list[tuple[int, int]], district_id: int | None) -> dict[str, dict]:
    """抄表率 per cycle (YYYY-MM) for the given months, against today's stops. Two queries.
    → {"2026-11": {"stops", "read", "rate"}}
    """
    keys = [f"{y:04d}-{m:02d}" for y, m in months]
    stops = _stops(district_id).subquery()
    total = db.session.execute(select(func.count()).select_from(stops)).scalar_one()
    stmt = (select(Reading.cycle, func.count(func.distinct(Reading.meter_id)))
            .join(stops, stops.c.meter_id == Reading.meter_id)
            .where(Reading.cycle.in_(keys), Reading.status != "sent_back").group_by(Reading.cycle))
    read = dict(db.session.execute(stmt).all())
    return {k: {"stops": total, "read": read.get(k, 0), "rate": rate(read.get(k, 0), total)} for k in keys}


def arrears_recovery(start: date, end: date, district_id: int | None) -> dict:
    """回收率: principal paid over amount billed, for bills due (due_on) in the period. One query.
    → {"bills", "billed", "paid", "rate"} (money as Decimal)
    """
    stmt = (select(func.count(Bill.id), func.coalesce(func.sum(Bill.amount), 0),
                   func.coalesce(func.sum(Bill.paid_amount), 0))
            .where(Bill.due_on >= start, Bill.due_on <= end))
    if district_id is not None:
        stmt = stmt.join(Customer, Customer.id == Bill.customer_id).where(Customer.district_id == district_id)
    n, billed, paid = db.session.execute(stmt).one()
    billed, paid = Decimal(billed).quantize(Decimal("0.01")), Decimal(paid).quantize(Decimal("0.01"))
    recovery = None if not billed else (paid * 100 / billed).quantize(Decimal("0.1"))
    return {"bills": n, "billed": billed, "paid": paid, "rate": recovery}


# --- inspections --------------------------------------------------------------------------------

def inspection_coverage(start: date, end: date, district_id: int | None) -> dict:
    """安检率 and 入户率 of the inspection cycle that holds the period's last day, with the inspections
    domain's own plan expressions (each customer judged against its category's cycle): customers not
    closed; done = a completed inspection in the cycle; visited = any visit in the cycle.
    coverage = done / customers, entry_rate = done / visited. One query.
    """
    c = plan.cycle(0, today=end)
    ex = plan.expressions(c, district_id)
    done = case((ex.status == "done", 1), else_=0)
    stmt = (select(func.count(Customer.id), func.coalesce(func.sum(done), 0), func.coalesce(func.sum(ex.visited), 0))
            .select_from(Customer).outerjoin(ex.agg, ex.agg.c.customer_id == Customer.id)
            .where(Customer.status != "closed"))
    if district_id is not None:
        stmt = stmt.where(Customer.district_id == district_id)
    total, done_n, visited = (int(v or 0) for v in db.session.execute(stmt).one())
    return {"customers": total, "done": done_n, "visited": visited,
            "coverage": rate(done_n, total), "entry_rate": rate(done_n, visited)}


def household_hazards(start: date, end: date, district_id: int | None) -> dict:
    """Household hazards of grade A and B found (found_on) in the period: found; rectified (the fix is
    done: awaiting re-check or closed); 整改率 = rectified / found; overdue = still open or rectifying
    with a deadline before the judging day (`as_of`). Grade C is advice and is not counted. One query.
    """
    HS = inspection_rules.HazardStatus
    judged = as_of(end)
    stmt = (select(func.count(Hazard.id),
                   func.count(case((Hazard.status.in_([HS.awaiting_recheck.value, HS.closed.value]), 1))),
                   func.count(case((and_(Hazard.status.in_([s.value for s in inspection_rules.UNRECTIFIED]),
                                         Hazard.deadline < judged), 1))))
            .where(Hazard.grade.in_(["A", "B"]), Hazard.found_on >= start, Hazard.found_on <= end))
    if district_id is not None:
        stmt = stmt.join(Customer, Customer.id == Hazard.customer_id).where(Customer.district_id == district_id)
    found, rectified, overdue = db.session.execute(stmt).one()
    return {"found": found, "rectified": rectified, "overdue": overdue, "rate": rate(rectified, found)}


# --- metering -----------------------------------------------------------------------------------

def metering(start: date, end: date, district_id: int | None) -> dict:
    """Meter tests done (tested_on) in the period and how many failed (failure rate = failed / tests),
    and certificates (检定证书) and failure notices issued (issued_on) in the period. With a district:
    tests of that district's customers' meters only (a meter in stock belongs to no district). Two queries.
    """
    tests = select(func.count(MeterTest.id), func.count(case((MeterTest.ok.is_(False), 1)))) \
        .where(MeterTest.tested_on >= start, MeterTest.tested_on <= end)
    docs = (select(func.count(case((MeteringDocument.kind == "certificate", 1))),
                   func.count(case((MeteringDocument.kind == "notice", 1))))
            .join(MeterTest, MeterTest.id == MeteringDocument.test_id)
            .where(MeteringDocument.issued_on >= start, MeteringDocument.issued_on <= end))
    if district_id is not None:
        tests = tests.join(Customer, Customer.id == MeterTest.customer_id).where(Customer.district_id == district_id)
        docs = docs.join(Customer, Customer.id == MeterTest.customer_id).where(Customer.district_id == district_id)
    n, failed = db.session.execute(tests).one()
    certificates, notices = db.session.execute(docs).one()
    return {"tests": n, "failed": failed, "failure_rate": rate(failed, n),
            "certificates": certificates, "notices": notices}


# --- complaints ---------------------------------------------------------------------------------

def satisfaction(start: date, end: date, district_id: int | None) -> dict:
    """Follow-up calls (回访) of complaints made (followed_up_at) in the period with a score 1–5: count,
    mean score (two decimals) and the share scoring 4 or 5. One query.
    """
    stmt = (select(func.count(Complaint.satisfaction), func.sum(Complaint.satisfaction),
                   func.count(case((Complaint.satisfaction >= 4, 1))))
            .where(Complaint.satisfaction.is_not(None), _between(Complaint.followed_up_at, start, end)))
    if district_id is not None:
        stmt = stmt.where(Complaint.district_id == district_id)
    n, total, satisfied = db.session.execute(stmt).one()
    mean = None if not n else (Decimal(total) / n).quantize(Decimal("0.01"))
    return {"count": n, "mean": mean, "satisfied": satisfied, "satisfied_rate": rate(satisfied, n)}


# --- HSE and staff ------------------------------------------------------------------------------

def hse(start: date, end: date, district_id: int | None) -> dict:
    """Company-wide snapshot (the HSE registers are kept per department, not per district, so the
    district is ignored): significant hazard sources in the active register, and nonconformities open
    now (draft … effectiveness check). One query.
    """
    significant = select(func.count(HseHazard.id)).where(HseHazard.significant.is_(True),
                                                         HseHazard.status == "active").scalar_subquery()
    open_ncs = select(func.count(Nonconformity.id)).where(Nonconformity.status.in_(NC_OPEN)).scalar_subquery()
    row = db.session.execute(select(significant, open_ncs)).one()
    return {"significant_hazards": row[0], "open_nonconformities": row[1]}


def qualifications(start: date, end: date, district_id: int | None) -> dict:
    """Qualifications of active staff, on the judging day (`as_of`): expired (expires_on before it) and
    expiring (within QUALIFICATION_WARNING_DAYS from it, inclusive). With a district: its staff. One query.
    """
    judged = as_of(end)
    horizon = judged + timedelta(days=QUALIFICATION_WARNING_DAYS)
    stmt = (select(func.count(case((Qualification.expires_on < judged, 1))),
                   func.count(case((and_(Qualification.expires_on >= judged, Qualification.expires_on <= horizon), 1))))
            .join(User, User.id == Qualification.user_id).where(User.active.is_(True)))
    if district_id is not None:
        stmt = stmt.where(User.district_id == district_id)
    expired, expiring = db.session.execute(stmt).one()
    return {"expired": expired, "expiring": expiring, "days": QUALIFICATION_WARNING_DAYS}


FIGURES = {
    "orders": orders, "compliance": compliance, "emergency": emergency_arrival,
    "readings": reading_completion, "arrears": arrears_recovery, "inspections": inspection_coverage,
    "hazards": household_hazards, "metering": metering, "satisfaction": satisfaction, "hse": hse,
    "qualifications": qualifications,
}


def all_figures(start: date, end: date, district_id: int | None) -> dict:
    """Every figure family of the period (a fixed number of queries)."""
    return {name: fn(start, end, district_id) for name, fn in FIGURES.items()}


def orders_by_month(months: list[tuple[int, int]], district_id: int | None) -> dict[str, int]:
    """Work orders created per calendar month (business zone), one query with one bucket per month."""
    buckets = []
    for y, m in months:
        first = date(y, m, 1)
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        buckets.append(func.count(case((and_(WorkOrder.created_at >= moment(first),
                                             WorkOrder.created_at < moment(nxt)), 1))))
    stmt = select(*buckets)
    if district_id is not None:
        stmt = stmt.where(WorkOrder.district_id == district_id)
    row = db.session.execute(stmt).one()
    return {f"{y:04d}-{m:02d}": n for (y, m), n in zip(months, row, strict=True)}


def districts_comparison(start: date, end: date) -> list[dict]:
    """Per district: orders created in the period and their response-time compliance. One query."""
    from fieldsvc.customers.models import District
    at = milestone_column()
    in_period = and_(_between(WorkOrder.created_at, start, end))
    stmt = (select(District.id, District.name, func.count(WorkOrder.id),
                   func.count(case((WorkOrder.status != "cancelled", at))),
                   func.count(case((and_(WorkOrder.status != "cancelled", at <= WorkOrder.due_at), 1))))
            .outerjoin(WorkOrder, and_(WorkOrder.district_id == District.id, in_period))
            .group_by(District.id, District.name).order_by(District.name))
    return [{"id": i, "name": name, "orders": n, "reached": reached, "on_time": on_time,
             "rate": rate(on_time, reached)} for i, name, n, reached, on_time in db.session.execute(stmt).all()]


