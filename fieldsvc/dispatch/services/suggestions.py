"""Whom to send: the staff who may take a job, ranked by rules.suggest, each with the reasons in words.

A fixed number of queries whatever the staff or history size (no query per person or per order): the
field staff with their licences, open jobs grouped by assignee, and one for positions (today's moves:
last GPS fix, where they work, whether they are out; and the doors of all the jobs being ranked). The
board hands over the staff and loads it has already read.
"""
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import Integer, cast, func, literal, null, select, union_all
from sqlalchemy.orm import joinedload

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import WorkOrder, WorkOrderEvent
from fieldsvc.dispatch.services import helpers, orders
from fieldsvc.extensions import db
from fieldsvc.i18n import number
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require

# Fixes taken where the customer is: at the door and when the job was done there.
AT_THE_DOOR = ("on_site", "complete")


@dataclass
class Ranked:
    user: User
    suggestion: rules.Suggestion
    reasons: list[str]


@dataclass
class Pool:
    """Everyone who might be sent today, read once and ranked for as many jobs as needed."""

    users: dict[int, User]
    candidates: list[rules.Candidate]
    today: date
    doors: dict[int, rules.Point]  # customer id → the last GPS fix taken at their door

    def site(self, customer_id: int | None, district_id: int | None) -> rules.Site:
        return rules.Site(self.doors.get(customer_id) if customer_id else None, district_id)


def field_staff(more_roles=()) -> list[User]:
    """Active staff whose role can take some type of order (and of `more_roles`: the board's helper picker),
    with their qualifications (one query)."""
    stmt = (select(User).where(User.active.is_(True), User.role.in_([*rules.ROLE_TYPES, *more_roles]))
            .options(joinedload(User.qualifications)).order_by(User.role, User.name))
    return list(db.session.execute(stmt).unique().scalars())


def pool(actor, customer_ids=(), staff: list[User] | None = None, open_jobs: dict[int, int] | None = None) -> Pool:
    """The candidates with what ranks them, and the doors of `customer_ids`. `staff` (from field_staff) and
    `open_jobs` when the caller has read them already."""
    require(actor, P.orders_assign)
    staff = field_staff() if staff is None else staff
    ids = [u.id for u in staff]
    open_jobs = _open_jobs(ids) if open_jobs is None else open_jobs
    moves, doors = _positions(ids, sorted({c for c in customer_ids if c}))
    candidates = []
    for u in staff:
        position, district_id = moves.get(u.id, (None, None))
        candidates.append(rules.Candidate(
            user_id=u.id, role=u.role, open_jobs=open_jobs.get(u.id, 0), on_duty=u.id in moves,
            position=position, district_id=district_id or u.district_id,
            licences=tuple((q.kind, q.expires_on) for q in u.qualifications)))
    return Pool({u.id: u for u in staff}, candidates, clock.today(), doors)


def _open_jobs(ids: list[int]) -> dict[int, int]:
    """Open jobs on each list (the board's "n open") and those each person helps on: two grouped queries."""
    if not ids:
        return {}
    stmt = (select(WorkOrder.assignee_id, func.count(WorkOrder.id))
            .where(WorkOrder.assignee_id.in_(ids), WorkOrder.status.in_(sorted(rules.ON_LIST)))
            .group_by(WorkOrder.assignee_id))
    counts = {a: int(n) for a, n in db.session.execute(stmt)}
    for user_id, n in helpers.open_counts(ids).items():
        counts[user_id] = counts.get(user_id, 0) + n
    return counts


