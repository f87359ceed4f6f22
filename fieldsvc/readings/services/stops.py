"""One stop of a route as the phone shows it: the meter, the previous reading, the expected range,
what happened this cycle, and the customer's arrears at the door. Once the meter is read this cycle,
the previous reading and the range are the ones that reading was checked against (RULES.md §3), not the
reading itself and a range recomputed from it: the station chief reviews what the reader saw."""
import functools
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Integer, String, and_, bindparam, case, func, literal_column, select, union_all
from sqlalchemy.orm import aliased, joinedload

from fieldsvc import clock
from fieldsvc.customers.models import Customer, Meter
from fieldsvc.errors import NotFound
from fieldsvc.extensions import db
from fieldsvc.models import UTCDateTime
from fieldsvc.readings import rules
from fieldsvc.readings.models import ArrearsCase, Bill, Reading, Route, RouteStop, Skip
from fieldsvc.readings.services import arrears, history, routes
from fieldsvc.readings.services.history import LIVE


@dataclass
class StopView:
    route: Route
    stop: RouteStop
    meter: Meter
    customer: Customer | None
    count: int  # stops on the route
    previous: rules.Previous  # what this cycle's reading was checked against; unread: the last reading
    expected: tuple[Decimal, Decimal] | None  # the range at that reading's time; unread: the range now
    reading: Reading | None  # this cycle's reading, if any
    skip: Skip | None
    status: str
    standing: arrears.Standing | None

    @property
    def checked(self) -> bool:
        """`previous` and `expected` are what this cycle's reading was checked against."""
        return self.reading is not None

    @property
    def can_read(self) -> bool:
        """One reading a month (RULES.md §3): an estimate made this month stands too."""
        return self.reading is None

    @property
    def shut_off(self) -> bool:
        """The gas is shut off here: the register is expected not to move."""
        return self.customer is not None and self.customer.gas_off

    @property
    def register_limit(self) -> Decimal:
        return rules.register_limit(self.meter.digits)


def get_stop(actor, route_id: int, seq: int) -> tuple[Route, RouteStop]:
    route, stop, _count = _stop_with_count(actor, route_id, seq)
    return route, stop


def _stop_with_count(actor, route_id: int, seq: int) -> tuple[Route, RouteStop, int]:
    """The route (access checked as routes.get_route checks it), the stop with its meter and customer, and the
    number of stops: the phone's busiest page, so one statement (the route outer-joined to its stop)."""
    routes.require_routes(actor)
    counted = aliased(RouteStop)  # not correlated to the stop of the outer query
    count = select(func.count()).where(counted.route_id == route_id).scalar_subquery()
    row = db.session.execute(
        select(Route, RouteStop, count).where(Route.id == route_id)
        .outerjoin(RouteStop, and_(RouteStop.route_id == Route.id, RouteStop.seq == seq))
        .options(joinedload(RouteStop.meter).joinedload(Meter.customer))).first()
    routes.visible_route(actor, row[0] if row else None)
    if row[1] is None:
        raise NotFound(_("No such stop on this route."))
    return row[0], row[1], row[2]


def stop_view(actor, route_id: int, seq: int) -> StopView:
    route, stop, count = _stop_with_count(actor, route_id, seq)
    meter = stop.meter
    customer = meter.customer
    cycle = routes.current_cycle()
    reading, past = _reading_and_past(meter, cycle)
    skip, bills, case_ = _at_the_door(meter, cycle)
    expected = rules.expected_range(past.context, clock.now() if reading is None else reading.read_at,
                                    shut_off=customer is not None and customer.gas_off)
    # The reader may open this route, so its customers are theirs: no second access query for the arrears.
    standing = arrears.standing_from(actor, customer, bills, case_) if customer is not None else None
    return StopView(route, stop, meter, customer, count, past.context.previous, expected, reading, skip,
                    routes.stop_status(reading, skip), standing)


