"""Routes (抄表册): create, assign, add and order stops; the route sheet and the cycle's progress.

The route sheet answers in a fixed number of queries whatever the number of stops and the length of
the history: stops with meters and customers in one, this cycle's readings and skips in one each,
the open bills of the route's customers in one (the arrears shown at the door).
"""
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select, update

from fieldsvc import audit, clock
from fieldsvc.customers.models import Customer, District, Meter
from fieldsvc.errors import Conflict, Duplicate, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.permissions import P, can, require
from fieldsvc.readings import rules
from fieldsvc.readings.models import Reading, Route, RouteStop, Skip
from fieldsvc.readings.services import access
from fieldsvc.readings.services.history import LIVE

STATUSES = ("read", "estimated", "skipped", "left")


def current_cycle() -> str:
    return rules.cycle_of(clock.today())


# --- routes ---------------------------------------------------------------------------------------

def require_routes(actor) -> None:
    """Route sheets: the chief's roles see every route, a meter reader their own (access.py)."""
    require(actor, P.routes_open)


def list_routes(actor, reader_id: int | None = None, district_id: int | None = None) -> list[Route]:
    """Every route for the chief; a meter reader gets their own."""
    require_routes(actor)
    stmt = select(Route).order_by(Route.name)
    if not access.sees_all(actor):
        stmt = stmt.where(Route.reader_id == actor.id, Route.active.is_(True))
    if reader_id:
        stmt = stmt.where(Route.reader_id == reader_id)
    if district_id:
        stmt = stmt.where(Route.district_id == district_id)
    return list(db.session.execute(stmt).unique().scalars())


def get_route(actor, route_id: int) -> Route:
    require_routes(actor)
    return visible_route(actor, db.session.get(Route, route_id))


def visible_route(actor, route: Route | None) -> Route:
    """`route` when the actor may open it (after require_routes), else 404, as for a route that does not exist."""
    if route is None or not access.route_visible(actor, route):
        raise NotFound(_("No such route."))
    return route


def _check_reader(reader_id: int | None) -> None:
    from fieldsvc.auth.models import User
    if reader_id is None:
        return
    user = db.session.get(User, reader_id)
    if user is None or not user.active or user.role != "meter_reader":
        raise Invalid({"reader_id": [_("Choose an active meter reader.")]})


def _check_name_free(name: str, route_id: int | None = None) -> None:
    """Route names are unique: a taken one is a Duplicate (409 on the API, the field's message on the page).
    A race past this check is stopped by the unique index (IntegrityError → 409 by the unit of work)."""
    stmt = select(Route.id).where(Route.name == name)
    if route_id is not None:
        stmt = stmt.where(Route.id != route_id)
    if db.session.execute(stmt).first():
        raise Duplicate("name", _("A route with this name already exists."))


def create_route(actor, data: dict) -> Route:
    """data: name, district_id, optional reader_id."""
    require(actor, P.routes_manage)
    if db.session.get(District, data["district_id"]) is None:
        raise Invalid({"district_id": [_("Unknown district.")]})
    _check_name_free(data["name"])
    _check_reader(data.get("reader_id"))
    route = Route(name=data["name"], district_id=data["district_id"], reader_id=data.get("reader_id"), active=True)
    db.session.add(route)
    db.session.flush()
    audit.record(actor, "route.create", "route", route.id, name=route.name, reader_id=route.reader_id)
    return route


def update_route(actor, route: Route, data: dict, version: int | None = None) -> Route:
    """Rename, assign another reader (or none), deactivate."""
    require(actor, P.routes_manage)
    if version is not None and version != route.version:
        raise Conflict()
    if "reader_id" in data:
        _check_reader(data["reader_id"])
    if data.get("name") and data["name"] != route.name:
        _check_name_free(data["name"], route.id)
    changes = {k: [getattr(route, k), v] for k, v in data.items()
               if k in ("name", "reader_id", "active") and getattr(route, k) != v}
    for key, (_old, new) in changes.items():
        setattr(route, key, new)
    if changes:
        db.session.flush()
        audit.record(actor, "route.update", "route", route.id, changes=changes)
    return route