def _positions(user_ids: list[int], customer_ids: list[int]):
    """One statement for both ends of every trip:
    - user → (last GPS fix today, district of their last job today) for whoever moved a job today. Today's
      moves are on orders still under way or finished today, which the board's two index scans find without
      reading the whole history (a move on an order since cancelled is not seen);
    - customer → the last GPS fix taken at their door (on site, or completing a job there)."""
    from fieldsvc.dispatch.services.board import active_or_done_since, day_start  # the board ranks with us
    since = day_start(utcnow())
    e = WorkOrderEvent
    parts = [select(literal("user").label("who"), e.actor_id.label("key"), e.lat, e.lng,
                    WorkOrder.district_id.label("district_id"), e.id.label("event_id"))
             .join(WorkOrder, WorkOrder.id == e.work_order_id)
             .where(e.actor_id.in_(user_ids or [-1]), e.at >= since, e.work_order_id.in_(active_or_done_since(since)))]
    if customer_ids:
        last = (select(func.max(e.id)).join(WorkOrder, WorkOrder.id == e.work_order_id)
                .where(WorkOrder.customer_id.in_(customer_ids), e.action.in_(AT_THE_DOOR), e.lat.is_not(None),
                       e.lng.is_not(None)).group_by(WorkOrder.customer_id))
        parts.append(select(literal("door"), WorkOrder.customer_id, e.lat, e.lng, cast(null(), Integer), e.id)
                     .join(WorkOrder, WorkOrder.id == e.work_order_id).where(e.id.in_(last)))
    both = union_all(*parts).subquery()
    moves: dict[int, tuple] = {}
    doors: dict[int, rules.Point] = {}
    for who, key, lat, lng, district_id, _id in db.session.execute(select(both).order_by(both.c.event_id)):
        fix = (float(lat), float(lng)) if lat is not None and lng is not None else None
        if who == "door":
            doors[key] = fix
        else:
            moves[key] = (fix or moves.get(key, (None, None))[0], district_id)
    return moves, doors


def rank(found: Pool, order_type: str, site: rules.Site, said: dict | None = None) -> list[Ranked]:
    """The pool ranked for one job, with each person's reasons in the user's language. `said`: reasons already
    worded for another row of the board (the same few phrases recur for every row and person)."""
    warn_until = found.today.toordinal() + current_app.config["QUALIFICATION_WARN_DAYS"]
    said = {} if said is None else said
    ranked = []
    for s in rules.suggest(order_type, site, found.candidates, found.today):
        key = (s.open_jobs, s.nearness, s.km, s.on_duty, s.licence_until, warn_until)
        if key not in said:
            said[key] = reasons(s, warn_until)
        ranked.append(Ranked(found.users[s.user_id], s, said[key]))
    return ranked


def reasons(s: rules.Suggestion, warn_until: int) -> list[str]:
    """Why this person: their open jobs, how near they are, whether they are out, their licence."""
    out = [ngettext("%(num)d open job", "%(num)d open jobs", s.open_jobs)]
    if s.nearness == rules.Nearness.gps:
        out.append(_("%(km)s km", km=number(s.km, 1)))
    else:
        out.append({rules.Nearness.same_district: _("In this district"),
                    rules.Nearness.other_district: _("In another district"),
                    rules.Nearness.unknown: _("Location unknown")}[s.nearness])
    out.append(_("On duty today") if s.on_duty else _("Not out yet today"))
    if s.licence_until is not None and s.licence_until.toordinal() <= warn_until:
        out.append(_("Licence valid until %(date)s", date=format_date(s.licence_until)))
    else:
        out.append(_("Licence valid"))
    return out


# --- the use cases ----------------------------------------------------------------------------------

def for_order(actor, order_id: int) -> list[Ranked]:
    """Best first, for an existing order; none once it can no longer be (re)assigned. Dispatchers only."""
    require(actor, P.orders_assign)
    order = orders.get_order(actor, order_id)
    if order.status not in rules.ASSIGNABLE:
        return []
    found = pool(actor, [order.customer_id])
    return rank(found, order.type, found.site(order.customer_id, order.district_id))


def for_new(actor, order_type: str | None, account_no: str | None = None, district_id: int | None = None
            ) -> list[Ranked]:
    """For the new-order form: the type chosen so far, the customer's account or the district typed.
    Anything unknown (a half-typed account number, no type yet) just ranks with less to go on."""
    require(actor, P.orders_assign)
    if order_type not in {t.value for t in rules.OrderType}:
        return []
    customer = None
    if account_no:
        customer = db.session.execute(select(Customer).where(Customer.account_no == account_no)).scalar_one_or_none()
    found = pool(actor, [customer.id] if customer else [])
    return rank(found, order_type, found.site(customer.id if customer else None,
                                              customer.district_id if customer else district_id))


def for_rows(actor, rows: list[WorkOrder], staff: list[User], open_jobs: dict[int, int]) -> dict[int, list[Ranked]]:
    """For the board: each assignable row ranked from one pool (a fixed number of queries for any page)."""
    rows = [o for o in rows if o.status in rules.ASSIGNABLE and rules.roles_for(o.type)]
    if not rows:
        return {}
    found = pool(actor, [o.customer_id for o in rows], staff, open_jobs)
    said: dict = {}
    return {o.id: rank(found, o.type, found.site(o.customer_id, o.district_id), said) for o in rows}
