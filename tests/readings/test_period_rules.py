"""RULES.md §3 clarifications, table-driven: the installation → first reading period is a period like any
other (zero, spike and drop judge it); a shut-off supply is expected to read zero."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest

from fieldsvc.readings import rules
from fieldsvc.readings.rules import Code, Context, Kind, Mark, Period, Previous

T0 = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)  # the meter's installation
OPENING = Mark(D(100), T0, T0.date(), Kind.start)


def mark(days: int, value, used, kind=Kind.actual, codes=()) -> Mark:
    at = T0 + timedelta(days=days)
    return Mark(D(value), at, at.date(), kind, D(used), tuple(codes))


# Readings newest first; each 30 days apart, starting 30 days after installation at 100.
R1, R2, R3 = mark(30, 130, 30), mark(60, 160, 30), mark(90, 190, 30)


@pytest.mark.parametrize("marks, opening, expected", [
    ([], None, []),
    ([], OPENING, []),                                       # nothing read yet: no period
    ([R1], None, []),                                        # no installation date: the first reading opens it
    ([R1], OPENING, [(D(30), D(30), date(2026, 1, 1), date(2026, 1, 31))]),
    ([R2, R1], None, [(D(30), D(30), date(2026, 1, 31), date(2026, 3, 2))]),
    ([R2, R1], OPENING, [(D(30), D(30), date(2026, 1, 31), date(2026, 3, 2)),
                         (D(30), D(30), date(2026, 1, 1), date(2026, 1, 31))]),
    # a meter change stored its start reading at the installation: that is the opening already
    ([R1, mark(0, 100, 0, Kind.start)], OPENING, [(D(30), D(30), date(2026, 1, 1), date(2026, 1, 31))]),
])
def test_past_periods(marks, opening, expected):
    periods, dated = rules.past_periods(marks, opening)
    assert [(p.consumption, p.days, d.start, d.end) for p, d in zip(periods, dated, strict=True)] == expected


def test_period_keeps_kind_and_codes():
    periods, dated = rules.past_periods([mark(30, 100, 0, Kind.self_read, (Code.zero,))], OPENING)
    assert periods == (Period(D(0), D(30), Kind.self_read, (Code.zero,)),)
    assert dated[0].kind == Kind.self_read and dated[0].anomalies == (Code.zero,)


def context_for(marks, opening, previous: Mark) -> tuple[Context, datetime]:
    periods, _dated = rules.past_periods(marks, opening)
    return Context(5, D(40), Previous(previous.value, previous.at, previous.kind), periods), previous.at


# The installation period judged like any other: zero needs the previous actual period, spike and drop three.
@pytest.mark.parametrize("marks, opening, used, expected", [
    ([mark(30, 100, 0)], OPENING, "0", Code.zero),           # installation → first reading used nothing
    ([mark(30, 100, 0)], None, "0", None),                   # no installation date: nothing to compare with
    ([mark(30, 130, 30)], OPENING, "0", None),
    ([R3, R2, R1], OPENING, "91", Code.spike),               # three periods counting the installation one
    ([R3, R2, R1], None, "91", None),                        # two periods only: no spike check
    ([R3, R2, R1], OPENING, "8", Code.drop),
    ([R3, R2, R1], None, "8", None),
])
def test_installation_period_counts(marks, opening, used, expected):
    context, last_at = context_for(marks, opening, marks[0])
    outcome = rules.check_reading(marks[0].value + D(used), last_at + timedelta(days=30), Kind.actual, context)
    codes = set(outcome.anomalies) | ({outcome.rejected} if outcome.rejected else set())
    assert codes & {Code.zero, Code.spike, Code.drop} == ({expected} if expected else set())


# A shut-off supply reads zero by design: no zero flag; the other checks still apply.
@pytest.mark.parametrize("history, used, shut_off, expected", [
    ([Period(D(0), D(30))] * 3, "0", False, {Code.zero}),
    ([Period(D(0), D(30))] * 3, "0", True, set()),
    ([Period(D(0), D(30))], "0", True, set()),
    ([Period(D(30), D(30))] * 3, "0", True, set()),
    ([Period(D(30), D(30))] * 3, "8", True, {Code.drop}),    # gas used while shut off: still judged
    ([Period(D(30), D(30))] * 3, "91", True, {Code.spike}),
])
def test_shut_off_supply_expects_zero(history, used, shut_off, expected):
    context = Context(5, D(40), Previous(D(1000), T0, Kind.actual), tuple(history))
    outcome = rules.check_reading(D(1000) + D(used), T0 + timedelta(days=30), Kind.actual, context,
                                  shut_off=shut_off)
    codes = set(outcome.anomalies) | ({outcome.rejected} if outcome.rejected else set())
    assert codes == expected


@pytest.mark.parametrize("kind, once", [
    (Kind.actual, True), (Kind.estimated, True), (Kind.self_read, True), (Kind.final, False), (Kind.start, False),
])
def test_one_reading_a_cycle_kinds(kind, once):
    assert (kind in rules.ONCE_A_CYCLE) is once
