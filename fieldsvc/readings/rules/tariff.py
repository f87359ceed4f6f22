"""Tiered prices (RULES.md §4): the tier split of a volume and the split of a bill across annual cycles.

Pure: the IC-card sales domain reuses `split_tiers` for a sale against the year's purchased volume.

Progressive tiers: each m³ is priced by the tier that the cycle's cumulative volume has reached when
that m³ is used. A tier is (upper bound of the cumulative volume in m³ or None for "no limit", price).
Amounts are rounded half-up to 0.01 yuan per tier line; the bill's amount is the sum of its lines.

Convention for a bill whose period straddles the start of an annual cycle (1 January by default):
the period runs from the day of the previous reading to the day of this reading; each cycle gets the
number of days of the period that fall in it (previous reading on 17 December, this one on 16 January:
15 days in the old cycle, 15 in the new). The volume is shared pro rata by those days, rounded half-up
to the volume step (whole m³ for bills) for every cycle but the last, which takes the remainder so the
parts add up exactly (the running total is rounded, so no part is ever negative). Each part is then priced by `split_tiers` against the cumulative volume already
billed in its own cycle: the tier count restarts at 0 in the new cycle.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
WHOLE_M3 = Decimal(1)


@dataclass(frozen=True)
class Tier:
    upper: Decimal | None  # cumulative m³ in the cycle where this tier ends; None: open-ended
    price: Decimal  # yuan per m³


@dataclass(frozen=True)
class TierLine:
    tier: int  # 1-based
    volume_m3: Decimal
    price: Decimal
    amount: Decimal
    cycle_start: date | None = None  # which annual cycle the volume counts in


# Seed defaults (RULES.md §4); deployments change them as data in the tariffs table.
RESIDENTIAL_TIERS = (Tier(Decimal(350), Decimal("2.61")), Tier(Decimal(500), Decimal("3.13")),
                     Tier(None, Decimal("3.92")))
FLAT_PRICES = {"commercial": Decimal("3.45"), "industrial": Decimal("3.20")}
DEFAULT_CYCLE_START = (1, 1)  # month, day


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def check_tiers(tiers: Sequence[Tier]) -> None:
    """Bounds strictly increasing, the last tier open-ended, prices not negative."""
    if not tiers:
        raise ValueError("a tariff needs at least one tier")
    if tiers[-1].upper is not None:
        raise ValueError("the last tier must be open-ended")
    bounds = [t.upper for t in tiers[:-1]]
    if any(b is None or b <= 0 for b in bounds) or bounds != sorted(set(bounds)):
        raise ValueError("tier bounds must be positive and increasing")
    if any(t.price < 0 for t in tiers):
        raise ValueError("prices cannot be negative")


def split_tiers(volume: Decimal, used_before: Decimal, tiers: Sequence[Tier],
                cycle_start: date | None = None) -> list[TierLine]:
    """Price `volume` m³ used after `used_before` m³ already counted in the same annual cycle."""
    if volume < 0 or used_before < 0:
        raise ValueError("volumes cannot be negative")
    lines, lower, end = [], Decimal(0), used_before + volume
    for number, tier in enumerate(tiers, start=1):
        high = end if tier.upper is None else min(end, tier.upper)
        room = high - max(lower, used_before)
        if room > 0:
            lines.append(TierLine(number, room, tier.price, money(room * tier.price), cycle_start))
        if tier.upper is None or tier.upper >= end:
            break
        lower = tier.upper
    return lines


def cycle_start_of(day: date, cycle_start: tuple[int, int] = DEFAULT_CYCLE_START) -> date:
    """The first day of the annual cycle that `day` is in."""
    month, dom = cycle_start
    start = date(day.year, month, dom)
    return start if start <= day else date(day.year - 1, month, dom)


def next_cycle_start(start: date) -> date:
    return start.replace(year=start.year + 1)


def split_by_cycle(period_start: date, period_end: date, volume: Decimal,
                   cycle_start: tuple[int, int] = DEFAULT_CYCLE_START,
                   step: Decimal = WHOLE_M3) -> list[tuple[date, Decimal]]:
    """[(cycle start, volume in it)] for the period previous reading → this reading (see module doc)."""
    if period_end <= period_start:
        return [(cycle_start_of(period_end, cycle_start), volume)]
    days_total = (period_end - period_start).days
    segments, start = [], cycle_start_of(period_start, cycle_start)
    while start < period_end:
        end = next_cycle_start(start)
        days = (min(end, period_end) - max(start, period_start)).days
        if days > 0:
            segments.append((start, days))
        start = end
    # Round the running total, not each share: every share stays ≥ 0 and they add up to the volume.
    parts, given, days_so_far = [], Decimal(0), 0
    for index, (start, days) in enumerate(segments):
        days_so_far += days
        if index == len(segments) - 1:
            upto = volume
        else:
            upto = (volume * days_so_far / days_total).quantize(step, rounding=ROUND_HALF_UP)
        parts.append((start, upto - given))
        given = upto
    return [(s, v) for s, v in parts if v != 0] or [(segments[-1][0], Decimal(0))]


def bill_lines(period_start: date, period_end: date, volume: Decimal, tiers: Sequence[Tier],
               used_by_cycle: dict[date, Decimal], cycle_start: tuple[int, int] = DEFAULT_CYCLE_START,
               step: Decimal = WHOLE_M3) -> list[TierLine]:
    """The priced lines of a bill: the volume shared between annual cycles, then split into tiers."""
    lines = []
    for start, part in split_by_cycle(period_start, period_end, volume, cycle_start, step):
        lines.extend(split_tiers(part, used_by_cycle.get(start, Decimal(0)), tiers, start))
    return lines


def total(lines: Sequence[TierLine]) -> Decimal:
    return sum((line.amount for line in lines), Decimal("0.00"))
