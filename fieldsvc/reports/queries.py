"""The figures of the dashboards and the monthly report, read-only and aggregated in SQL.

Every function takes (start, end, district_id) — business dates, both inclusive, and a district id or
None for the whole company — and returns plain numbers and dicts. Timestamp columns are compared
with the period turned into aware datetimes in the business zone: [start 00:00, end + 1 day 00:00).
Rates are percentages with one decimal, half up (`rate`), or None when there is nothing to divide by.
Each function costs a fixed number of queries, whatever the volume of records.
"""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    true,
    union_all,
)

from fieldsvc import clock
from fieldsvc.auth.models import Qualification, User
from fieldsvc.complaints.models import Complaint
from fieldsvc.customers.models import Customer, Meter
from fieldsvc.dispatch import rules as dispatch_rules
from fieldsvc.dispatch.models import Completion, WorkOrder
from fieldsvc.extensions import db
from fieldsvc.hse.models import HseHazard, Nonconformity
from fieldsvc.hse.rules import NC_OPEN
from fieldsvc.inspections import rules as inspection_rules
from fieldsvc.inspections.models import Hazard, Inspection
from fieldsvc.inspections.services import plan
from fieldsvc.metering.models import MeteringDocument, MeterTest
from fieldsvc.models import UTCDateTime
from fieldsvc.readings.models import Bill, Reading, Route, RouteStop, Skip
from fieldsvc.readings.rules import Kind

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


def one_row(selects: list) -> tuple:
    """The values of one-row SELECTs (aggregates without GROUP BY), all in one statement: each becomes a
    derived table and they are cross-joined (one row × one row …), so every aggregate is still computed
    once, by its own plan, and the page pays one round trip instead of one per figure."""
    if len(selects) == 1:
        return tuple(db.session.execute(selects[0]).one())
    tables = [s.subquery() for s in selects]
    joined = tables[0]
    for t in tables[1:]:
        joined = joined.join(t, true())
    return tuple(db.session.execute(select(*[c for t in tables for c in t.c]).select_from(joined)).one())


# --- work orders --------------------------------------------------------------------------------

def order_groups(start: date, end: date, district_id: int | None):
    """The period's work orders grouped by district, type and status: how many, how many reached their
    milestone (`milestone_column`) and how many of those on time (≤ due_at). `orders`, `compliance` and
    `districts_comparison` are all sums of these rows, so a page that shows the three pays one GROUP BY.
    → SELECT (district_id, type, status, n, reached, on_time)"""
    at = milestone_column()
    stmt = (select(WorkOrder.district_id, WorkOrder.type, WorkOrder.status, func.count(), func.count(at),
                   func.count(case((at <= WorkOrder.due_at, 1))))
            .where(_between(WorkOrder.created_at, start, end))
            .group_by(WorkOrder.district_id, WorkOrder.type, WorkOrder.status))
    if district_id is not None:
        stmt = stmt.where(WorkOrder.district_id == district_id)
    return stmt


def _by_type_and_status(groups) -> list:
    return sorted(groups, key=lambda g: (g[1], g[2]))  # the order the former GROUP BY (type, status) gave


def orders_of(groups) -> dict:
    """`orders` from `order_groups` rows."""
    by_type: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for _district, type_, status, n, _reached, _on_time in _by_type_and_status(groups):
        by_type[type_] = by_type.get(type_, 0) + n
        by_status[status] = by_status.get(status, 0) + n
    return {"total": sum(by_type.values()), "by_type": by_type, "by_status": by_status}


def orders(start: date, end: date, district_id: int | None) -> dict:
    """Work orders created in the period, counted by type and by status (one GROUP BY).

    → {"total": n, "by_type": {type: n}, "by_status": {status: n}}
    """
    return orders_of(db.session.execute(order_groups(start, end, district_id)).all())


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
    return compliance_of(db.session.execute(order_groups(start, end, district_id)).all())


