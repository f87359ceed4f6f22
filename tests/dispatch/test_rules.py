"""The pure rules of work orders (RULES.md §5), table by table."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import product
from zoneinfo import ZoneInfo

import pytest

from fieldsvc.dispatch import rules
from fieldsvc.dispatch.rules import By, OrderType, Status

SH = ZoneInfo("Asia/Shanghai")
OPEN = ["new", "assigned", "accepted", "en_route", "on_site"]

# The whole state table as RULES.md §5 states it: (from, to) → (action, by). Anything else is illegal.
EXPECTED = {
    ("assigned", "accepted"): ("accept", "tech"),
    ("assigned", "new"): ("reject", "tech"),
    ("accepted", "new"): ("reject", "tech"),
    ("accepted", "en_route"): ("en_route", "tech"),
    ("en_route", "on_site"): ("on_site", "tech"),
    ("on_site", "completed"): ("complete", "tech"),
    ("completed", "closed"): ("close", "chief"),
    **{(s, "cancelled"): ("cancel", "chief") for s in OPEN},
}
FOLLOWUP_EXPECTED = {
    ("new", "completed"): ("complete", "chief"),
    ("completed", "closed"): ("close", "chief"),
    ("new", "cancelled"): ("cancel", "chief"),
}
ALL_PAIRS = list(product([s.value for s in Status], repeat=2))


@pytest.mark.parametrize(("frm", "to"), ALL_PAIRS)
def test_every_pair_of_the_state_table(frm, to):
    move = rules.move("repair", frm, to)
    expected = EXPECTED.get((frm, to))
    if expected is None:
        assert move is None
    else:
        assert (move.action, move.by.value) == expected


@pytest.mark.parametrize(("frm", "to"), ALL_PAIRS)
def test_every_pair_of_the_followup_table(frm, to):
    move = rules.move("followup_visit", frm, to)
    expected = FOLLOWUP_EXPECTED.get((frm, to))
    assert (None if move is None else (move.action, move.by.value)) == expected


@pytest.mark.parametrize("order_type", [t.value for t in OrderType if t != OrderType.followup_visit])
def test_every_other_type_uses_the_main_table(order_type):
    for frm, to in ALL_PAIRS:
        assert rules.move(order_type, frm, to) == rules.move("repair", frm, to)


def test_reasons_and_places():
    assert {k for k, m in rules.TRANSITIONS.items() if m.needs_reason} == {
        ("assigned", "new"), ("accepted", "new"), *((s, "cancelled") for s in OPEN)}
    assert {k for k, m in rules.TRANSITIONS.items() if m.gps} == {
        ("accepted", "en_route"), ("en_route", "on_site"), ("on_site", "completed")}


def test_unknown_states_are_illegal():
    assert rules.move("repair", "flying", "new") is None
    assert rules.move("repair", "new", "flying") is None


def test_next_statuses_for_buttons():
    assert rules.next_statuses("repair", "assigned", By.tech) == [Status.accepted, Status.new]
    assert rules.next_statuses("repair", "assigned", By.chief) == [Status.cancelled]
    assert rules.next_statuses("followup_visit", "new", By.chief) == [Status.completed, Status.cancelled]
    assert rules.next_statuses("repair", "closed", By.chief) == []


ROLE_TABLE = {
    "repair_tech": {"emergency", "repair", "purge_ignition", "pressure_check", "pipe_acceptance",
                    "meter_replacement", "suspension", "restoration"},
    "pipe_fitter": {"rectification", "meter_box", "meter_replacement"},
    "metering_tech": {"meter_verification"},
}


@pytest.mark.parametrize(("role", "order_type"), list(product(
    ["director", "station_chief", "repair_tech", "pipe_fitter", "meter_reader", "metering_tech", "card_clerk"],
    [t.value for t in OrderType])))
def test_role_type_table(role, order_type):
    assert rules.may_assign(role, order_type) == (order_type in ROLE_TABLE.get(role, set()))


def test_meter_replacement_either_role_and_followup_nobody():
    assert rules.roles_for("meter_replacement") == {"repair_tech", "pipe_fitter"}
    assert rules.roles_for("followup_visit") == frozenset()


CREATED = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai


@pytest.mark.parametrize(("order_type", "expected"), [
    ("emergency", CREATED + timedelta(minutes=30)),
    ("repair", CREATED + timedelta(hours=4)),
    ("purge_ignition", CREATED + timedelta(days=3)),
    ("pressure_check", CREATED + timedelta(days=3)),
    ("pipe_acceptance", CREATED + timedelta(days=5)),
    ("meter_box", CREATED + timedelta(days=7)),
    ("meter_replacement", CREATED + timedelta(days=5)),
    ("meter_verification", CREATED + timedelta(days=3)),
    # no hazard deadline given: 15 days, end of that day in Shanghai
    ("rectification", datetime(2026, 12, 12, 23, 59, 59, tzinfo=SH)),
    # created on a Friday: the call is due on Monday evening
    ("followup_visit", datetime(2026, 11, 30, 23, 59, 59, tzinfo=SH)),
])
def test_due_at_per_type(order_type, expected):
    assert rules.due_at(order_type, CREATED, SH) == expected


def test_due_at_covers_every_type():
    assert set(rules.DEFAULT_TARGETS) == set(OrderType)


def test_rectification_due_at_hazard_deadline():
    due = rules.due_at("rectification", CREATED, SH, deadline=date(2026, 11, 27))
    assert due == datetime(2026, 11, 27, 23, 59, 59, tzinfo=SH)


def test_deadline_only_makes_other_types_earlier():
    early = rules.due_at("pipe_acceptance", CREATED, SH, deadline=date(2026, 11, 28))
    late = rules.due_at("repair", CREATED, SH, deadline=date(2026, 12, 30))
    assert early == datetime(2026, 11, 28, 23, 59, 59, tzinfo=SH)
    assert late == CREATED + timedelta(hours=4)


def test_targets_overrides():
    table = rules.targets({"repair": 120, "emergency": 20})
    assert rules.due_at("repair", CREATED, SH, table) == CREATED + timedelta(hours=2)
    assert rules.due_at("emergency", CREATED, SH, table) == CREATED + timedelta(minutes=20)
    assert table[OrderType.repair].milestone == rules.Milestone.on_site
    assert rules.targets(None) == rules.DEFAULT_TARGETS


@pytest.mark.parametrize("bad", [{"repair": 0}, {"repair": -5}, {"repair": "4h"}, {"repair": True}, {"lunch": 30}])
def test_bad_target_overrides_are_refused(bad):
    with pytest.raises(ValueError):
        rules.targets(bad)


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 11, 23), date(2026, 11, 24)),  # Monday → Tuesday
    (date(2026, 11, 26), date(2026, 11, 27)),  # Thursday → Friday
    (date(2026, 11, 27), date(2026, 11, 30)),  # Friday → Monday
    (date(2026, 11, 28), date(2026, 11, 30)),  # Saturday → Monday
    (date(2026, 11, 29), date(2026, 11, 30)),  # Sunday → Monday
    (date(2026, 12, 31), date(2027, 1, 1)),  # Thursday → Friday, over the year end
])
def test_next_working_day(day, expected):
    assert rules.next_working_day(day) == expected


T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(("minutes_later", "reached_after", "expected"), [
    (5, None, "ok"),
    (21, None, "due_soon"),  # the last quarter of 30 min (7.5 min) … here a 10-minute floor applies
    (25, None, "due_soon"),
    (31, None, "overdue"),
    (45, 29, "met"),
    (45, 30, "met"),  # exactly at the due time counts as within target
    (45, 31, "missed"),
])
def test_due_state(minutes_later, reached_after, expected):
    due = T0 + timedelta(minutes=30)
    reached = T0 + timedelta(minutes=reached_after) if reached_after is not None else None
    assert rules.due_state(T0, due, T0 + timedelta(minutes=minutes_later), reached) == expected


def test_due_soon_is_a_quarter_of_a_long_window():
    due = T0 + timedelta(hours=4)
    assert rules.due_state(T0, due, T0 + timedelta(hours=2, minutes=59), None) == "ok"
    assert rules.due_state(T0, due, T0 + timedelta(hours=3, minutes=1), None) == "due_soon"


def test_minutes_since():
    assert rules.minutes_since(T0, T0 + timedelta(minutes=12, seconds=59)) == 12
    assert rules.minutes_since(T0, T0 - timedelta(minutes=1)) == 0


@pytest.mark.parametrize("order_type", [t.value for t in OrderType])
def test_signature_and_followup_types(order_type):
    assert rules.needs_signature(order_type) == (order_type in {"repair", "purge_ignition", "emergency",
                                                                  "pipe_acceptance"})
    assert rules.creates_followup(order_type) == (order_type in {"repair", "purge_ignition"})


@pytest.mark.parametrize(("kpa", "minutes", "drop", "ok"), [
    ("5", 15, "0", True),
    ("6.5", 20, "0", True),
    ("4.9", 15, "0", False),
    ("5", 14, "0", False),
    ("5", 15, "0.01", False),
])
def test_tightness(kpa, minutes, drop, ok):
    assert rules.tightness_ok(Decimal(kpa), minutes, Decimal(drop)) is ok


@pytest.mark.parametrize(("item_kind", "move_kind", "allowed"), [
    ("tool", "issue", True), ("tool", "use", False), ("tool", "return", True),
    ("part", "issue", True), ("part", "use", True), ("part", "return", True),
])
def test_custody_moves(item_kind, move_kind, allowed):
    assert rules.move_allowed(item_kind, move_kind) is allowed


@pytest.mark.parametrize(("held", "kind", "qty", "after"), [
    ("0", "issue", "3", "3"), ("3", "use", "2", "1"), ("1", "return", "1", "0"), ("1", "use", "2", "-1"),
])
def test_balance_after(held, kind, qty, after):
    assert rules.balance_after(Decimal(held), kind, Decimal(qty)) == Decimal(after)
