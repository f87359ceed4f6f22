"""The pure rules of complaints, table by table: the state table (every pair), the clocks (working
days across weekends, the 2 h safety target), satisfaction, tracking numbers, the analysis maths."""
import random
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import product
from zoneinfo import ZoneInfo

import pytest

from fieldsvc.complaints import rules
from fieldsvc.complaints.rules import By, Category, Status

SH = ZoneInfo("Asia/Shanghai")

# The whole state table written out: (from, to) → (action, who, needs a reason, reopens).
EXPECTED = {
    ("received", "contacted"): ("contact", By.handler, False, False),
    ("received", "rejected_invalid"): ("reject_invalid", By.handler, True, False),
    ("contacted", "rejected_invalid"): ("reject_invalid", By.handler, True, False),
    ("investigating", "rejected_invalid"): ("reject_invalid", By.handler, True, False),
    ("rejected_invalid", "closed_invalid"): ("acknowledge", By.handler, False, False),
    ("rejected_invalid", "investigating"): ("reopen", By.handler, True, True),
    ("closed_invalid", "investigating"): ("reopen", By.handler, True, True),
    ("contacted", "investigating"): ("investigate", By.handler, False, False),
    ("investigating", "solution_proposed"): ("propose", By.handler, False, False),
    ("solution_proposed", "solution_approved"): ("approve", By.approver, False, False),
    ("solution_proposed", "investigating"): ("send_back", By.approver, True, False),
    ("solution_approved", "resolved"): ("resolve", By.handler, False, False),
    ("resolved", "closed"): ("confirm", By.handler, False, False),
    ("resolved", "investigating"): ("customer_reject", By.handler, True, True),
    ("closed", "investigating"): ("reopen", By.handler, True, True),
}


@pytest.mark.parametrize("frm, to", list(product([s.value for s in Status], repeat=2)))
def test_every_pair_of_states(frm, to):
    move = rules.move(frm, to)
    expected = EXPECTED.get((frm, to))
    if expected is None:
        assert move is None
    else:
        assert (move.action, move.by, move.needs_reason, move.reopens) == expected


def test_table_has_nothing_else():
    assert {(f.value, t.value) for f, t in rules.TRANSITIONS} == set(EXPECTED)


@pytest.mark.parametrize("frm, to", [("received", "nonsense"), ("bogus", "closed"), ("", ""), ("closed", None)])
def test_unknown_states_are_illegal(frm, to):
    assert rules.move(frm, to) is None


@pytest.mark.parametrize("status", [s.value for s in Status])
def test_next_statuses_follow_the_table(status):
    assert set(rules.next_statuses(status)) == {t for (f, t) in EXPECTED if f == status}


def test_final_states_only_reopen():
    for final in rules.FINAL:
        assert rules.next_statuses(final) == [Status.investigating]
        assert rules.move(final, Status.investigating).reopens


# --- the clocks ------------------------------------------------------------------------------------

@pytest.mark.parametrize("category", [c.value for c in Category])
def test_first_contact_target(category):
    received = datetime(2026, 11, 27, 10, 0, tzinfo=SH)
    hours = 2 if category == "safety" else 24
    assert rules.first_contact_due(category, received) == received + timedelta(hours=hours)


def test_safety_two_hours_across_midnight_and_weekend():
    received = datetime(2026, 11, 27, 23, 15, tzinfo=SH)  # Friday night
    assert rules.first_contact_due("safety", received) == datetime(2026, 11, 28, 1, 15, tzinfo=SH)
    assert rules.first_contact_due("billing", received) == datetime(2026, 11, 28, 23, 15, tzinfo=SH)


@pytest.mark.parametrize("received, due_day", [
    # Monday → the next Monday (Tue Wed Thu Fri Mon)
    (datetime(2026, 11, 23, 9, 0, tzinfo=SH), date(2026, 11, 30)),
    (datetime(2026, 11, 24, 9, 0, tzinfo=SH), date(2026, 12, 1)),   # Tuesday → Tuesday
    (datetime(2026, 11, 26, 16, 0, tzinfo=SH), date(2026, 12, 3)),  # Thursday → Thursday
    (datetime(2026, 11, 27, 17, 30, tzinfo=SH), date(2026, 12, 4)),  # Friday → next Friday
    (datetime(2026, 11, 28, 10, 0, tzinfo=SH), date(2026, 12, 4)),  # Saturday → Friday (weekend skipped)
    (datetime(2026, 11, 29, 22, 0, tzinfo=SH), date(2026, 12, 4)),  # Sunday → Friday
    # 01:00 Monday in Shanghai is still Sunday in UTC: the business day decides.
    (datetime(2026, 11, 29, 17, 0, tzinfo=UTC), date(2026, 12, 7)),
    (datetime(2026, 11, 29, 15, 59, tzinfo=UTC), date(2026, 12, 4)),  # 23:59 Sunday local
    (datetime(2026, 12, 31, 12, 0, tzinfo=SH), date(2027, 1, 7)),  # across the year end (Thu → Thu)
])
def test_resolve_due_counts_working_days(received, due_day):
    due = rules.resolve_due("billing", received, SH)
    assert due == datetime.combine(due_day, datetime.min.time(), tzinfo=SH).replace(hour=23, minute=59, second=59)