# --- stops ----------------------------------------------------------------------------------------

MAX_NEW_STOPS = 1000  # serial numbers pasted at once: a route book holds a few hundred meters
SHOWN_SERIALS = 5  # serial numbers named in a refusal (it is flashed into the session cookie)
SERIAL_WIDTH = 20  # characters of each serial shown


def _some(serials: list[str]) -> str:
    """A bounded sample of what was refused: "A1, B2, C3, D4, E5 (+40 more)", each cut to SERIAL_WIDTH, so a
    pasted 10 kB list never comes back whole in a message."""
    cut = [s if len(s) <= SERIAL_WIDTH else s[:SERIAL_WIDTH - 1] + "…" for s in serials[:SHOWN_SERIALS]]
    shown = ", ".join(cut)
    rest = len(serials) - len(cut)
    return _("%(shown)s (+%(n)d more)", shown=shown, n=rest) if rest else shown


def add_stops(actor, route: Route, serials: list[str]) -> list[RouteStop]:
    """Append installed meters (by serial number) at the end of the route, in the order given (a serial given
    twice is added once). Unknown or not installed serials → Invalid; meters already on a route (a meter is on
    one route: a unique key) → Duplicate. Messages name a few serials and count the rest."""
    require(actor, P.routes_manage)
    serials = list(dict.fromkeys(s.strip() for s in serials if s.strip()))
    if not serials:
        raise Invalid({"serials": [_("Give at least one meter serial number.")]})
    if len(serials) > MAX_NEW_STOPS:
        raise Invalid({"serials": [_("At most %(n)d serial numbers at a time.", n=MAX_NEW_STOPS)]})
    meters = {m.serial_no: m for m in db.session.execute(select(Meter).where(Meter.serial_no.in_(serials))).scalars()}
    missing = [s for s in serials if s not in meters or meters[s].customer_id is None]
    if missing:
        raise Invalid({"serials": [ngettext("%(num)d serial number matches no installed meter: %(serials)s",
                                            "%(num)d serial numbers match no installed meter: %(serials)s",
                                            len(missing), serials=_some(missing))]})
    on_routes = set(db.session.execute(select(RouteStop.meter_id).where(
        RouteStop.meter_id.in_([m.id for m in meters.values()]))).scalars())
    taken = [s for s in serials if meters[s].id in on_routes]
    if taken:
        raise Duplicate("serials", ngettext("%(num)d meter is already on a route: %(serials)s",
                                            "%(num)d meters are already on a route: %(serials)s",
                                            len(taken), serials=_some(taken)))
    last = db.session.execute(select(func.max(RouteStop.seq)).where(RouteStop.route_id == route.id)).scalar() or 0
    stops = [RouteStop(route_id=route.id, seq=last + i, meter_id=meters[s].id) for i, s in enumerate(serials, 1)]
    db.session.add_all(stops)
    db.session.flush()
    audit.record(actor, "route.add_stops", "route", route.id, serials=serials)
    return stops


def remove_stop(actor, route: Route, stop_id: int) -> None:
    require(actor, P.routes_manage)
    stop = _stop(route, stop_id)
    seq = stop.seq
    db.session.delete(stop)
    db.session.flush()
    # Close the gap one stop at a time, lowest first, so (route, seq) stays unique at every step.
    later = db.session.execute(select(RouteStop).where(RouteStop.route_id == route.id, RouteStop.seq > seq)
                               .order_by(RouteStop.seq)).scalars().all()
    for s in later:
        s.seq -= 1
        db.session.flush()
    audit.record(actor, "route.remove_stop", "route", route.id, meter_id=stop.meter_id, seq=seq)