def _reading_and_past(meter: Meter, cycle: str) -> tuple[Reading | None, history.MeterHistory]:
    """This cycle's reading and the history the page shows with it, in one statement: unread, the meter's
    history (history.for_meter); read, its history before that reading (what it was checked against)."""
    since = history.installed_since(meter)
    params = {"meter_id": meter.id, "cycle": cycle} | ({"since": since} if since is not None else {})
    rows = db.session.execute(_reading_and_past_statement(since is not None), params).all()
    reading = rows[0][0] if rows and rows[0][1] else None
    return reading, history.from_rows(meter, [r for r, flag in rows if not flag])


@functools.cache
def _reading_and_past_statement(installed: bool):
    """Built once (per kind of meter) with the meter, cycle and start as parameters: building these
    subqueries costs more than running them. The bound of the history is the cycle's reading's time."""
    meter_id, cycle = bindparam("meter_id", type_=Integer()), bindparam("cycle", type_=String())
    best = _cycle_select(meter_id, cycle).limit(1)
    other = aliased(Reading)  # the bound's own readings, not correlated to the history's
    bound = (_cycle_select(meter_id, cycle, other).with_only_columns(other.read_at).limit(1).scalar_subquery())
    since = bindparam("since", type_=UTCDateTime()) if installed else None
    past = (history.live_select(meter_id, since, limit=history.HISTORY_LIMIT + 1)
            .where((bound.is_(None)) | (Reading.read_at < bound)))
    # SQLite takes ORDER BY/LIMIT in a UNION member only inside a subquery; `best` tells the two parts apart.
    both = union_all(*(select(part.add_columns(literal_column(flag).label("best")).subquery())
                       for part, flag in ((best, "1"), (past, "0")))).subquery()
    row = aliased(Reading, both)
    return select(row, both.c.best).order_by(both.c.best.desc(), row.read_at.desc(), row.id.desc())


def _at_the_door(meter: Meter, cycle: str) -> tuple[Skip | None, list[Bill], ArrearsCase | None]:
    """The meter's latest skip this cycle, its customer's open bills (oldest due first) and open arrears
    case, in one statement: each outer-joined to the meter's row (skip and case repeat on every bill row)."""
    rows = db.session.execute(_at_the_door_statement(), {"meter_id": meter.id, "cycle": cycle}).all()
    if not rows:
        return None, [], None
    return rows[0][0], [bill for _skip, _case, bill in rows if bill is not None], rows[0][1]


@functools.cache
def _at_the_door_statement():
    meter_id, cycle = bindparam("meter_id", type_=Integer()), bindparam("cycle", type_=String())
    latest_skip, open_case = aliased(Skip), aliased(ArrearsCase)  # not correlated to the outer joins
    skip_id = (select(latest_skip.id).where(latest_skip.meter_id == meter_id, latest_skip.cycle == cycle)
               .order_by(latest_skip.at.desc()).limit(1).scalar_subquery())
    case_id = (select(open_case.id).where(open_case.customer_id == Meter.customer_id, open_case.status == "open")
               .order_by(open_case.id.desc()).limit(1).scalar_subquery())
    return (select(Skip, ArrearsCase, Bill).select_from(Meter).where(Meter.id == meter_id)
            .outerjoin(Skip, Skip.id == skip_id).outerjoin(ArrearsCase, ArrearsCase.id == case_id)
            .outerjoin(Bill, and_(Bill.customer_id == Meter.customer_id, Bill.status == "open"))
            .order_by(Bill.due_on, Bill.id))


def _cycle_select(meter_id, cycle, reading=Reading):
    """This cycle's readings of the meter, the one that counts first: an actual reading stands over an
    estimate, otherwise the later one counts (routes.better, as an ORDER BY)."""
    return (select(reading).where(reading.meter_id == meter_id, reading.cycle == cycle,
                                  reading.status.in_(LIVE), reading.kind != rules.Kind.start)
            .order_by(case((reading.kind == rules.Kind.estimated, 1), else_=0),
                      reading.read_at.desc(), reading.id.desc()))


def next_stop(actor, route: Route, after_seq: int) -> int | None:
    """The next stop still to read after this one (wrapping to the first left), else None."""
    sheet = routes.route_sheet(actor, route, with_arrears=False)
    row = sheet.next_left(after_seq)
    return row.seq if row else None