@pytest.mark.parametrize("start, days, expected", [
    (date(2026, 11, 27), 1, date(2026, 11, 30)),   # Fri + 1 → Mon
    (date(2026, 11, 28), 1, date(2026, 11, 30)),   # Sat + 1 → Mon
    (date(2026, 11, 29), 1, date(2026, 11, 30)),   # Sun + 1 → Mon
    (date(2026, 11, 23), 4, date(2026, 11, 27)),   # Mon + 4 → Fri
    (date(2026, 11, 23), 10, date(2026, 12, 7)),   # two weekends
    (date(2026, 11, 25), 0, date(2026, 11, 25)),
])
def test_add_working_days(start, days, expected):
    assert rules.add_working_days(start, days) == expected


def test_no_due_date_falls_on_a_weekend():
    rnd = random.Random(5)
    for _ in range(300):
        received = datetime(2026, 1, 1, tzinfo=SH) + timedelta(minutes=rnd.randrange(60 * 24 * 365))
        due = rules.resolve_due("other", received, SH)
        assert due.weekday() < 5
        assert 5 <= (due.date() - received.date()).days <= 9


def test_targets_are_configurable():
    table = rules.targets({"safety": {"first_contact_hours": 1}, "billing": {"resolve_working_days": 3}})
    received = datetime(2026, 11, 27, 10, 0, tzinfo=SH)
    assert rules.first_contact_due("safety", received, table) == received + timedelta(hours=1)
    assert rules.resolve_due("billing", received, SH, table).date() == date(2026, 12, 2)
    assert rules.resolve_due("safety", received, SH, table).date() == date(2026, 12, 4)  # unchanged
    assert rules.targets(None) == rules.DEFAULT_TARGETS


@pytest.mark.parametrize("overrides", [
    {"palace": {"first_contact_hours": 2}}, {"safety": {"first_contact_hours": 0}},
    {"safety": {"first_contact_hours": -3}}, {"safety": {"first_contact_hours": 1.5}},
    {"safety": {"first_contact_hours": True}}, {"safety": {"minutes": 5}}, {"safety": 2}, {"safety": {}},
])
def test_bad_targets_fail_at_start(overrides):
    with pytest.raises(ValueError):
        rules.targets(overrides)


T0 = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("done_at, now, expected", [
    (None, T0 - timedelta(minutes=1), "running"),
    (None, T0, "running"),
    (None, T0 + timedelta(seconds=1), "overdue"),
    (T0 - timedelta(hours=1), T0 + timedelta(days=9), "met"),
    (T0, T0 + timedelta(days=9), "met"),
    (T0 + timedelta(seconds=1), T0, "missed"),
])
def test_clock_state(done_at, now, expected):
    assert rules.clock_state(T0, done_at, now) == expected


LATE = T0 + timedelta(days=30)


@pytest.mark.parametrize("status, contacted, now, expected", [
    ("received", None, T0 - timedelta(hours=1), False),
    ("received", None, T0 + timedelta(hours=1), True),             # no first contact in time
    ("contacted", T0, T0 + timedelta(hours=1), False),              # contacted, resolution not due yet
    *[(s.value, T0, LATE, True) for s in rules.UNRESOLVED if s != Status.received],
    *[(s.value, T0, LATE, False) for s in Status if s not in rules.UNRESOLVED],
])
def test_is_overdue(status, contacted, now, expected):
    resolve_due = T0 + timedelta(days=7)
    assert rules.is_overdue(status, T0, contacted, resolve_due, now) is expected


# --- satisfaction ----------------------------------------------------------------------------------

@pytest.mark.parametrize("score, satisfied, reopens", [
    (1, False, True), (2, False, True), (3, False, False), (4, True, False), (5, True, False),
])
def test_satisfaction(score, satisfied, reopens):
    assert rules.satisfied(score) is satisfied
    assert rules.reopens_on_followup(score) is reopens


