"""Table-driven tests of the pure inspection rules (RULES.md §2 pressures, §6 inspections)."""
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from fieldsvc.inspections import checklist_data, rules

# (gas, working Pa, verdict): at and around every boundary of each band (0.75–1.5 Pn, ends normal).
BANDS = [
    ("NG", 0, "low"), ("NG", 1499, "low"), ("NG", 1500, "normal"), ("NG", 1501, "normal"),
    ("NG", 2000, "normal"), ("NG", 2999, "normal"), ("NG", 3000, "normal"), ("NG", 3001, "high"),
    ("LPG", 2099, "low"), ("LPG", 2100, "normal"), ("LPG", 2101, "normal"), ("LPG", 2800, "normal"),
    ("LPG", 4199, "normal"), ("LPG", 4200, "normal"), ("LPG", 4201, "high"),
    ("MG", 749, "low"), ("MG", 750, "normal"), ("MG", 751, "normal"), ("MG", 1000, "normal"),
    ("MG", 1499, "normal"), ("MG", 1500, "normal"), ("MG", 1501, "high"),
    ("NG", Decimal("1499.9"), "low"), ("NG", Decimal("3000.1"), "high"),
]


@pytest.mark.parametrize("gas,working,expected", BANDS)
def test_pressure_verdict_at_and_around_each_boundary(gas, working, expected):
    assert rules.verdict(gas, working) == expected


@pytest.mark.parametrize("gas,low,high", [("NG", 1500, 3000), ("LPG", 2100, 4200), ("MG", 750, 1500)])
def test_bands_are_three_quarters_to_one_and_a_half_rated(gas, low, high):
    assert rules.band(gas) == (Decimal(low), Decimal(high))


def test_a_deployment_may_change_the_rated_pressure():
    table = {"NG": Decimal(2500), "LPG": Decimal(2800), "MG": Decimal(1000)}
    assert rules.band("NG", table) == (Decimal("1875"), Decimal("3750"))
    assert rules.verdict("NG", 1800, table) == "low"


# (static, working, restricted): the drop share exactly 0.25 is not flagged, just above is.
RESTRICTION = [
    (2000, 1500, False),  # exactly 25 %
    (2000, 1499, True),  # 25.05 %
    (2000, 1501, False),
    (4000, 3000, False), (4000, 2999, True),
    (1000, 750, False), (1000, 749, True),
    (2800, 2100, False), (2800, 2099, True),
    (2000, 2000, False), (2000, 2100, False),  # no drop, or working above static
    (0, 0, False),  # no static pressure to compare with
    (Decimal("2000.4"), Decimal("1500.3"), False), (Decimal("2000"), Decimal("1499.99"), True),
]


@pytest.mark.parametrize("static,working,expected", RESTRICTION)
def test_restriction_above_a_quarter_drop(static, working, expected):
    assert rules.restricted(static, working) is expected


def test_evaluate_combines_verdict_band_and_restriction():
    result = rules.evaluate("NG", 2600, 1900)
    assert (result.verdict, result.band, result.restriction) == ("normal", (Decimal(1500), Decimal(3000)), True)
    assert rules.evaluate("LPG", None, 2000).restriction is None
    assert rules.pressure_anomaly(result) is True
    assert rules.pressure_anomaly(rules.evaluate("NG", 2100, 2000)) is False
    assert rules.pressure_anomaly(rules.evaluate("NG", 1400, 1400)) is True
    assert rules.pressure_anomaly(None) is False


FOUND = date(2026, 3, 10)


@pytest.mark.parametrize("grade,deadline,opens,priority", [
    ("A", date(2026, 3, 10), True, "urgent"),
    ("B", date(2026, 3, 25), True, "normal"),
    ("C", None, False, "normal"),
])
def test_grade_gives_the_deadline_and_the_order(grade, deadline, opens, priority):
    assert rules.hazard_deadline(grade, FOUND) == deadline
    assert rules.opens_order(grade) is opens
    assert rules.order_priority(grade) == priority


def test_grade_b_deadline_crosses_month_and_year():
    assert rules.hazard_deadline("B", date(2026, 12, 20)) == date(2027, 1, 4)
    assert rules.hazard_deadline("B", date(2028, 2, 20)) == date(2028, 3, 6)  # leap year


@pytest.mark.parametrize("grades,worst", [([], None), (["C"], "C"), (["C", "B"], "B"), (["B", "A", "C"], "A")])
def test_worst_grade(grades, worst):
    assert rules.worst_grade(grades) == worst


# (status, order status, before, after, derived)
DERIVE = [
    ("open", None, False, False, "open"),
    ("open", "new", False, False, "open"),
    ("open", "assigned", True, False, "open"),
    ("open", "accepted", False, False, "rectifying"),
    ("open", "en_route", False, False, "rectifying"),
    ("open", "on_site", True, True, "rectifying"),
    ("rectifying", "completed", True, True, "awaiting_recheck"),
    ("rectifying", "closed", True, True, "awaiting_recheck"),
    ("rectifying", "completed", True, False, "rectifying"),  # no after photo: no re-check yet
    ("rectifying", "completed", False, True, "rectifying"),
    ("rectifying", "cancelled", False, False, "open"),  # a new order is needed
    ("awaiting_recheck", "completed", True, True, "awaiting_recheck"),
    ("closed", "completed", True, True, "closed"),
    ("closed", "cancelled", False, False, "closed"),
    ("advised", None, False, False, "advised"),
]