def _stop(route: Route, stop_id: int) -> RouteStop:
    stop = db.session.get(RouteStop, stop_id)
    if stop is None or stop.route_id != route.id:
        raise NotFound(_("No such stop on this route."))
    return stop


def move_stop(actor, route: Route, stop_id: int, direction: str) -> RouteStop:
    """Swap a stop with its neighbour ('up' or 'down'): the reader's walking order."""
    if not (access.route_visible(actor, route) and (route.reader_id == actor.id or
                                                      can(actor, P.routes_manage))):
        raise NotFound(_("No such route."))
    stop = _stop(route, stop_id)
    target = stop.seq - 1 if direction == "up" else stop.seq + 1
    other = db.session.execute(select(RouteStop).where(RouteStop.route_id == route.id,
                                                       RouteStop.seq == target)).scalar_one_or_none()
    if other is None:
        return stop  # already first or last
    old = stop.seq
    # Swap through a free number so the unique (route, seq) constraint holds at every statement.
    db.session.execute(update(RouteStop).where(RouteStop.id == stop.id).values(seq=-1))
    db.session.execute(update(RouteStop).where(RouteStop.id == other.id).values(seq=old))
    db.session.execute(update(RouteStop).where(RouteStop.id == stop.id).values(seq=target))
    db.session.expire(stop)
    db.session.expire(other)
    audit.record(actor, "route.move_stop", "route", route.id, meter_id=stop.meter_id, from_seq=old, to_seq=target)
    return stop


# --- the route sheet and progress -----------------------------------------------------------------

@dataclass
class StopRow:
    stop_id: int
    seq: int
    meter: Meter
    customer: Customer | None
    status: str = "left"
    reading: Reading | None = None
    skip: Skip | None = None
    owed: object = None  # arrears.Owed of the customer, when they owe something


@dataclass
class Sheet:
    route: Route
    cycle: str
    rows: list[StopRow]
    counts: Counter = field(default_factory=Counter)

    def next_left(self, after_seq: int = 0) -> StopRow | None:
        rows = [r for r in self.rows if r.status == "left"]
        return next((r for r in rows if r.seq > after_seq), rows[0] if rows else None)


def stop_status(reading: Reading | None, skip: Skip | None) -> str:
    if reading is not None:
        return "estimated" if reading.kind == rules.Kind.estimated else "read"
    return "skipped" if skip is not None else "left"


def better(new: Reading, old: Reading | None) -> bool:
    """An actual reading of the cycle stands over an estimate; otherwise the later one counts."""
    if old is None:
        return True
    return not (new.kind == rules.Kind.estimated and old.kind != rules.Kind.estimated)


def _cycle_results(route_id: int, cycle: str):
    """This cycle's reading (actual before estimated) and latest skip per meter of the route (2 queries)."""
    readings, skips = {}, {}
    on_route = select(RouteStop.meter_id).where(RouteStop.route_id == route_id)
    stmt = (select(Reading).where(Reading.meter_id.in_(on_route), Reading.cycle == cycle,
                                  Reading.status.in_(LIVE), Reading.kind != rules.Kind.start)
            .order_by(Reading.read_at))
    for r in db.session.execute(stmt).scalars():
        if better(r, readings.get(r.meter_id)):
            readings[r.meter_id] = r
    stmt = select(Skip).where(Skip.meter_id.in_(on_route), Skip.cycle == cycle).order_by(Skip.at)
    for s in db.session.execute(stmt).scalars():
        skips[s.meter_id] = s
    return readings, skips


def _not_closed():
    """A closed account (销户) is off the round: its stop stays on the route but is not walked or counted."""
    return (Customer.id.is_(None)) | (Customer.status != "closed")


