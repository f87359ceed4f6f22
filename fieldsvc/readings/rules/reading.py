"""The checks every meter reading goes through (RULES.md §3). Pure: no database, no Flask.

`check_reading` takes the typed value, when it was read, the kind of reading and a `Context` (the
meter's register size, its qmax, the previous reading and the past periods) and answers with the
consumption, the anomaly codes to store on the reading, or the code it is rejected with.

Conventions chosen here (RULES.md leaves them open):
- "The mean consumption per day of the previous actual periods" is the total consumption of the
  last 6 actual periods divided by their total length in days (a long period weighs more).
- "Actual" periods are actual readings and customer self-reads that were not forced to zero by a
  confirmed negative reading; estimates and meter-change readings never count.
- Estimated readings are computed from history, so only the estimate limit (and the register's
  rollover) applies to them: spike, drop, zero and implausible flow judge what a person read.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Kind(StrEnum):
    actual = "actual"
    estimated = "estimated"
    self_read = "self"  # read by the customer
    final = "final"  # last reading of a meter taken out (meter change)
    start = "start"  # first reading of a meter put in (meter change)


class Code(StrEnum):
    """Anomaly codes stored on readings; the API names them in its 422 errors."""

    rollover = "rollover"
    negative = "negative"
    zero = "zero"
    spike = "spike"
    drop = "drop"
    implausible = "implausible"
    estimate_limit = "estimate_limit"
    too_many_digits = "too_many_digits"
    not_after_previous = "not_after_previous"


class SkipCode(StrEnum):
    """Why a stop was not read (the reader's choice on the stop page)."""

    nobody_home = "nobody_home"
    not_reachable = "not_reachable"
    meter_damaged = "meter_damaged"
    bypass = "bypass"


ACTUAL_KINDS = frozenset({Kind.actual, Kind.self_read})
API_KINDS = (Kind.actual, Kind.estimated, Kind.self_read)
# One reading of these kinds per meter per billing cycle; a meter change's final and start are outside it.
ONCE_A_CYCLE = frozenset({Kind.actual, Kind.estimated, Kind.self_read})
# Rejections the reader may override by re-reading and confirming with a reason (and a photo on the phone).
CONFIRMABLE = frozenset({Code.negative, Code.spike})

ROLLOVER_SHARE = Decimal("0.9")  # previous ≥ 0.9 × 10^digits: a smaller value is a rollover
SPIKE_FACTOR = Decimal(3)
SPIKE_MIN_M3 = Decimal(20)
DROP_FACTOR = Decimal("0.3")
DROP_MIN_MEAN_M3 = Decimal(5)  # the drop check needs periods averaging at least this much
MIN_PERIODS = 3
MEAN_PERIODS = 6
ESTIMATE_LIMIT = 2  # two estimates in a row are allowed; the third is refused
ONE = Decimal(1)
SECONDS_PER_HOUR = Decimal(3600)


@dataclass(frozen=True)
class Previous:
    value: Decimal
    at: datetime
    kind: str = Kind.start


@dataclass(frozen=True)
class Period:
    """A past reading period of this meter, most recent first in `Context.history`."""

    consumption: Decimal
    days: Decimal
    kind: str = Kind.actual
    anomalies: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return self.kind in ACTUAL_KINDS and Code.negative not in self.anomalies and self.days > 0


@dataclass(frozen=True)
class Context:
    digits: int
    qmax: Decimal
    previous: Previous
    history: Sequence[Period] = ()  # most recent first


@dataclass(frozen=True)
class Outcome:
    consumption: Decimal
    anomalies: tuple[str, ...] = ()
    rejected: str | None = None  # the code the reading is refused with
    field: str = "value"  # the form field the rejection is about
    detail: dict = dc_field(default_factory=dict)  # numbers for the message (mean, limit…)

    @property
    def accepted(self) -> bool:
        return self.rejected is None

    @property
    def confirmable(self) -> bool:
        return self.rejected in CONFIRMABLE


def register_limit(digits: int) -> Decimal:
    """The register shows 0 … 10^digits − 1, then starts again at 0."""
    return Decimal(10) ** digits


def elapsed_hours(since: datetime, until: datetime) -> Decimal:
    delta = until - since
    microseconds = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return Decimal(microseconds) / 1_000_000 / SECONDS_PER_HOUR


def mean_per_day(history: Sequence[Period]) -> tuple[Decimal | None, int, Decimal | None]:
    """(mean m³/day, number of periods used, mean m³ per period) over the last 6 actual periods."""
    periods = [p for p in history if p.usable][:MEAN_PERIODS]
    if not periods:
        return None, 0, None
    total = sum((p.consumption for p in periods), Decimal(0))
    days = sum((p.days for p in periods), Decimal(0))
    return total / days, len(periods), total / len(periods)


def raw_consumption(value: Decimal, previous: Decimal, digits: int) -> tuple[Decimal, str | None]:
    """current − previous, or across the register's rollover; ('negative' when it went backwards)."""
    if value >= previous:
        return value - previous, None
    if previous >= ROLLOVER_SHARE * register_limit(digits):
        return register_limit(digits) - previous + value, Code.rollover
    return value - previous, Code.negative


def check_reading(value: Decimal, at: datetime, kind: str, ctx: Context, confirmed: bool = False,
                  recent_kinds: Sequence[str] = (), shut_off: bool = False) -> Outcome:
    """Apply RULES.md §3 to one reading. `recent_kinds`: kinds of the meter's last readings, newest first.
    `shut_off`: the customer's supply is shut off, so no consumption is what is expected (no `zero` flag)."""
    if value < 0 or value >= register_limit(ctx.digits):
        return Outcome(Decimal(0), rejected=Code.too_many_digits, detail={"digits": ctx.digits})
    if at <= ctx.previous.at:
        return Outcome(Decimal(0), rejected=Code.not_after_previous, field="read_at")
    if kind == Kind.estimated and _estimates_in_a_row(recent_kinds) >= ESTIMATE_LIMIT:
        return Outcome(Decimal(0), rejected=Code.estimate_limit)
    consumption, code = raw_consumption(value, ctx.previous.value, ctx.digits)
    if code == Code.negative:
        if not confirmed:
            return Outcome(Decimal(0), rejected=Code.negative,
                           detail={"previous": ctx.previous.value})
        return Outcome(Decimal(0), (Code.negative,))  # never billed negative; the chief reviews it
    anomalies = [code] if code else []
    if kind in (Kind.estimated, Kind.start):
        return Outcome(consumption, tuple(anomalies))
    hours = elapsed_hours(ctx.previous.at, at)
    if consumption / hours > ctx.qmax:
        return Outcome(consumption, tuple(anomalies), rejected=Code.implausible,
                       detail={"flow": _q(consumption / hours, "0.01"), "qmax": ctx.qmax})
    return _check_history(consumption, hours / 24, kind, ctx, confirmed, anomalies, shut_off)


def _check_history(consumption, days, kind, ctx, confirmed, anomalies, shut_off=False) -> Outcome:
    mean, periods, per_period = mean_per_day(ctx.history)
    if periods >= MIN_PERIODS:
        per_day = consumption / days
        detail = {"mean": _q(mean, "0.01"), "per_day": _q(per_day, "0.01")}
        if per_day > SPIKE_FACTOR * mean and consumption > SPIKE_MIN_M3:
            if not confirmed:
                return Outcome(consumption, tuple(anomalies), rejected=Code.spike, detail=detail)
            anomalies.append(Code.spike)
        elif per_period >= DROP_MIN_MEAN_M3 and 0 < per_day < DROP_FACTOR * mean:
            anomalies.append(Code.drop)
    if consumption == 0 and kind in ACTUAL_KINDS and not shut_off and _previous_actual_was_zero(ctx.history):
        anomalies.append(Code.zero)
    return Outcome(consumption, tuple(anomalies))


def _estimates_in_a_row(recent_kinds: Sequence[str]) -> int:
    count = 0
    for k in recent_kinds:
        if k != Kind.estimated:
            break
        count += 1
    return count


def _previous_actual_was_zero(history: Sequence[Period]) -> bool:
    last_actual = next((p for p in history if p.kind == Kind.actual), None)
    return last_actual is not None and last_actual.consumption == 0


def _q(value: Decimal, quantum: str) -> Decimal:
    return value.quantize(Decimal(quantum), rounding=ROUND_HALF_UP)


def expected_range(ctx: Context, at: datetime, shut_off: bool = False) -> tuple[Decimal, Decimal] | None:
    """What the register should show now: between the drop and spike limits of the mean, or — with
    too little history — between the previous value and what qmax could have passed. Whole m³.
    A shut-off supply should show the previous value: no gas has flowed."""
    hours = elapsed_hours(ctx.previous.at, at)
    if hours <= 0:
        return None
    if shut_off:
        previous = _q(ctx.previous.value, "1").to_integral_value()
        return previous, previous
    mean, periods, _ = mean_per_day(ctx.history)
    if periods >= MIN_PERIODS and mean > 0:
        low = ctx.previous.value + DROP_FACTOR * mean * hours / 24
        high = ctx.previous.value + max(SPIKE_FACTOR * mean * hours / 24, SPIKE_MIN_M3)
    else:
        low, high = ctx.previous.value, ctx.previous.value + ctx.qmax * hours
    limit = register_limit(ctx.digits)
    return (_q(low, "1").to_integral_value() % limit, _q(high, "1").to_integral_value() % limit)


# --- estimates (nobody home) ----------------------------------------------------------------------

@dataclass(frozen=True)
class DatedPeriod:
    start: date  # date of the reading that opened the period
    end: date  # date of the reading that closed it
    consumption: Decimal
    kind: str = Kind.actual
    anomalies: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def usable(self) -> bool:
        return self.kind in ACTUAL_KINDS and Code.negative not in self.anomalies and self.days > 0


def one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def estimate_consumption(start: date, end: date, history: Sequence[DatedPeriod]) -> Decimal | None:
    """Estimated m³ for the period start → end (nobody home): last year's same period when the actual
    readings of last year cover it, else the mean per day of the last 6 actual periods; pro rata by days,
    rounded half-up to whole m³. None without any actual period to go on."""
    days = (end - start).days
    if days <= 0:
        return Decimal(0)
    usable = [p for p in history if p.usable]
    last_year = _same_period_last_year(one_year_before(start), one_year_before(end), usable)
    if last_year is not None:
        return _q(last_year, "1")
    recent = sorted(usable, key=lambda p: p.end, reverse=True)[:MEAN_PERIODS]
    if not recent:
        return None
    per_day = sum((p.consumption for p in recent), Decimal(0)) / sum(p.days for p in recent)
    return _q(per_day * days, "1")


def _same_period_last_year(start: date, end: date, periods: Sequence[DatedPeriod]) -> Decimal | None:
    covered, total = 0, Decimal(0)
    for p in periods:
        overlap = (min(end, p.end) - max(start, p.start)).days
        if overlap > 0:
            covered += overlap
            total += p.consumption * overlap / p.days
    return total if covered >= (end - start).days else None


def estimated_value(previous: Decimal, consumption: Decimal, digits: int) -> Decimal:
    """The register value an estimate stands for (wrapping past 10^digits like the register would)."""
    return (previous + consumption) % register_limit(digits)


def days_between(since: datetime, until: datetime) -> Decimal:
    return elapsed_hours(since, until) / 24


def start_of_day(day: date, tz) -> datetime:
    """A meter installed on a day counts from the start of that day (business time zone)."""
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def cycle_of(day: date) -> str:
    """Readings are organised in monthly cycles named YYYY-MM."""
    return f"{day.year:04d}-{day.month:02d}"


def cycle_bounds(cycle: str) -> tuple[date, date]:
    """First day of the cycle and first day of the next one."""
    year, month = (int(x) for x in cycle.split("-"))
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt


def previous_cycle(cycle: str) -> str:
    first, _ = cycle_bounds(cycle)
    return cycle_of(first - timedelta(days=1))


# --- when a reading was taken, as the phone says (offline readings replayed later) ----------------------
CLIENT_SKEW = timedelta(minutes=10)  # a phone clock a few minutes ahead is not "the future"
CLIENT_MAX_AGE = timedelta(days=7)  # older than an outbox plausibly waits: the phone's clock is wrong


def client_time(claimed: str | None, now: datetime) -> datetime:
    """When the reader typed the reading: the phone's `client_recorded_at` (ISO 8601 with a zone) when it
    is believable, else `now` (the server's time). Believable: not after now + CLIENT_SKEW (a time a little
    ahead counts as now) and not before now − CLIENT_MAX_AGE. Missing, malformed or zoneless → now."""
    if not claimed or not isinstance(claimed, str) or len(claimed) > 40:
        return now
    try:
        at = datetime.fromisoformat(claimed.strip())
    except ValueError:
        return now
    if at.tzinfo is None or at.utcoffset() is None:
        return now
    if at > now + CLIENT_SKEW or at < now - CLIENT_MAX_AGE:
        return now
    return min(at, now).astimezone(now.tzinfo)
