"""Tier split, bills across tier boundaries and across the start of the annual cycle (RULES.md §4)."""
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from fieldsvc.readings import rules
from fieldsvc.readings.rules import RESIDENTIAL_TIERS as RES
from fieldsvc.readings.rules import Tier, TierLine


def lines(*spec):
    return [TierLine(t, D(v), D(p), D(a)) for t, v, p, a in spec]


@pytest.mark.parametrize("volume, used, expected", [
    ("0", "0", []),
    ("100", "0", lines((1, "100", "2.61", "261.00"))),
    ("350", "0", lines((1, "350", "2.61", "913.50"))),               # up to the first bound exactly
    ("1", "350", lines((2, "1", "3.13", "3.13"))),                  # the 351st m³ is tier 2
    ("20", "340", lines((1, "10", "2.61", "26.10"), (2, "10", "3.13", "31.30"))),
    # crossing two tier boundaries in one bill: 340 → 520
    ("180", "340", lines((1, "10", "2.61", "26.10"), (2, "150", "3.13", "469.50"), (3, "20", "3.92", "78.40"))),
    ("10", "500", lines((3, "10", "3.92", "39.20"))),
    ("10", "900", lines((3, "10", "3.92", "39.20"))),
    ("600", "0", lines((1, "350", "2.61", "913.50"), (2, "150", "3.13", "469.50"), (3, "100", "3.92", "392.00"))),
    # half-up per line: 0.5 × 2.61 = 1.305 → 1.31; 0.5 × 3.13 = 1.565 → 1.57
    ("1", "349.5", lines((1, "0.5", "2.61", "1.31"), (2, "0.5", "3.13", "1.57"))),
])
def test_split_tiers(volume, used, expected):
    assert rules.split_tiers(D(volume), D(used), RES) == expected


@pytest.mark.parametrize("category, price", [("commercial", "3.45"), ("industrial", "3.20")])
def test_flat_price_is_one_open_tier(category, price):
    flat = [Tier(None, rules.FLAT_PRICES[category])]
    assert rules.split_tiers(D(1000), D(50000), flat) == lines((1, "1000", price, str(D(price) * 1000)))


def test_split_is_exact_for_any_volume():
    for used in range(0, 700, 37):
        for volume in range(0, 400, 29):
            parts = rules.split_tiers(D(volume), D(used), RES)
            assert sum(p.volume_m3 for p in parts) == volume


@pytest.mark.parametrize("tiers", [
    [],
    [Tier(D(350), D(1))],                             # last tier must be open
    [Tier(D(500), D(1)), Tier(D(350), D(2)), Tier(None, D(3))],  # bounds decreasing
    [Tier(D(0), D(1)), Tier(None, D(2))],
    [Tier(None, D(-1))],
])
def test_bad_tiers_refused(tiers):
    with pytest.raises(ValueError):
        rules.check_tiers(tiers)


@pytest.mark.parametrize("start, end, volume, expected", [
    # straddling 1 January: 15 days in each cycle
    (date(2025, 12, 17), date(2026, 1, 16), "30", [(date(2025, 1, 1), D(15)), (date(2026, 1, 1), D(15))]),
    # 10 of 31 days in the old cycle: 100 × 10/31 = 32.26 → 32, the new cycle takes the rest
    (date(2025, 12, 22), date(2026, 1, 22), "100", [(date(2025, 1, 1), D(32)), (date(2026, 1, 1), D(68))]),
    # half-up: 5 × 1/2 = 2.5 → 3
    (date(2025, 12, 31), date(2026, 1, 2), "5", [(date(2025, 1, 1), D(3)), (date(2026, 1, 1), D(2))]),
    # the previous reading on 1 January: all in the new cycle
    (date(2026, 1, 1), date(2026, 2, 1), "40", [(date(2026, 1, 1), D(40))]),
    # read on 1 January: the whole period was in the old cycle
    (date(2025, 12, 1), date(2026, 1, 1), "40", [(date(2025, 1, 1), D(40))]),
    (date(2026, 3, 1), date(2026, 4, 1), "40", [(date(2026, 1, 1), D(40))]),
    # over more than a year (a long-vacant home): three cycles by days 31 / 365 / 31
    (date(2024, 12, 1), date(2026, 2, 1), "427", [(date(2024, 1, 1), D(31)), (date(2025, 1, 1), D(365)),
                                                  (date(2026, 1, 1), D(31))]),
])
def test_split_by_cycle(start, end, volume, expected):
    assert rules.split_by_cycle(start, end, D(volume)) == expected


def test_split_by_cycle_parts_never_negative():
    # Small volumes over long periods: rounding every share would give −1 m³ to the last cycle.
    for volume in range(0, 8):
        for days_back in (370, 400, 731, 800, 1100):
            end = date(2026, 2, 10)
            parts = rules.split_by_cycle(end - timedelta(days=days_back), end, D(volume))
            assert all(v >= 0 for _s, v in parts) and sum(v for _s, v in parts) == volume


def test_cycle_start_can_be_configured():
    # a heating-year cycle starting 1 July
    assert rules.cycle_start_of(date(2026, 3, 1), (7, 1)) == date(2025, 7, 1)
    assert rules.split_by_cycle(date(2026, 6, 16), date(2026, 7, 16), D(30), (7, 1)) == [
        (date(2025, 7, 1), D(15)), (date(2026, 7, 1), D(15))]


def test_bill_straddling_cycle_start_restarts_the_tier_count():
    # 490 m³ already used in 2025; the period 17 Dec → 16 Jan used 60 m³: 30 m³ in each cycle.
    result = rules.bill_lines(date(2025, 12, 17), date(2026, 1, 16), D(60), RES,
                              {date(2025, 1, 1): D(490)})
    assert result == [
        TierLine(2, D(10), D("3.13"), D("31.30"), date(2025, 1, 1)),
        TierLine(3, D(20), D("3.92"), D("78.40"), date(2025, 1, 1)),
        TierLine(1, D(30), D("2.61"), D("78.30"), date(2026, 1, 1)),  # the new cycle starts at tier 1
    ]
    assert rules.total(result) == D("188.00")


def test_bill_crossing_two_tier_boundaries():
    result = rules.bill_lines(date(2026, 8, 1), date(2026, 9, 1), D(200), RES, {date(2026, 1, 1): D(340)})
    assert [(x.tier, x.volume_m3) for x in result] == [(1, D(10)), (2, D(150)), (3, D(40))]
    assert rules.total(result) == D("26.10") + D("469.50") + D("156.80")
