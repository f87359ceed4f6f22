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


def live_readings(meter: Meter, before: datetime | None = None, limit: int = HISTORY_LIMIT) -> list[Reading]:
    """The meter's readings since its current installation (earlier ones were at another customer)."""
    stmt = select(Reading).where(Reading.meter_id == meter.id, Reading.status.in_(LIVE))
    if meter.installed_on is not None:
        stmt = stmt.where(Reading.read_at >= meter_start(meter))
    if before is not None:
        stmt = stmt.where(Reading.read_at < before)
    stmt = stmt.order_by(Reading.read_at.desc(), Reading.id.desc()).limit(limit)
    return list(db.session.execute(stmt).scalars())


def build(meter: Meter, readings: list[Reading]) -> MeterHistory:
    """From the meter's live readings, newest first (as `live_readings` returns them). A period is the
    time between two readings on file; the first reading on file opens the history without a period of
    its own (its predecessor may be in the previous system, so its length is unknown)."""
    qmax = METER_SIZES[meter.size].qmax
    if readings:
        last = readings[0]
        previous = rules.Previous(last.value, last.read_at, last.kind)
    else:
        last = None
        previous = rules.Previous(meter.start_reading or Decimal(0), meter_start(meter), rules.Kind.start)
    periods, dated = [], []
    for newer, older in zip(readings, readings[1:], strict=False):
        periods.append(rules.Period(newer.consumption_m3, rules.days_between(older.read_at, newer.read_at),
                                    newer.kind, tuple(newer.codes)))
        dated.append(rules.DatedPeriod(older.read_on, newer.read_on, newer.consumption_m3, newer.kind,
                                       tuple(newer.codes)))
    context = rules.Context(meter.digits, qmax, previous, tuple(periods))
    return MeterHistory(context, tuple(r.kind for r in readings), tuple(dated), last)


def for_meter(meter: Meter) -> MeterHistory:
    return build(meter, live_readings(meter))
