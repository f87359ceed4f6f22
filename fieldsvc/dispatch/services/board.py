"""The station chief's board and the technician's job list: a fixed number of queries whatever the size.

Everything a row shows is eager-loaded in the row query; the board is paginated; the loads per
technician come from one grouped query; the suggestions for every row come from one pool (services/
suggestions.py). A test holds the board to a fixed count at 30 and 30,000 orders.

The open board stays current by polling `version`: two primary-key lookups, so an unchanged board costs
the server almost nothing (the page answers 304) and no worker is held per open board.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, literal, or_, select, union, union_all
from sqlalchemy.orm import joinedload

from fieldsvc import clock, home
from fieldsvc.auth.models import User
from fieldsvc.customers.models import District
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import WorkOrder, WorkOrderEvent, WorkOrderHelper
from fieldsvc.dispatch.services import helpers, suggestions
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require

PINNED_LIMIT = 30
OPEN = [s.value for s in rules.OPEN]
ON_SITE_TYPES = [t.value for t, target in rules.DEFAULT_TARGETS.items() if target.milestone == rules.Milestone.on_site]
ACTIVE_TECH = sorted(rules.ON_LIST)


@dataclass
class Filters:
    status: str | None = None  # None: open orders and those finished today; "all"; or one state
    type: str | None = None
    district_id: int | None = None
    assignee_id: int | None = None
    page: int = 1


@dataclass
class Board:
    pinned: list[WorkOrder]
    orders: list[WorkOrder]
    total: int
    loads: dict[int, dict]  # technician id → {"open": n, "done_today": n}
    staff: list[User]
    districts: list[District]
    now: datetime
    filters: Filters
    per_page: int
    # order id → who to send, best first (assignable rows only)
    suggested: dict[int, list[suggestions.Ranked]] = field(default_factory=dict)
    helper_staff: list[User] = field(default_factory=list)  # who may be named a helper (field staff)


def due_state(order: WorkOrder, now: datetime) -> str:
    """The order's badge: due soon, overdue, or whether its target was met (rules.due_state)."""
    milestone = rules.DEFAULT_TARGETS[rules.OrderType(order.type)].milestone
    reached = order.on_site_at if milestone == rules.Milestone.on_site else order.completed_at
    if order.status == rules.Status.cancelled:
        return ""
    return rules.due_state(order.created_at, order.due_at, now, reached)


def day_start(now: datetime) -> datetime:
    local = now.astimezone(clock.zone())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _row_options():
    # Customer and User eager-load their District themselves (lazy="joined"): one query for all rows.
    return (joinedload(WorkOrder.customer), joinedload(WorkOrder.assignee), joinedload(WorkOrder.district))


def _status_filter(status: str | None, since: datetime):
    if status == "all":
        return None
    if status:
        return WorkOrder.status == status
    return or_(WorkOrder.status.in_(OPEN), WorkOrder.completed_at >= since)


def board(actor, filters: Filters, per_page: int = 30) -> Board:
    """Open emergencies pinned on top (oldest call first); then new orders, then the rest by due time."""
    require(actor, P.orders_view_all)
    now = utcnow()
    since = day_start(now)
    where = [c for c in (
        _status_filter(filters.status, since),
        WorkOrder.type == filters.type if filters.type else None,
        WorkOrder.district_id == filters.district_id if filters.district_id else None,
        WorkOrder.assignee_id == filters.assignee_id if filters.assignee_id else None,
    ) if c is not None]
    is_pinned = and_(WorkOrder.type == rules.OrderType.emergency, WorkOrder.status.in_(OPEN))
    place = [c for c in (WorkOrder.district_id == filters.district_id if filters.district_id else None,
                         WorkOrder.assignee_id == filters.assignee_id if filters.assignee_id else None)
             if c is not None]
    pinned = db.session.execute(select(WorkOrder).where(is_pinned, *place).options(*_row_options())
                                .order_by(WorkOrder.created_at).limit(PINNED_LIMIT)).scalars().all()
    rest = select(WorkOrder).where(*where, ~is_pinned)
    total = db.session.execute(select(func.count()).select_from(rest.subquery())).scalar_one()
    rank = case((WorkOrder.status == rules.Status.new, 0), (WorkOrder.status.in_(OPEN), 1), else_=2)
    orders = db.session.execute(rest.options(*_row_options()).order_by(rank, WorkOrder.due_at, WorkOrder.id)
                                .limit(per_page).offset((max(filters.page, 1) - 1) * per_page)).scalars().all()
    require(actor, P.orders_assign)  # the pickers: who may be sent
    everyone = suggestions.field_staff(helpers.helper_roles())  # who may be sent, and who may help: one query
    staff = [u for u in everyone if u.role in rules.ROLE_TYPES]
    result = Board(pinned=list(pinned), orders=list(orders), total=total, loads=_loads(since), staff=staff,
                   helper_staff=everyone,
                   districts=list(db.session.execute(select(District).order_by(District.code)).scalars()),
                   now=now, filters=filters, per_page=per_page)
    result.suggested = suggestions.for_rows(actor, result.pinned + result.orders, staff,
                                            {k: v["open"] + v.get("helping", 0) for k, v in result.loads.items()})
    return result