@pytest.mark.parametrize("status,order,before,after,expected", DERIVE)
def test_hazard_status_derived_from_its_order_and_evidence(status, order, before, after, expected):
    assert rules.derive_status(status, order, before, after) == expected


@pytest.mark.parametrize("order,done", [("completed", True), ("closed", True), ("on_site", False),
                                        ("cancelled", False), (None, False)])
def test_rectified_means_the_order_is_done(order, done):
    assert rules.rectified(order) is done


@pytest.mark.parametrize("status,deadline,today,overdue", [
    ("open", date(2026, 3, 10), date(2026, 3, 10), False),  # the deadline day itself is in time
    ("open", date(2026, 3, 10), date(2026, 3, 11), True),
    ("rectifying", date(2026, 3, 10), date(2026, 3, 11), True),
    ("awaiting_recheck", date(2026, 3, 10), date(2026, 4, 1), False),  # rectified: waits for the re-check
    ("closed", date(2026, 3, 10), date(2026, 4, 1), False),
    ("advised", None, date(2026, 4, 1), False),
])
def test_overdue_hazards(status, deadline, today, overdue):
    assert rules.is_overdue(status, deadline, today) is overdue


@pytest.mark.parametrize("status,before,after,ok", [
    ("awaiting_recheck", True, True, True), ("awaiting_recheck", True, False, False),
    ("awaiting_recheck", False, True, False), ("rectifying", True, True, False), ("open", True, True, False),
])
def test_nothing_closes_without_evidence(status, before, after, ok):
    assert rules.may_close(status, before, after) is ok


@pytest.mark.parametrize("visits,required", [(1, False), (2, False), (3, True), (4, True)])
def test_door_gap_check_from_the_third_nobody_home(visits, required):
    assert rules.door_gap_required(visits) is required


# (outcome, grades, shut off, signed, reason, refused_by, door gap needed, door gap, missing)
MISSING = [
    ("completed", [], False, False, None, None, False, None, []),
    ("completed", ["C"], False, False, None, None, False, None, []),
    ("completed", ["B"], False, False, None, None, False, None, ["signature"]),
    ("completed", ["B"], False, False, "not at home", None, False, None, []),
    ("completed", ["B"], False, True, None, None, False, None, []),
    ("completed", ["A"], False, False, "refused to sign", None, False, None, ["supply_shut_off", "signature"]),
    ("completed", ["A", "B"], True, False, None, None, False, None, ["signature"]),
    ("completed", ["A"], True, True, None, None, False, None, []),
    ("refused", [], False, False, None, None, False, None, ["refused_by"]),
    ("refused", [], False, False, None, "  ", False, None, ["refused_by"]),
    ("refused", [], False, False, None, "户主本人", False, None, []),
    ("nobody_home", [], False, False, None, None, False, None, []),
    ("nobody_home", [], False, False, None, None, True, None, ["door_gap_check"]),
    ("nobody_home", [], False, False, None, None, True, "no_leak", []),
    ("nobody_home", ["A"], False, False, None, None, False, None, []),  # findings only count when inside
]


@pytest.mark.parametrize("outcome,grades,shut,signed,reason,refused_by,gap_needed,gap,expected", MISSING)
def test_missing_records(outcome, grades, shut, signed, reason, refused_by, gap_needed, gap, expected):
    assert rules.missing_records(outcome, grades, shut, signed, reason, refused_by, gap_needed, gap) == expected


@pytest.mark.parametrize("moment,slot", [
    (datetime(2026, 3, 9, 9, 0), "weekday_morning"),  # Monday
    (datetime(2026, 3, 9, 11, 59), "weekday_morning"),
    (datetime(2026, 3, 9, 12, 0), "weekday_afternoon"),
    (datetime(2026, 3, 9, 17, 59), "weekday_afternoon"),
    (datetime(2026, 3, 9, 18, 0), "weekday_evening"),
    (datetime(2026, 3, 14, 10, 0), "weekend_morning"),  # Saturday
    (datetime(2026, 3, 15, 19, 30), "weekend_evening"),  # Sunday
])
def test_time_slots(moment, slot):
    assert rules.time_slot(moment) == slot


@pytest.mark.parametrize("tried,suggested", [
    ([], "weekday_evening"),
    (["weekday_morning"], "weekday_evening"),
    (["weekday_evening"], "weekend_morning"),
    (["weekday_evening", "weekend_morning", "weekend_afternoon"], "weekday_morning"),
    (list(rules.SLOTS), "weekday_evening"),
])
def test_revisit_at_another_time_of_day(tried, suggested):
    assert rules.suggest_slot(tried) == suggested


