"""One stop of a route as the phone shows it: the meter, the previous reading, the expected range,
what happened this cycle, and the customer's arrears at the door. Once the meter is read this cycle,
the previous reading and the range are the ones that reading was checked against (RULES.md §3), not the
reading itself and a range recomputed from it: the station chief reviews what the reader saw."""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from fieldsvc import clock
from fieldsvc.customers.models import Customer, Meter
from fieldsvc.errors import NotFound
from fieldsvc.extensions import db
from fieldsvc.readings import rules
from fieldsvc.readings.models import Reading, Route, RouteStop, Skip
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
    """The route (access checked), the stop with its meter and customer, and the number of stops: the
    phone's busiest page, so one statement after the route's."""
    route = routes.get_route(actor, route_id)
    count = select(func.count()).where(RouteStop.route_id == route.id).scalar_subquery()
    row = db.session.execute(select(RouteStop, count)
                             .where(RouteStop.route_id == route.id, RouteStop.seq == seq)
                             .options(joinedload(RouteStop.meter).joinedload(Meter.customer))).first()
    if row is None:
        raise NotFound(_("No such stop on this route."))
    return route, row[0], row[1]


def stop_view(actor, route_id: int, seq: int) -> StopView:
    route, stop, count = _stop_with_count(actor, route_id, seq)
    meter = stop.meter
    customer = meter.customer
    cycle = routes.current_cycle()
    reading = cycle_reading(meter.id, cycle)
    past = history.for_meter(meter) if reading is None else checked_against(meter, reading)
    skip = db.session.execute(select(Skip).where(Skip.meter_id == meter.id, Skip.cycle == cycle)
                              .order_by(Skip.at.desc()).limit(1)).scalar_one_or_none()
    expected = rules.expected_range(past.context, clock.now() if reading is None else reading.read_at,
                                    shut_off=customer is not None and customer.gas_off)
    # The reader may open this route, so its customers are theirs: no second access query for the arrears.
    standing = arrears.standing_of(actor, customer) if customer is not None else None
    return StopView(route, stop, meter, customer, count, past.context.previous, expected, reading, skip,
                    routes.stop_status(reading, skip), standing)


def checked_against(meter: Meter, reading: Reading) -> history.MeterHistory:
    """The meter's history as it stood when `reading` was checked: its live readings before it. The
    previous reading and the expected range drawn from it are those the reading was measured against."""
    earlier = history.live_readings(meter, before=reading.read_at, limit=history.HISTORY_LIMIT + 1)
    return history.build(meter, earlier[:history.HISTORY_LIMIT], complete=len(earlier) <= history.HISTORY_LIMIT)


def cycle_reading(meter_id: int, cycle: str) -> Reading | None:
    stmt = (select(Reading).where(Reading.meter_id == meter_id, Reading.cycle == cycle, Reading.status.in_(LIVE),
                                  Reading.kind != rules.Kind.start).order_by(Reading.read_at))
    best = None
    for r in db.session.execute(stmt).scalars():
        if routes.better(r, best):
            best = r
    return best


def next_stop(actor, route: Route, after_seq: int) -> int | None:
    """The next stop still to read after this one (wrapping to the first left), else None."""
    sheet = routes.route_sheet(actor, route, with_arrears=False)
    row = sheet.next_left(after_seq)
    return row.seq if row else None