def compliance_of(groups) -> dict:
    """`compliance` from `order_groups` rows."""
    per_type: dict[str, list[int]] = {}
    for _district, type_, status, _n, reached, on_time in _by_type_and_status(groups):
        if status != "cancelled":
            counts = per_type.setdefault(type_, [0, 0])
            counts[0] += reached
            counts[1] += on_time
    by_type = {t: {"reached": reached, "on_time": on_time, "rate": rate(on_time, reached)}
               for t, (reached, on_time) in per_type.items() if reached}
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
    return emergency_of(db.session.execute(emergency_rows(start, end, district_id)).all())


def emergency_rows(start: date, end: date, district_id: int | None):
    """The emergency orders created in the period that have arrived → SELECT (created_at, on_site_at)."""
    stmt = (select(WorkOrder.created_at, WorkOrder.on_site_at)
            .where(WorkOrder.type == dispatch_rules.OrderType.emergency, WorkOrder.on_site_at.is_not(None),
                   _between(WorkOrder.created_at, start, end)))
    if district_id is not None:
        stmt = stmt.where(WorkOrder.district_id == district_id)
    return stmt


def emergency_of(pairs) -> dict:
    """`emergency_arrival` from (created_at, on_site_at) pairs."""
    minutes = sorted((arrived - called).total_seconds() / 60 for called, arrived in pairs)
    n = len(minutes)
    median = None
    if n:
        median = minutes[n // 2] if n % 2 else (minutes[n // 2 - 1] + minutes[n // 2]) / 2
    p90 = percentile(minutes, 90)
    return {"count": n, "median_min": None if median is None else round(median, 1),
            "p90_min": None if p90 is None else round(p90, 1)}


# --- readings and bills -------------------------------------------------------------------------
#
# 抄表率 (reading completion) of a period or of each month of the trend, from the same definition.
# The data model keeps no history of route membership (a stop has no dates, a route only its present
# `active` flag), so a past period's planned stops are rebuilt from what was recorded then:
#   planned = the stops on today's active routes whose meter was in service by the period's end
#             (Meter.installed_on empty or on/before it)
#           ∪ every meter with route work recorded in the period on a route of the district: a reading
#             (any status, bar the start reading of a new meter) or a skip on that route.
#   read    = planned meters with a reading *taken* in the period: actual, customer self-read or a meter
#             change's final reading, not sent back (an estimate is not a reading taken; RULES.md §3).
# A stop removed from its route without ever being visited in a month, or a route switched off without
# a single visit that month, is not known for that month: such months read slightly high.

TAKEN_KINDS = (Kind.actual.value, Kind.self_read.value, Kind.final.value)  # a value read off the meter
START_KIND = Kind.start.value  # a new meter's first value (meter change): not route work


def _today_stops(district_id: int | None):
    """The plan as it stands: the meters of the stops on active routes (of the district)."""
    stmt = (select(RouteStop.meter_id.label("meter_id")).join(Route, Route.id == RouteStop.route_id)
            .where(Route.active.is_(True)))
    if district_id is not None:
        stmt = stmt.where(Route.district_id == district_id)
    return stmt


def _in_service(meter_id_column, end: date):
    """The meter was in service by the day: not one put in after it (Meter.installed_on; empty counts as
    always). A list of the few meters installed since, found by index: the stops are never joined to
    the meters table."""
    return meter_id_column.not_in(select(Meter.id).where(Meter.installed_on > end))


def _on_route(route_id_column, district_id: int | None):
    """A reading or skip recorded on a route (of the district)."""
    if district_id is None:
        return route_id_column.is_not(None)
    return route_id_column.in_(select(Route.id).where(Route.district_id == district_id).scalar_subquery())


def planned_today(periods: list[tuple[date, date]], district_id: int | None):
    """Today's stops in service at each period's end: a one-row SELECT (one count per period)."""
    today = _today_stops(district_id).subquery()
    return select(*[func.count(case((_in_service(today.c.meter_id, end), 1))) for _start, end in periods]
                  ).select_from(today)


def route_work(periods: list[tuple[date, date]], district_id: int | None):
    """One GROUP BY over the periods' readings and skips (per period and meter: recorded on a route? read?)
    joined to today's stops → SELECT (period, meters with route work not among today's stops, read)."""
    ends = [end for _start, end in periods]
    first, last = periods[0][0], ends[-1]

    def period_of(day_column=None, moment_column=None):
        if day_column is not None:
            return case(*[(and_(day_column >= s, day_column <= e), i) for i, (s, e) in enumerate(periods)])
        return case(*[(and_(moment_column >= moment(s), moment_column < moment(e + timedelta(days=1))), i)
                      for i, (s, e) in enumerate(periods)])
    today = _today_stops(district_id).subquery()
    on_route = case((_on_route(Reading.route_id, district_id), 1), else_=0)
    taken = case((and_(Reading.kind.in_(TAKEN_KINDS), Reading.status != "sent_back"), 1), else_=0)
    readings = (select(period_of(day_column=Reading.read_on).label("period"),
                       Reading.meter_id.label("meter_id"), on_route.label("on_route"), taken.label("taken"))
                .where(Reading.read_on >= first, Reading.read_on <= last, Reading.kind != START_KIND))
    if district_id is not None:
        # Only a narrowing: a reading neither on the district's routes nor of one of its stops counts
        # nowhere below. For the whole company it would narrow nothing and cost a pass over the stops.
        readings = readings.where(or_(_on_route(Reading.route_id, district_id),
                                      Reading.meter_id.in_(select(today.c.meter_id))))
    rows = union_all(
        readings,
        select(period_of(moment_column=Skip.at),
               Skip.meter_id, literal(1), literal(0))
        .where(_between(Skip.at, first, last), _on_route(Skip.route_id, district_id)),
    ).subquery()
    per_meter = (select(rows.c.period, rows.c.meter_id, func.max(rows.c.on_route).label("on_route"),
                        func.max(rows.c.taken).label("taken"))
                 .where(rows.c.period.is_not(None)).group_by(rows.c.period, rows.c.meter_id).subquery())
    counted_today = and_(today.c.meter_id.is_not(None),
                         or_(*[and_(per_meter.c.period == i, _in_service(per_meter.c.meter_id, end))
                               for i, end in enumerate(ends)]))
    return (select(per_meter.c.period,
                   func.count(case((and_(per_meter.c.on_route == 1, not_(counted_today)), 1))),
                   func.count(case((and_(per_meter.c.taken == 1, or_(per_meter.c.on_route == 1, counted_today)), 1))))
            .select_from(per_meter).outerjoin(today, today.c.meter_id == per_meter.c.meter_id)
            .group_by(per_meter.c.period))


def reading_counts_of(in_service, work) -> list[dict]:
    """抄表率 of each period from `planned_today`'s row and `route_work`'s rows:
    planned = today's stops in service + meters with route work that are not among them."""
    extra, read = {}, {}
    for i, more, n in work:
        extra[i], read[i] = more, n
    out = []
    for i, on_today_routes in enumerate(in_service):
        stops = on_today_routes + extra.get(i, 0)
        out.append({"stops": stops, "read": read.get(i, 0), "rate": rate(read.get(i, 0), stops)})
    return out


def _reading_counts(periods: list[tuple[date, date]], district_id: int | None) -> list[dict]:
    """抄表率 (definition above) of periods in date order (not overlapping), in two queries whatever their
    number: `planned_today` (one row of counts) and `route_work` (one GROUP BY)."""
    return reading_counts_of(db.session.execute(planned_today(periods, district_id)).one(),
                             db.session.execute(route_work(periods, district_id)).all())


def reading_completion(start: date, end: date, district_id: int | None) -> dict:
    """抄表率 of the period (definition above): planned stops, those read, rate = read / planned. Two queries.
    → {"stops", "read", "rate"}
    """
    return _reading_counts([(start, end)], district_id)[0]


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def month_end(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def reading_trend(months: list[tuple[int, int]], district_id: int | None) -> dict[str, dict]:
    """抄表率 of each of the given months (oldest first), each against its own planned stops:
    `reading_completion` of each whole month, in two queries whatever the number of months.
    → {"2026-11": {"stops", "read", "rate"}}
    """
    if not months:
        return {}
    periods = [(date(y, m, 1), month_end(y, m)) for y, m in months]
    return dict(zip([month_key(y, m) for y, m in months], _reading_counts(periods, district_id), strict=True))


def arrears_recovery(start: date, end: date, district_id: int | None) -> dict:
    """回收率: principal paid over amount billed, for bills due (due_on) in the period. One query.
    → {"bills", "billed", "paid", "rate"} (money as Decimal)
    """
    return arrears_of(one_row(arrears_rows(start, end, district_id)))


def arrears_rows(start: date, end: date, district_id: int | None) -> list:
    stmt = (select(func.count(Bill.id), func.coalesce(func.sum(Bill.amount), 0),
                   func.coalesce(func.sum(Bill.paid_amount), 0))
            .where(Bill.due_on >= start, Bill.due_on <= end))
    if district_id is not None:
        stmt = stmt.join(Customer, Customer.id == Bill.customer_id).where(Customer.district_id == district_id)
    return [stmt]


def arrears_of(row) -> dict:
    n, billed, paid = row
    billed, paid = Decimal(billed).quantize(Decimal("0.01")), Decimal(paid).quantize(Decimal("0.01"))
    recovery = None if not billed else (paid * 100 / billed).quantize(Decimal("0.1"))
    return {"bills": n, "billed": billed, "paid": paid, "rate": recovery}


# --- inspections --------------------------------------------------------------------------------

def inspection_coverage(start: date, end: date, district_id: int | None) -> dict:
    """安检率 and 入户率 of the inspection cycle that holds the period's last day, judged as the inspections
    domain's plan judges it (each customer against its category's cycle, `plan.cycle`): customers not
    closed; done = a completed inspection in the customer's cycle; visited = any visit in it.
    coverage = done / customers, entry_rate = done / visited. One query, over the cycle's visits only.
    """
    return coverage_of(one_row(coverage_rows(start, end, district_id)))


def coverage_rows(start: date, end: date, district_id: int | None) -> list:
    bounds = plan.cycle(0, today=end).bounds
    *first, (last_category, last_bounds) = list(bounds.items())

    def by_category(i: int):
        return case(*[(Customer.category == cat, moment(b[i])) for cat, b in first], else_=moment(last_bounds[i]))
    earliest, latest = min(b[0] for b in bounds.values()), max(b[1] for b in bounds.values())
    customers = select(func.count(Customer.id)).where(Customer.status != "closed")
    visits = (select(customers.scalar_subquery() if district_id is None else
                     customers.where(Customer.district_id == district_id).scalar_subquery(),
                     func.count(func.distinct(case((Inspection.outcome == inspection_rules.Outcome.completed,
                                                    Inspection.customer_id)))),
                     func.count(func.distinct(Inspection.customer_id)))
              .select_from(Inspection).join(Customer, Customer.id == Inspection.customer_id)
              .where(Inspection.visited_at >= moment(earliest), Inspection.visited_at < moment(latest),
                     Inspection.visited_at >= by_category(0), Inspection.visited_at < by_category(1),
                     Customer.status != "closed", Inspection.scope == inspection_rules.Scope.household))
    if district_id is not None:
        visits = visits.where(Customer.district_id == district_id)
    return [visits]


def coverage_of(row) -> dict:
    total, done_n, visited = (int(v or 0) for v in row)
    return {"customers": total, "done": done_n, "visited": visited,
            "coverage": rate(done_n, total), "entry_rate": rate(done_n, visited)}


def household_hazards(start: date, end: date, district_id: int | None) -> dict:
    """Household hazards of grade A and B found (found_on) in the period: found; rectified (the fix is
    done: awaiting re-check or closed); 整改率 = rectified / found; overdue = still open or rectifying
    with a deadline before the judging day (`as_of`). Grade C is advice and is not counted. One query.
    """
    return hazards_of(one_row(hazards_rows(start, end, district_id)))


def hazards_rows(start: date, end: date, district_id: int | None) -> list:
    HS = inspection_rules.HazardStatus
    judged = as_of(end)
    stmt = (select(func.count(Hazard.id),
                   func.count(case((Hazard.status.in_([HS.awaiting_recheck.value, HS.closed.value]), 1))),
                   func.count(case((and_(Hazard.status.in_([s.value for s in inspection_rules.UNRECTIFIED]),
                                         Hazard.deadline < judged), 1))))
            .where(Hazard.grade.in_(["A", "B"]), Hazard.found_on >= start, Hazard.found_on <= end))
    if district_id is not None:
        stmt = stmt.join(Customer, Customer.id == Hazard.customer_id).where(Customer.district_id == district_id)
    return [stmt]


def hazards_of(row) -> dict:
    found, rectified, overdue = row
    return {"found": found, "rectified": rectified, "overdue": overdue, "rate": rate(rectified, found)}


# --- metering -----------------------------------------------------------------------------------

def metering(start: date, end: date, district_id: int | None) -> dict:
    """Meter tests done (tested_on) in the period and how many failed (failure rate = failed / tests),
    and certificates (检定证书) and failure notices issued (issued_on) in the period. With a district:
    tests of that district's customers' meters only (a meter in stock belongs to no district). One query.
    """
    return metering_of(one_row(metering_rows(start, end, district_id)))


def metering_rows(start: date, end: date, district_id: int | None) -> list:
    tests = select(func.count(MeterTest.id), func.count(case((MeterTest.ok.is_(False), 1)))) \
        .where(MeterTest.tested_on >= start, MeterTest.tested_on <= end)
    docs = (select(func.count(case((MeteringDocument.kind == "certificate", 1))),
                   func.count(case((MeteringDocument.kind == "notice", 1))))
            .join(MeterTest, MeterTest.id == MeteringDocument.test_id)
            .where(MeteringDocument.issued_on >= start, MeteringDocument.issued_on <= end))
    if district_id is not None:
        tests = tests.join(Customer, Customer.id == MeterTest.customer_id).where(Customer.district_id == district_id)
        docs = docs.join(Customer, Customer.id == MeterTest.customer_id).where(Customer.district_id == district_id)
    return [tests, docs]


def metering_of(row) -> dict:
    n, failed, certificates, notices = row
    return {"tests": n, "failed": failed, "failure_rate": rate(failed, n),
            "certificates": certificates, "notices": notices}


# --- complaints ---------------------------------------------------------------------------------

def _scores(n: int, total: int, satisfied: int) -> dict:
    mean = None if not n else (Decimal(total) / n).quantize(Decimal("0.01"))
    return {"count": n, "mean": mean, "satisfied": satisfied, "satisfied_rate": rate(satisfied, n)}


def satisfaction(start: date, end: date, district_id: int | None) -> dict:
    """Follow-up satisfaction (回访满意度): scores 1–5 given in the period's follow-up calls of both kinds —
    complaints' follow-up calls (`complaints`, dated followed_up_at) and dispatch's follow-up visits after a
    repair or a purge-and-ignite (`visits`: a followup_visit work order completed in the period, its score
    in the completion's results) — each on its own and together (top level: every score pooled). Per
    group: count, mean score (two decimals), satisfied (4 or 5) and its share. One query.
    """
    return satisfaction_of(one_row(satisfaction_rows(start, end, district_id)))


def satisfaction_rows(start: date, end: date, district_id: int | None) -> list:
    complaint = Complaint.satisfaction
    complaints = (select(func.count(complaint).label("n"), func.sum(complaint).label("total"),
                         func.count(case((complaint >= 4, 1))).label("satisfied"))
                  .where(complaint.is_not(None), _between(Complaint.followed_up_at, start, end)))
    # The score is read in the aggregates, not filtered on: a JSON test in WHERE would lead the planner
    # to parse every completion instead of looking up the period's few follow-up orders by index.
    raw = Completion.results["satisfaction"].as_integer()
    visit = case((raw.between(1, 5), raw))
    visits = (select(func.count(visit).label("n"), func.sum(visit).label("total"),
                     func.count(case((visit >= 4, 1))).label("satisfied"))
              .select_from(WorkOrder).join(Completion, Completion.work_order_id == WorkOrder.id)
              .where(WorkOrder.type == dispatch_rules.OrderType.followup_visit,
                     _between(WorkOrder.completed_at, start, end)))
    if district_id is not None:
        complaints = complaints.where(Complaint.district_id == district_id)
        visits = visits.where(WorkOrder.district_id == district_id)
    return [complaints, visits]


def satisfaction_of(row) -> dict:
    by_source = {"complaints": [int(x or 0) for x in row[:3]], "visits": [int(x or 0) for x in row[3:]]}
    pooled = [a + b for a, b in zip(by_source["complaints"], by_source["visits"], strict=True)]
    return {**_scores(*pooled), **{k: _scores(*v) for k, v in by_source.items()}}


# --- HSE and staff ------------------------------------------------------------------------------

def hse(start: date, end: date, district_id: int | None) -> dict:
    """Company-wide snapshot (the HSE registers are kept per department, not per district, so the
    district is ignored): significant hazard sources in the active register, and nonconformities open
    now (draft … effectiveness check). One query.
    """
    return hse_of(one_row(hse_rows(start, end, district_id)))


def hse_rows(start: date, end: date, district_id: int | None) -> list:
    significant = select(func.count(HseHazard.id)).where(HseHazard.significant.is_(True),
                                                         HseHazard.status == "active").scalar_subquery()
    open_ncs = select(func.count(Nonconformity.id)).where(Nonconformity.status.in_(NC_OPEN)).scalar_subquery()
    return [select(significant, open_ncs)]


def hse_of(row) -> dict:
    return {"significant_hazards": row[0], "open_nonconformities": row[1]}


def qualifications(start: date, end: date, district_id: int | None) -> dict:
    """Qualifications of active staff, on the judging day (`as_of`): expired (expires_on before it) and
    expiring (within QUALIFICATION_WARNING_DAYS from it, inclusive). With a district: its staff. One query.
    """
    return qualifications_of(one_row(qualifications_rows(start, end, district_id)))


def qualifications_rows(start: date, end: date, district_id: int | None) -> list:
    judged = as_of(end)
    horizon = judged + timedelta(days=QUALIFICATION_WARNING_DAYS)
    stmt = (select(func.count(case((Qualification.expires_on < judged, 1))),
                   func.count(case((and_(Qualification.expires_on >= judged, Qualification.expires_on <= horizon), 1))))
            .join(User, User.id == Qualification.user_id).where(User.active.is_(True)))
    if district_id is not None:
        stmt = stmt.where(User.district_id == district_id)
    return [stmt]


def qualifications_of(row) -> dict:
    expired, expiring = row
    return {"expired": expired, "expiring": expiring, "days": QUALIFICATION_WARNING_DAYS}


# --- gas sold and complaint numbers (their own modules, which build on the helpers above) --------------

def gas_sold(start: date, end: date, district_id: int | None, kept: dict | None = None) -> dict:
    """reports.sales.period, with the year to date of the period's end (`ytd`, reports.cache: closed
    months kept, so the dashboard does not add up two years of bills on every view; `kept` as there).
    The period and the year to date's part month are summed in one statement."""
    from fieldsvc.reports import cache, sales
    figures, part = sales.period_and_sums(start, end, district_id, cache.ytd_ranges(end))
    return {**figures, "ytd": cache.sales_year_to_date(end, district_id, kept, part)}


def complaint_numbers(start: date, end: date, district_id: int | None) -> dict:
    """reports.complaints.numbers: received, closed, on time against the complaint clocks."""
    from fieldsvc.reports import complaints
    return complaints.numbers(start, end, district_id)


def all_figures(start: date, end: date, district_id: int | None) -> dict:
    """Every figure family of the period, in a fixed number of statements (reports.figures)."""
    from fieldsvc.reports import figures
    return figures.period_figures(start, end, district_id)


def month_bucket(column, months: list[tuple[int, int]]):
    """The index (0 … n-1) of the calendar month (business zone) a timestamp falls in, NULL outside
    them: one CASE, the same SQL on every database."""
    return case(*[(_between(column, date(y, m, 1), month_end(y, m)), i) for i, (y, m) in enumerate(months)])


def orders_by_month(months: list[tuple[int, int]], district_id: int | None) -> dict[str, int]:
    """Work orders created per calendar month (business zone; months in date order): one GROUP BY over
    the months' orders."""
    if not months:
        return {}
    first = date(months[0][0], months[0][1], 1)
    after = month_end(*months[-1]) + timedelta(days=1)
    inner = select(month_bucket(WorkOrder.created_at, months).label("month")).where(
        WorkOrder.created_at >= moment(first), WorkOrder.created_at < moment(after))
    if district_id is not None:
        inner = inner.where(WorkOrder.district_id == district_id)
    inner = inner.subquery()
    counts = dict(db.session.execute(select(inner.c.month, func.count()).group_by(inner.c.month)).all())
    return {month_key(y, m): counts.get(i, 0) for i, (y, m) in enumerate(months)}


def districts_comparison(start: date, end: date) -> list[dict]:
    """Per district: orders created in the period and their response-time compliance. One query
    (`work_order_figures`: `order_groups` of the whole company and every district's name)."""
    return work_order_figures(start, end, None, compare=True)["districts"]


GROUP, EMERGENCY, NAME = "group", "emergency", "district"


def work_order_figures(start: date, end: date, district_id: int | None, compare: bool = False) -> dict:
    """`orders`, `compliance` and `emergency_arrival` of the period and, with `compare` (the whole company),
    "districts" (`districts_comparison`), from ONE statement: a UNION of `order_groups`, `emergency_rows`
    and every district's name, each row tagged with its kind, in the shape
    (district_id, type, status or name, n, reached, on_time, called, arrived, kind).
    The districts come in name order (the database's collation, as the comparison has always sorted them)."""
    from fieldsvc.customers.models import District
    no_int, no_text, no_time = literal(None, Integer), literal(None, String), literal(None, UTCDateTime)
    groups = order_groups(start, end, district_id).add_columns(no_time, no_time, literal(GROUP))
    arrivals = emergency_rows(start, end, district_id)
    arrivals = arrivals.with_only_columns(WorkOrder.district_id, WorkOrder.type, WorkOrder.status, no_int, no_int,
                                          no_int, *arrivals.selected_columns, literal(EMERGENCY))
    parts = [groups, arrivals]
    if compare:
        parts.append(select(District.id, no_text, District.name, no_int, no_int, no_int, no_time, no_time,
                            literal(NAME)))
    stmt = union_all(*parts)
    if compare:
        stmt = stmt.order_by(literal_column("status"))
    rows = db.session.execute(stmt).all()
    kinds: dict[str, list] = {GROUP: [], EMERGENCY: [], NAME: []}
    for row in rows:
        kinds[row[-1]].append(row)
    groups = [r[:6] for r in kinds[GROUP]]
    out = {"orders": orders_of(groups), "compliance": compliance_of(groups),
           "emergency": emergency_of([(r[6], r[7]) for r in kinds[EMERGENCY]])}
    if compare:
        out["districts"] = comparison_of(groups, [(r[0], r[2]) for r in kinds[NAME]])
    return out


def comparison_of(groups, names: list[tuple[int, str]]) -> list[dict]:
    """`districts_comparison` from the whole company's `order_groups` rows and the districts in name order."""
    per: dict[int, list[int]] = {}
    for district, _type, status, n, reached, on_time in groups:
        counts = per.setdefault(district, [0, 0, 0])
        counts[0] += n
        if status != "cancelled":  # a cancelled order never counts towards compliance
            counts[1] += reached
            counts[2] += on_time
    out = []
    for i, name in names:
        n, reached, on_time = per.get(i, (0, 0, 0))
        out.append({"id": i, "name": name, "orders": n, "reached": reached, "on_time": on_time,
                    "rate": rate(on_time, reached)})
    return out