@pytest.mark.parametrize("day,months,start,end", [
    (date(2026, 3, 10), 12, date(2026, 1, 1), date(2027, 1, 1)),
    (date(2026, 1, 1), 12, date(2026, 1, 1), date(2027, 1, 1)),
    (date(2026, 12, 31), 12, date(2026, 1, 1), date(2027, 1, 1)),
    (date(2026, 7, 1), 6, date(2026, 7, 1), date(2027, 1, 1)),
    (date(2026, 6, 30), 6, date(2026, 1, 1), date(2026, 7, 1)),
    (date(2027, 5, 5), 24, date(2026, 1, 1), date(2028, 1, 1)),
    (date(2026, 11, 15), 3, date(2026, 10, 1), date(2027, 1, 1)),
])
def test_cycle_bounds(day, months, start, end):
    assert rules.cycle_bounds(day, months) == (start, end)


def test_previous_cycles():
    assert rules.cycle_of(date(2026, 3, 10), 12, -1) == (date(2025, 1, 1), date(2026, 1, 1))
    assert rules.cycle_of(date(2026, 3, 10), 6, -2) == (date(2025, 1, 1), date(2025, 7, 1))


@pytest.mark.parametrize("day,months,expected", [
    (date(2026, 3, 31), -1, date(2026, 2, 28)), (date(2024, 3, 31), -1, date(2024, 2, 29)),
    (date(2026, 1, 15), -12, date(2025, 1, 15)), (date(2026, 11, 30), 3, date(2027, 2, 28)),
])
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


TODAY = date(2026, 3, 10)


@pytest.mark.parametrize("last,connected,months,status", [
    (date(2026, 1, 1), date(2020, 1, 1), 12, "done"),
    (date(2026, 3, 10), date(2020, 1, 1), 12, "done"),
    (date(2025, 12, 31), date(2020, 1, 1), 12, "due"),  # last cycle, less than 12 months ago
    (date(2025, 3, 10), date(2020, 1, 1), 12, "due"),  # exactly 12 months: not yet overdue
    (date(2025, 3, 9), date(2020, 1, 1), 12, "overdue"),
    (None, date(2020, 1, 1), 12, "overdue"),  # never inspected, long connected
    (None, date(2025, 6, 1), 12, "due"),  # never inspected, connected recently
    (date(2025, 9, 9), date(2020, 1, 1), 6, "overdue"),  # a 6-month cycle for this category
    (date(2025, 9, 10), date(2020, 1, 1), 6, "due"),
])
def test_plan_status(last, connected, months, status):
    assert rules.plan_status(last, connected, TODAY, months) == status


@pytest.mark.parametrize("part,whole,expected", [
    (0, 0, None), (0, 10, Decimal("0.0")), (1, 3, Decimal("33.3")), (2, 3, Decimal("66.7")),
    (1, 8, Decimal("12.5")), (1, 16, Decimal("6.3")), (10, 10, Decimal("100.0")),  # 6.25 → 6.3 half up
])
def test_rates(part, whole, expected):
    assert rules.rate(part, whole) == expected


def test_cycle_overrides_are_checked():
    assert rules.cycle_table({"commercial": 6})["commercial"] == 6
    assert rules.cycle_table(None) == {"residential": 12, "commercial": 12, "industrial": 12}
    for bad in ({"villa": 12}, {"residential": 0}, {"residential": "12"}, {"industrial": True}):
        with pytest.raises(ValueError):
            rules.cycle_table(bad)


def test_draw_sample_is_a_subset_of_the_asked_size():
    pool = list(range(100, 140))
    drawn = rules.draw_sample(pool, 5, random.Random(3))
    assert len(drawn) == 5 and set(drawn) <= set(pool) and drawn == sorted(drawn)
    assert rules.draw_sample(pool[:3], 10, random.Random(3)) == pool[:3]
    assert rules.draw_sample(pool, 0, random.Random(3)) == []
    assert rules.draw_sample(pool, 5, random.Random(3)) == drawn  # the same source draws the same


def test_checklist_seed_covers_every_item_code_of_rules_section_6():
    grades = {row[1]: row[2] for row in checklist_data.DEFAULT_ITEMS}
    expected = {
        "A": {"leak_detected", "appliance_in_bedroom", "flueless_heater_in_bathroom", "lpg_and_piped_same_room",
              "illegal_modification", "pipe_concealed"},
        "B": {"hose_aged", "hose_over_2m", "hose_joint", "hose_through_wall", "no_flame_failure_device",
              "appliance_expired", "meter_expired", "flue_not_outdoors", "no_gas_alarm_catering",
              "no_auto_shutoff_valve", "meter_damaged"},
        "C": {"pipe_corrosion", "facility_obstructed", "poor_ventilation", "pipe_used_as_support"},
    }
    assert {g: {c for c, gg in grades.items() if gg == g} for g in "ABC"} == expected
    rows = checklist_data.items()
    assert [r["position"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["section"] in checklist_data.SECTIONS and r["label_zh"] and r["label_en"] for r in rows)
    assert rows[0]["code"] == "leak_detected"  # the detector goes first, at the door


def test_deadline_of_a_hazard_found_late_in_the_evening_is_still_that_day():
    assert rules.hazard_deadline("A", FOUND) - FOUND == timedelta(0)