def version(actor, now: datetime | None = None) -> str:
    """What the board looks like changes when an order is created (its id) or moves (every change writes
    an event: its id), and with the clock (due badges): the last ids and the minute. Two index lookups."""
    require(actor, P.orders_view_all)
    last_event = select(func.max(WorkOrderEvent.id)).scalar_subquery()
    last_order = select(func.max(WorkOrder.id)).scalar_subquery()
    event_id, order_id = db.session.execute(select(last_event, last_order)).one()
    minute = int((now or utcnow()).timestamp() // 60)
    return f"{event_id or 0}.{order_id or 0}.{minute}"


def _loads(since: datetime) -> dict[int, dict]:
    """Each technician's load today: open orders on their list, orders they finished today, and the open
    orders they help on (one statement: the helpers' rows joined in by UNION ALL)."""
    open_ = case((WorkOrder.status.in_(ACTIVE_TECH), 1), else_=0)
    done = case((WorkOrder.completed_at >= since, 1), else_=0)
    own = (select(WorkOrder.assignee_id.label("user_id"), open_.label("open"), done.label("done"),
                  literal(0).label("helping"))
           .where(WorkOrder.assignee_id.is_not(None), WorkOrder.id.in_(active_or_done_since(since))))
    helped = (select(WorkOrderHelper.user_id, literal(0), literal(0), literal(1))
              .join(WorkOrder, WorkOrder.id == WorkOrderHelper.order_id).where(WorkOrder.status.in_(ACTIVE_TECH)))
    rows = union_all(own, helped).subquery()
    stmt = (select(rows.c.user_id, func.sum(rows.c.open), func.sum(rows.c.done), func.sum(rows.c.helping))
            .group_by(rows.c.user_id))
    return {a: {"open": int(o or 0), "done_today": int(d or 0), "helping": int(h or 0)}
            for a, o, d, h in db.session.execute(stmt)}


def active_or_done_since(since: datetime, *where):
    """Ids of the orders on a technician's list or finished since `since`. Two index scans (status, completed_at)
    joined by UNION: written as one OR, the databases scan every order a technician ever had (thousands a year)."""
    # The second branch is left unfiltered on purpose: given "assignee = ?" too, SQLite picks the assignee
    # index and walks that technician's whole history again. Today's completions are few.
    return union(select(WorkOrder.id).where(WorkOrder.status.in_(ACTIVE_TECH), *where),
                 select(WorkOrder.id).where(WorkOrder.completed_at >= since))


@dataclass
class Jobs:
    today: list[WorkOrder]
    upcoming: list[WorkOrder]
    done_today: list[WorkOrder]
    now: datetime
    helping: set[int] = field(default_factory=set)  # ids of the orders this person only helps on


def _mine(actor):
    """The orders on this person's list: assigned to them, or helping on them."""
    return or_(WorkOrder.assignee_id == actor.id, WorkOrder.id.in_(helpers.helping(actor.id)))


def my_jobs(actor) -> Jobs:
    """The technician's own orders and those they help on: what is due by tonight (or under way), what comes
    later, what is done."""
    require(actor, P.orders_help)
    now = utcnow()
    since = day_start(now)
    tonight = since + timedelta(days=1)
    stmt = (select(WorkOrder).where(_mine(actor), WorkOrder.id.in_(active_or_done_since(since, _mine(actor))))
            .options(joinedload(WorkOrder.customer), joinedload(WorkOrder.district))
            .order_by(case((WorkOrder.type == rules.OrderType.emergency, 0), else_=1), WorkOrder.due_at))
    jobs = Jobs([], [], [], now)
    for order in db.session.execute(stmt).scalars():
        if order.assignee_id != actor.id:
            jobs.helping.add(order.id)
        if order.status not in ACTIVE_TECH:
            jobs.done_today.append(order)
        elif _today(order, tonight):
            jobs.today.append(order)
        else:
            jobs.upcoming.append(order)
    return jobs


def _today(order: WorkOrder, tonight: datetime) -> bool:
    """Today's work: due by tonight, already under way, or an emergency (whatever the clock says)."""
    return (order.due_at < tonight or order.type == rules.OrderType.emergency
            or order.status in (rules.Status.en_route, rules.Status.on_site))


def jobs_today_figures(actor) -> dict:
    """For the technician's home page, asked with every card's figures: open jobs (own or helping) due by
    tonight, under way, or emergencies."""
    require(actor, P.orders_help)
    tonight = day_start(utcnow()) + timedelta(days=1)
    return {"count": select(func.count(WorkOrder.id)).where(
        _mine(actor), WorkOrder.status.in_(ACTIVE_TECH),
        or_(WorkOrder.due_at < tonight, WorkOrder.type == rules.OrderType.emergency,
            WorkOrder.status.in_([rules.Status.en_route, rules.Status.on_site])))}


def jobs_today_count(actor) -> int:
    return home.figures_of(jobs_today_figures(actor))["count"]


def chief_figures(actor) -> dict:
    """The chief's home card as counts (the home page asks every card's at once): new orders waiting,
    open emergencies, overdue open orders."""
    require(actor, P.orders_view_all)
    is_open = WorkOrder.status.in_(OPEN)
    arrived = and_(WorkOrder.type.in_(ON_SITE_TYPES), WorkOrder.on_site_at.is_not(None))

    def count(*where):
        return select(func.count(WorkOrder.id)).where(*where)
    return {"new": count(WorkOrder.status == rules.Status.new),
            "emergencies": count(is_open, WorkOrder.type == rules.OrderType.emergency),
            "overdue": count(is_open, WorkOrder.due_at < utcnow(), ~arrived)}


def chief_summary(actor) -> dict:
    """chief_figures' values: {"new", "emergencies", "overdue"}."""
    return home.figures_of(chief_figures(actor))
