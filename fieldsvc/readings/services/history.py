"""A meter's reading history as the rules need it: the previous reading, past periods, recent kinds."""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from fieldsvc import clock
from fieldsvc.customers.models import Meter
from fieldsvc.customers.rules import METER_SIZES
from fieldsvc.extensions import db
from fieldsvc.readings import rules
from fieldsvc.readings.models import Reading

HISTORY_LIMIT = 25  # two years of monthly readings: last year's same period and 6 periods to average
LIVE = ("accepted", "pending", "approved")  # a reading sent back is not a previous reading


@dataclass(frozen=True)
class MeterHistory:
    context: rules.Context
    recent_kinds: tuple[str, ...]
    dated: tuple[rules.DatedPeriod, ...]  # most recent first
    last: Reading | None


def meter_start(meter: Meter) -> datetime:
    """When the meter started counting: its installation day, else when it was registered."""
    if meter.installed_on is not None:
        return rules.start_of_day(meter.installed_on, clock.zone())
    return meter.created_at


def live_select(meter_id, since=None, before=None, limit: int = HISTORY_LIMIT):
    """SELECT of a meter's readings since `since` (its current installation: earlier ones were at another
    customer), newest first. Each of `meter_id`, `since`, `before` is a value or a SQL expression (a bound
    parameter of a statement built once, the stop page's bound found in the same statement)."""
    stmt = select(Reading).where(Reading.meter_id == meter_id, Reading.status.in_(LIVE))
    if since is not None:
        stmt = stmt.where(Reading.read_at >= since)
    if before is not None:
        stmt = stmt.where(Reading.read_at < before)
    return stmt.order_by(Reading.read_at.desc(), Reading.id.desc()).limit(limit)


def installed_since(meter: Meter) -> datetime | None:
    """Where the meter's live readings begin: its installation, or None (every reading on file counts)."""
    return meter_start(meter) if meter.installed_on is not None else None


def live_readings(meter: Meter, before: datetime | None = None, limit: int = HISTORY_LIMIT) -> list[Reading]:
    """The meter's readings since its current installation (earlier ones were at another customer)."""
    return list(db.session.execute(live_select(meter.id, installed_since(meter), before, limit)).scalars())


def build(meter: Meter, readings: list[Reading], complete: bool = True) -> MeterHistory:
    """From the meter's live readings, newest first (as `live_readings` returns them). `complete`: the list
    reaches back to the meter's installation. A meter with an installation date counts from its start
    reading on that day (RULES.md §3: installation → first reading is a period like any other); one
    without opens its history at its first reading on file, whose predecessor is unknown."""
    qmax = METER_SIZES[meter.size].qmax
    opening = _opening(meter)
    if readings:
        last = readings[0]
        previous = rules.Previous(last.value, last.read_at, last.kind)
    else:
        last = None
        previous = rules.Previous(opening.value, opening.at, rules.Kind.start)
    marks = [rules.Mark(r.value, r.read_at, r.read_on, r.kind, r.consumption_m3, tuple(r.codes)) for r in readings]
    has_opening = meter.installed_on is not None and complete
    periods, dated = rules.past_periods(marks, opening if has_opening else None)
    context = rules.Context(meter.digits, qmax, previous, periods)
    return MeterHistory(context, tuple(r.kind for r in readings), dated, last)


def _opening(meter: Meter) -> rules.Mark:
    """The meter's start reading (default 0) when it started counting."""
    at = meter_start(meter)
    return rules.Mark(meter.start_reading or Decimal(0), at, clock.business_date(at), rules.Kind.start)


def for_meter(meter: Meter) -> MeterHistory:
    """The meter's history for the checks; one row more than kept tells whether it reaches installation."""
    return from_rows(meter, live_readings(meter, limit=HISTORY_LIMIT + 1))


def from_rows(meter: Meter, readings: list[Reading]) -> MeterHistory:
    """build() from up to HISTORY_LIMIT + 1 live readings, newest first: the extra one, when there,
    says the list does not reach back to the installation."""
    return build(meter, readings[:HISTORY_LIMIT], complete=len(readings) <= HISTORY_LIMIT)
