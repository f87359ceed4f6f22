"""Every reading rule of RULES.md §3, table-driven: rollover, negative, zero, spike, drop, implausible
flow, the estimate limit, estimates and the expected range."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest

from fieldsvc.readings import rules
from fieldsvc.readings.rules import Code, Context, DatedPeriod, Kind, Period, Previous

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
G25 = D(4)  # qmax of a G2.5 meter, m³/h


def ctx(previous="1000", days=30, history=(), digits=5, qmax=G25, prev_kind=Kind.actual):
    return Context(digits=digits, qmax=qmax, previous=Previous(D(previous), T0, prev_kind),
                   history=tuple(history)), T0 + timedelta(days=days)


def periods(*consumptions, days=30, kind=Kind.actual):
    return [Period(D(c), D(days), kind) for c in consumptions]


@pytest.mark.parametrize("previous, value, digits, consumption", [
    ("90000", "5", 5, "10005"),               # exactly 0.9 × 10^5: a rollover (100000 − 90000 + 5)…
    ("89999.999", "5", 5, None),              # …just below: negative, refused
    ("89999", "5", 5, None),
    ("99990", "10", 5, "20"),
    ("99999", "0", 5, "1"),
    ("9000", "3", 4, "1003"),                 # a 4-digit register rolls at 10 000
    ("8999", "3", 4, None),
    ("900000", "7", 6, "100007"),
])
def test_rollover_boundary(previous, value, digits, consumption):
    context, at = ctx(previous, days=3000 if consumption and D(consumption) > 10000 else 30, digits=digits,
                      qmax=D(40))
    outcome = rules.check_reading(D(value), at, Kind.actual, context)
    if consumption is None:
        assert outcome.rejected == Code.negative
    else:
        assert outcome.accepted, outcome
        assert outcome.consumption == D(consumption)
        assert Code.rollover in outcome.anomalies


@pytest.mark.parametrize("confirmed, rejected, consumption, codes", [
    (False, Code.negative, D(0), ()),
    (True, None, D(0), (Code.negative,)),  # stored with consumption 0, never billed negative
])
def test_negative(confirmed, rejected, consumption, codes):
    context, at = ctx("1000")
    outcome = rules.check_reading(D("990"), at, Kind.actual, context, confirmed=confirmed)
    assert outcome.rejected == rejected
    assert outcome.consumption == consumption
    assert outcome.anomalies == codes
    assert outcome.confirmable is (rejected is not None)


@pytest.mark.parametrize("history, kind, flagged", [
    (periods(0, 10, 10), Kind.actual, True),  # zero on this and the previous actual reading
    (periods(5, 10, 10), Kind.actual, False),  # previous actual was not zero
    ([Period(D(0), D(30), Kind.estimated)] + periods(0), Kind.actual, True),  # estimates in between don't count
    ([Period(D(0), D(30), Kind.estimated)] + periods(4), Kind.actual, False),
    ([], Kind.actual, False),  # no previous actual reading
    (periods(0), Kind.self_read, True),
    (periods(0), Kind.estimated, False),  # an estimate is computed, not judged
])
def test_zero_on_two_consecutive_actuals(history, kind, flagged):
    context, at = ctx("1000", history=history)
    outcome = rules.check_reading(D("1000"), at, kind, context, recent_kinds=[Kind.actual])
    assert outcome.accepted
    assert (Code.zero in outcome.anomalies) is flagged


# Mean of 30 m³ per 30 days = 1 m³/day. Spike: > 3 m³/day and > 20 m³. Drop: < 0.3 m³/day.
@pytest.mark.parametrize("history, consumption, expected", [
    (periods(30, 30, 30), "91", Code.spike),           # 91/30 = 3.03 m³/day > 3 × 1
    (periods(30, 30, 30), "90", None),                 # exactly 3 × the mean: not a spike
    (periods(30, 30), "200", None),                    # only 2 periods: no spike check
    (periods(30, 30, 30, 30, 30, 30, 30), "91", Code.spike),
    (periods(5, 5, 5), "20", None),                    # 4 × the mean but not > 20 m³
    (periods(5, 5, 5), "21", Code.spike),
    (periods(30, 30, 30), "8", Code.drop),             # 0.267 m³/day < 0.3
    (periods(30, 30, 30), "9", None),                  # exactly 0.3 × the mean: no drop
    (periods(30, 30), "1", None),                      # fewer than 3 periods: no drop check
    (periods(4, 4, 4), "0.5", None),                   # periods average < 5 m³: no drop check
    (periods(5, 5, 5), "1", Code.drop),                # averaging exactly 5 m³: checked
    (periods(30, 30, 30), "0", None),                  # 0 is not a drop (it may be a zero)
    (periods(30, 30) + periods(30, kind=Kind.estimated), "200", None),  # estimates are not actual periods
    ([Period(D(0), D(30), Kind.actual, (Code.negative,))] + periods(30, 30), "200", None),
])
def test_spike_and_drop_thresholds(history, consumption, expected):
    context, at = ctx("1000", history=history, qmax=D(40))
    outcome = rules.check_reading(D(1000) + D(consumption), at, Kind.actual, context)
    if expected == Code.spike:
        assert outcome.rejected == Code.spike and outcome.confirmable
        confirmed = rules.check_reading(D(1000) + D(consumption), at, Kind.actual, context, confirmed=True)
        assert confirmed.accepted and Code.spike in confirmed.anomalies
    else:
        assert outcome.accepted
        assert (Code.drop in outcome.anomalies) is (expected == Code.drop)
        assert Code.spike not in outcome.anomalies


def test_spike_mean_is_weighted_by_days():
    # 60 m³ over 60 days + 2 × 10 m³ over 10 days: 80 m³ / 80 days = 1 m³/day (not the mean of the rates).
    history = [Period(D(60), D(60)), Period(D(10), D(10)), Period(D(10), D(10))]
    context, at = ctx("0", history=history, days=10)
    assert rules.check_reading(D(31), at, Kind.actual, context).rejected == Code.spike
    assert rules.check_reading(D(30), at, Kind.actual, context).accepted


@pytest.mark.parametrize("hours, consumption, qmax, rejected", [
    (10, "40", "4", False),        # exactly qmax for 10 h
    (10, "40.1", "4", True),       # a bit more than qmax could pass
    (1, "2.5", "2.5", False),      # G1.6
    (1, "2.6", "2.5", True),
    (24, "960", "40", False),      # G25
    (24, "961", "40", True),
])
def test_implausible_flow(hours, consumption, qmax, rejected):
    context = Context(digits=5, qmax=D(qmax), previous=Previous(D(100), T0))
    outcome = rules.check_reading(D(100) + D(consumption), T0 + timedelta(hours=hours), Kind.actual, context)
    assert (outcome.rejected == Code.implausible) is rejected
    if rejected:
        assert not outcome.confirmable
        assert not rules.check_reading(D(100) + D(consumption), T0 + timedelta(hours=hours), Kind.actual,
                                       context, confirmed=True).accepted


def test_implausible_applies_to_rollover_consumption():
    context = Context(digits=5, qmax=D(4), previous=Previous(D(99990), T0))
    outcome = rules.check_reading(D(500), T0 + timedelta(hours=2), Kind.actual, context)
    assert outcome.rejected == Code.implausible


@pytest.mark.parametrize("recent, rejected", [
    ([], False),
    ([Kind.actual], False),
    ([Kind.estimated], False),                        # second estimate in a row: allowed
    ([Kind.estimated, Kind.estimated], True),         # the third consecutive estimate: a visit is needed
    ([Kind.estimated, Kind.actual, Kind.estimated], False),
    ([Kind.estimated, Kind.estimated, Kind.estimated], True),
])
def test_third_consecutive_estimate(recent, rejected):
    context, at = ctx("1000")
    outcome = rules.check_reading(D(1030), at, Kind.estimated, context, recent_kinds=recent)
    assert (outcome.rejected == Code.estimate_limit) is rejected
    if rejected:
        assert not rules.check_reading(D(1030), at, Kind.estimated, context, confirmed=True,
                                       recent_kinds=recent).accepted


@pytest.mark.parametrize("value, at_offset, code, field", [
    ("100000", 30, Code.too_many_digits, "value"),
    ("-1", 30, Code.too_many_digits, "value"),
    ("1010", 0, Code.not_after_previous, "read_at"),
    ("1010", -1, Code.not_after_previous, "read_at"),
])
def test_impossible_values(value, at_offset, code, field):
    context = Context(digits=5, qmax=G25, previous=Previous(D(1000), T0))
    outcome = rules.check_reading(D(value), T0 + timedelta(days=at_offset), Kind.actual, context)
    assert outcome.rejected == code and outcome.field == field


def test_ordinary_reading_has_no_anomaly():
    context, at = ctx("1000", history=periods(30, 25, 35))
    outcome = rules.check_reading(D(1031), at, Kind.actual, context)
    assert outcome == rules.Outcome(D(31), ())


# --- estimates --------------------------------------------------------------------------------------

def monthly(year, values, start_month=1):
    out, day = [], date(year, start_month, 1)
    for v in values:
        end = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        out.append(DatedPeriod(day, end, D(v)))
        day = end
    return out


@pytest.mark.parametrize("start, end, history, expected", [
    # last year's same period, covered by one reading period: taken as is
    (date(2026, 1, 1), date(2026, 2, 1), monthly(2025, [62] * 12), D(62)),
    # last year's window covered by two periods: pro rata by days (16 days of Jan 31 d, 15 of Feb 28 d)
    (date(2026, 1, 16), date(2026, 2, 16), monthly(2025, [31, 28]), D(16 + 15)),
    # last year not covered: mean per day of the last 6 actual periods (May–October)
    (date(2026, 11, 1), date(2026, 12, 1), monthly(2026, [30] * 10, 1), D(29)),  # 180 m³ / 184 d × 30 d
    # 6-period mean pro rata: 1 m³/day × 15 days
    (date(2026, 3, 1), date(2026, 3, 16),
     [DatedPeriod(date(2026, 1, 1), date(2026, 1, 31), D(30)), DatedPeriod(date(2026, 1, 31), date(2026, 3, 1), D(29))],
     D(15)),
    # estimates in the history are ignored
    (date(2026, 3, 1), date(2026, 3, 11),
     [DatedPeriod(date(2026, 2, 1), date(2026, 3, 1), D(280), Kind.estimated),
      DatedPeriod(date(2026, 1, 1), date(2026, 1, 11), D(20))], D(20)),
    # nothing to go on
    (date(2026, 3, 1), date(2026, 3, 31), [], None),
    # half-up to whole m³: 10 m³ / 4 days × 1 day = 2.5 → 3
    (date(2026, 3, 1), date(2026, 3, 2), [DatedPeriod(date(2026, 2, 1), date(2026, 2, 5), D(10))], D(3)),
])
def test_estimate_consumption(start, end, history, expected):
    assert rules.estimate_consumption(start, end, history) == expected


def test_estimated_value_wraps_like_the_register():
    assert rules.estimated_value(D(99990), D(25), 5) == D(15)
    assert rules.estimated_value(D(100), D(25), 5) == D(125)


@pytest.mark.parametrize("history, days, expected", [
    (periods(30, 30, 30), 30, (D(1009), D(1090))),  # 0.3 × and 3 × the mean per day
    (periods(30, 30), 1, (D(1000), D(1096))),  # too little history: up to qmax (4 m³/h × 24 h)
    (periods(1, 1, 1), 30, (D(1000), D(1020))),  # never narrower than the 20 m³ a spike needs
])
def test_expected_range(history, days, expected):
    context, at = ctx("1000", history=history, days=days)
    assert rules.expected_range(context, at) == expected
    assert rules.expected_range(context, at, shut_off=True) == (D(1000), D(1000))  # no gas flows


@pytest.mark.parametrize("day, cycle", [(date(2026, 1, 1), "2026-01"), (date(2026, 12, 31), "2026-12")])
def test_cycles(day, cycle):
    assert rules.cycle_of(day) == cycle
    first, nxt = rules.cycle_bounds(cycle)
    assert first <= day < nxt


def test_previous_cycle():
    assert rules.previous_cycle("2026-01") == "2025-12"
    assert rules.previous_cycle("2026-07") == "2026-06"