# --- tracking numbers ------------------------------------------------------------------------------

def test_tracking_number_format_and_randomness():
    numbers = {rules.tracking_number(date(2026, 11, 27)) for _ in range(500)}
    assert len(numbers) == 500
    for n in numbers:
        assert re.fullmatch(r"TS-20261127-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{6}", n)
        assert rules.normalise_tracking(n) == n


@pytest.mark.parametrize("typed, expected", [
    ("TS-20261127-7KX2QM", "TS-20261127-7KX2QM"),
    ("ts-20261127-7kx2qm", "TS-20261127-7KX2QM"),
    (" TS-20261127- 7KX2QM ", "TS-20261127-7KX2QM"),
    ("TS-20261127-7KX2QO", "TS-20261127-7KX2Q0"),  # O read as zero
    ("TS-20261127-1LI000", "TS-20261127-111000"),  # I and L read as one
    ("TS-20261127-7KX2Q", None), ("TS-20261127-7KX2QMM", None), ("TS-2026112-7KX2QM", None),
    ("XX-20261127-7KX2QM", None), ("TS-20261127-7KX2U!", None), ("TS-2026X127-7KX2QM", None),
    ("", None), (None, None), ("1", None), ("TS--", None),
])
def test_normalise_tracking(typed, expected):
    assert rules.normalise_tracking(typed) == expected


@pytest.mark.parametrize("customer_id, phone, key", [
    (12, "139 0000 1111", "c:12"), (None, "139-0000-1111", "p:13900001111"), (None, "+86 139", "p:86139"),
    (None, "", None), (None, None, None), (None, "n/a", None),
])
def test_complainant_key(customer_id, phone, key):
    assert rules.complainant_key(customer_id, phone) == key


# --- routing ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("category, types, priority, department", [
    ("meter_accuracy", ("meter_verification",), "normal", "metering_office"),
    ("safety", ("emergency", "pressure_check"), "urgent", "safety_office"),
    ("pressure", ("pressure_check", "repair"), "normal", "repair_team"),
    ("repair_quality", ("repair",), "normal", "repair_team"),
    ("billing", (), "normal", "billing_office"),
    ("attitude", (), "normal", "service_station"),
    ("suggestion", (), "normal", "service_station"),
    ("other", (), "normal", "service_station"),
])
def test_routing(category, types, priority, department):
    assert rules.order_types_for(category) == types
    assert rules.order_priority(category) == priority
    assert rules.default_department(category) == department
    assert department in rules.DEPARTMENTS


def test_order_types_exist_in_dispatch():
    from fieldsvc.dispatch.rules import OrderType
    assert {t for types in rules.ORDER_TYPES.values() for t in types} <= {t.value for t in OrderType}


# --- analysis maths --------------------------------------------------------------------------------

@pytest.mark.parametrize("part, whole, expected", [
    (0, 0, None), (1, 0, None), (0, 5, Decimal("0.0")), (19, 20, Decimal("95.0")), (1, 3, Decimal("33.3")),
    (2, 3, Decimal("66.7")), (1, 8, Decimal("12.5")), (1, 16, Decimal("6.3")), (5, 5, Decimal("100.0")),
])
def test_share_pct(part, whole, expected):
    assert rules.share_pct(part, whole) == expected


def test_month_bounds():
    assert rules.month_bounds(2026, 11, SH) == (datetime(2026, 11, 1, tzinfo=SH), datetime(2026, 12, 1, tzinfo=SH))
    assert rules.month_bounds(2026, 12, SH) == (datetime(2026, 12, 1, tzinfo=SH), datetime(2027, 1, 1, tzinfo=SH))


@pytest.mark.parametrize("text, expected", [
    ("2026-11", (2026, 11)), ("2026-1", (2026, 1)), ("2026-13", (2025, 6)), ("x", (2025, 6)), ("", (2025, 6)),
    (None, (2025, 6)), ("1999-05", (2025, 6)), ("2026-11-01", (2025, 6)),
])
def test_parse_month(text, expected):
    assert rules.parse_month(text, date(2025, 6, 15)) == expected


@pytest.mark.parametrize("year, month, delta, expected", [
    (2026, 11, 1, (2026, 12)), (2026, 12, 1, (2027, 1)), (2026, 1, -1, (2025, 12)), (2026, 11, -11, (2025, 12)),
    (2026, 5, 0, (2026, 5)), (2026, 5, -24, (2024, 5)),
])
def test_shift_month(year, month, delta, expected):
    assert rules.shift_month(year, month, delta) == expected