def route_sheet(actor, route: Route, cycle: str | None = None, with_arrears: bool = True) -> Sheet:
    """Every stop of the route in walking order with its state in the cycle (default: this month)."""
    from fieldsvc.readings.services import arrears
    cycle = cycle or current_cycle()
    stmt = (select(RouteStop.id, RouteStop.seq, Meter, Customer)
            .join(Meter, Meter.id == RouteStop.meter_id).outerjoin(Customer, Customer.id == Meter.customer_id)
            .where(RouteStop.route_id == route.id, _not_closed()).order_by(RouteStop.seq))
    rows = [StopRow(stop_id, seq, meter, customer) for stop_id, seq, meter, customer in db.session.execute(stmt)]
    readings, skips = _cycle_results(route.id, cycle)
    customers_on_route = (select(Meter.customer_id).join(RouteStop, RouteStop.meter_id == Meter.id)
                          .where(RouteStop.route_id == route.id))
    owed = arrears.owed_by(customers_on_route) if with_arrears else {}
    sheet = Sheet(route, cycle, rows)
    for row in rows:
        row.reading, row.skip = readings.get(row.meter.id), skips.get(row.meter.id)
        row.status = stop_status(row.reading, row.skip)
        row.owed = owed.get(row.customer.id) if row.customer else None
        sheet.counts[row.status] += 1
    return sheet


def progress(actor, cycle: str | None = None, routes: list[Route] | None = None) -> dict:
    """Per route and per reader: stops read, estimated, skipped and left in the cycle (4 queries)."""
    cycle = cycle or current_cycle()
    routes = routes if routes is not None else list_routes(actor)
    ids = [r.id for r in routes]
    stops = db.session.execute(select(RouteStop.route_id, RouteStop.meter_id)
                               .join(Meter, Meter.id == RouteStop.meter_id)
                               .outerjoin(Customer, Customer.id == Meter.customer_id)
                               .where(RouteStop.route_id.in_(ids), _not_closed())).all()
    done: dict[int, str] = {}
    on_routes = select(RouteStop.meter_id).where(RouteStop.route_id.in_(ids))
    stmt = (select(Reading.meter_id, Reading.kind).where(Reading.meter_id.in_(on_routes), Reading.cycle == cycle,
                                                          Reading.status.in_(LIVE), Reading.kind != rules.Kind.start))
    for meter_id, kind in db.session.execute(stmt):
        if done.get(meter_id) != "read":
            done[meter_id] = "estimated" if kind == rules.Kind.estimated else "read"
    stmt = select(Skip.meter_id).where(Skip.meter_id.in_(on_routes), Skip.cycle == cycle)
    for (meter_id,) in db.session.execute(stmt):
        done.setdefault(meter_id, "skipped")
    per_route = {r.id: Counter({s: 0 for s in STATUSES}) for r in routes}
    for route_id, meter_id in stops:
        per_route[route_id][done.get(meter_id, "left")] += 1
    per_reader: dict = {}
    for r in routes:
        per_reader.setdefault(r.reader_id, Counter({s: 0 for s in STATUSES})).update(per_route[r.id])
    return {"cycle": cycle, "routes": routes, "per_route": per_route, "per_reader": per_reader}


def reader_today(actor) -> dict:
    """For the meter reader's home page: this cycle's progress over their routes, the first route with
    stops left (to continue), and how many customers on their routes owe on an overdue bill."""
    from fieldsvc.readings.services import arrears
    mine = list_routes(actor)
    result = progress(actor, routes=mine)
    totals = Counter({s: 0 for s in STATUSES})
    for counts in result["per_route"].values():
        totals.update(counts)
    next_route = next((r for r in mine if result["per_route"][r.id]["left"]), None)
    on_routes = (select(Meter.customer_id).join(RouteStop, RouteStop.meter_id == Meter.id)
                 .join(Route, Route.id == RouteStop.route_id).where(Route.reader_id == actor.id))
    owing = sum(1 for o in arrears.owed_by(on_routes).values() if o.overdue)
    return {"cycle": result["cycle"], "totals": totals, "routes": len(mine), "next_route": next_route,
            "owing": owing}
