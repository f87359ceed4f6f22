"""The inspection plan of a district: customers done / due / overdue in a cycle, coverage (安检率) and
entry rate (入户率), and the batches the safety officer gives to inspectors.

Everything is aggregated in SQL and lists are paginated, so a district of 10,000 customers costs the
same few queries as one of 100. The status expression mirrors rules.plan_status: each customer is
judged against the cycle of their own category (cycles are configurable per category).
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, literal, select

from fieldsvc import clock
from fieldsvc.customers.models import Customer
from fieldsvc.extensions import db
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import BatchCustomer, CustomerSafety, Inspection, InspectionBatch
from fieldsvc.inspections.services import common
from fieldsvc.models import UTCDateTime
from fieldsvc.permissions import P, require

STATUSES = ("overdue", "due", "done")


@dataclass(frozen=True)
class Cycle:
    """The cycle `offset` (0 current, -1 previous) of each category, and the day it is judged on."""

    offset: int
    today: date
    bounds: dict[str, tuple[date, date]]
    cutoffs: dict[str, date]

    @property
    def label_bounds(self) -> tuple[date, date]:
        return self.bounds["residential"]


def cycle(offset: int = 0, today: date | None = None) -> Cycle:
    today = today or clock.today()
    months = common.cycle_months()
    bounds = {cat: rules.cycle_of(today, m, offset) for cat, m in months.items()}
    # A past cycle is judged on its last day: who was overdue then.
    judged = {cat: min(today, date.fromordinal(b[1].toordinal() - 1)) for cat, b in bounds.items()}
    cutoffs = {cat: rules.overdue_cutoff(judged[cat], months[cat]) for cat in months}
    return Cycle(offset, today, bounds, cutoffs)


def _moment(day: date):
    """Start of a business day as a bound parameter of the stored (UTC) type."""
    return literal(datetime.combine(day, datetime.min.time(), tzinfo=clock.zone()), UTCDateTime)


def _by_category(values: dict[str, object]):
    items = list(values.items())
    return case(*[(Customer.category == cat, v) for cat, v in items[:-1]], else_=items[-1][1])


@dataclass
class Expressions:
    agg: object  # per-customer subquery: last completed visit, visits and completions in the cycle
    status: object
    visited: object
    cycle_start_day: object


def expressions(c: Cycle, district_id: int | None) -> Expressions:
    start = _by_category({cat: _moment(b[0]) for cat, b in c.bounds.items()})
    end = _by_category({cat: _moment(b[1]) for cat, b in c.bounds.items()})
    in_cycle = and_(Inspection.visited_at >= start, Inspection.visited_at < end)
    completed = Inspection.outcome == rules.Outcome.completed
    stmt = (select(Inspection.customer_id.label("customer_id"),
                   func.max(case((and_(completed, Inspection.visited_at < end), Inspection.visited_at)))
                   .label("last_done"),
                   func.count(case((in_cycle, 1))).label("visits"),
                   func.count(case((and_(in_cycle, completed), 1))).label("done"),
                   func.count(case((and_(in_cycle, Inspection.outcome == rules.Outcome.refused), 1))).label("refused"),
                   func.count(case((and_(in_cycle, Inspection.outcome == rules.Outcome.nobody_home), 1)))
                   .label("nobody_home"))
            .join(Customer, Customer.id == Inspection.customer_id).group_by(Inspection.customer_id)
            .where(Inspection.scope == rules.Scope.household))  # a pipe fitter's check is not the annual visit
    if district_id is not None:
        stmt = stmt.where(Customer.district_id == district_id)
    agg = stmt.subquery("agg")
    cutoff = _by_category({cat: _moment(d) for cat, d in c.cutoffs.items()})
    status = case((func.coalesce(agg.c.done, 0) > 0, "done"),
                  (func.coalesce(agg.c.last_done, Customer.created_at) < cutoff, "overdue"), else_="due")
    visited = case((func.coalesce(agg.c.visits, 0) > 0, 1), else_=0)
    cycle_start_day = _by_category({cat: literal(b[0]) for cat, b in c.bounds.items()})
    return Expressions(agg, status, visited, cycle_start_day)


def _base(ex: Expressions, district_id: int):
    return (select(Customer).outerjoin(ex.agg, ex.agg.c.customer_id == Customer.id)
            .where(Customer.district_id == district_id, Customer.status != "closed"))


@dataclass(frozen=True)
class Summary:
    total: int
    counts: dict[str, int]
    visited: int

    @property
    def coverage(self):
        return rules.rate(self.counts["done"], self.total)

    @property
    def entry_rate(self):
        return rules.rate(self.counts["done"], self.visited)


def summary(actor, district_id: int, c: Cycle) -> Summary:
    """One query: customers per status, and how many were visited at all in the cycle."""
    require(actor, P.inspections_plan)
    ex = expressions(c, district_id)
    stmt = _base(ex, district_id).with_only_columns(ex.status.label("s"), func.count(), func.sum(ex.visited)) \
        .group_by(ex.status)
    counts, visited = dict.fromkeys(STATUSES, 0), 0
    for status, n, v in db.session.execute(stmt).all():
        counts[status] = n
        visited += int(v or 0)
    return Summary(sum(counts.values()), counts, visited)


@dataclass(frozen=True)
class PlanRow:
    customer: Customer
    status: str
    last_done: datetime | None
    visits: int
    refused: int
    nobody_home: int
    long_term: bool
    assignee: str | None


def rows(actor, district_id: int, c: Cycle, status: str | None, page: int, per_page: int) -> list[PlanRow]:
    """One page of the district's customers with their status, in address order (one query)."""
    require(actor, P.inspections_plan)
    from fieldsvc.auth.models import User
    ex = expressions(c, district_id)
    stmt = (_base(ex, district_id)
            .add_columns(ex.status, ex.agg.c.last_done, ex.agg.c.visits, ex.agg.c.refused, ex.agg.c.nobody_home,
                         CustomerSafety.long_term_uninspected, User.name)
            .outerjoin(CustomerSafety, CustomerSafety.customer_id == Customer.id)
            .outerjoin(BatchCustomer, and_(BatchCustomer.customer_id == Customer.id,
                                           BatchCustomer.cycle_start == ex.cycle_start_day))
            .outerjoin(InspectionBatch, InspectionBatch.id == BatchCustomer.batch_id)
            .outerjoin(User, User.id == InspectionBatch.assignee_id))
    if status in STATUSES:
        stmt = stmt.where(ex.status == status)
    stmt = stmt.order_by(Customer.address, Customer.id).limit(per_page).offset((page - 1) * per_page)
    return [PlanRow(cust, s, last, visits or 0, refused or 0, nobody or 0, bool(long_term), assignee)
            for cust, s, last, visits, refused, nobody, long_term, assignee in db.session.execute(stmt).all()]


def unbatched_ids(district_id: int, c: Cycle, statuses: tuple[str, ...], limit: int) -> list[tuple[int, date]]:
    """(customer id, cycle start) of customers in these statuses not yet in a batch this cycle."""
    ex = expressions(c, district_id)
    taken = select(BatchCustomer.id).where(BatchCustomer.customer_id == Customer.id,
                                           BatchCustomer.cycle_start == ex.cycle_start_day).exists()
    stmt = (_base(ex, district_id).with_only_columns(Customer.id, ex.cycle_start_day)
            .where(ex.status.in_(statuses), ~taken).order_by(Customer.address, Customer.id).limit(limit))
    return [(cid, start if isinstance(start, date) else date.fromisoformat(str(start)))
            for cid, start in db.session.execute(stmt).all()]


def customer_status(customer: Customer, c: Cycle | None = None) -> str:
    """One customer's status (for their archive page): the same expression, one row."""
    c = c or cycle()
    ex = expressions(c, customer.district_id)
    stmt = (select(ex.status).select_from(Customer).outerjoin(ex.agg, ex.agg.c.customer_id == Customer.id)
            .where(Customer.id == customer.id))
    return db.session.execute(stmt).scalar_one()

