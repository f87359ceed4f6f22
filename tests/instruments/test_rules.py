"""The instrument rules, table by table: usable on a day, due soon, the next due date, what a check does."""
from datetime import date

import pytest

from fieldsvc.instruments import rules

D = date(2026, 12, 7)


@pytest.mark.parametrize(("status", "due", "day", "expected"), [
    ("in_service", date(2026, 12, 7), D, None),             # the due day itself is still in calibration
    ("in_service", date(2026, 12, 6), D, "overdue"),        # the day after the due day: refused
    ("in_service", date(2027, 6, 1), D, None),
    ("in_service", None, D, "not_calibrated"),
    ("out_of_service", date(2027, 6, 1), D, "out_of_service"),
    ("lost", date(2027, 6, 1), D, "lost"),
    ("lost", date(2020, 1, 1), D, "lost"),                  # lost wins over overdue
    ("in_service", date(2026, 12, 6), date(2026, 12, 6), None),  # a reading dated before the due day passed
    ("retired", date(2027, 6, 1), D, "out_of_service"),     # an unknown status is never usable
])
def test_unusable_reason(status, due, day, expected):
    assert rules.unusable_reason(status, due, day) == expected


@pytest.mark.parametrize(("due", "today", "warn", "expected"), [
    (None, D, 30, "not_calibrated"),
    (date(2026, 12, 6), D, 30, "overdue"),
    (date(2026, 12, 7), D, 30, "due_soon"),
    (date(2027, 1, 6), D, 30, "due_soon"),   # exactly 30 days ahead: warned
    (date(2027, 1, 7), D, 30, "ok"),         # 31 days ahead
    (date(2026, 12, 10), D, 0, "ok"),
    (date(2026, 12, 7), D, 0, "due_soon"),
])
def test_due_state(due, today, warn, expected):
    assert rules.due_state(due, today, warn) == expected


@pytest.mark.parametrize(("on", "months", "expected"), [
    (date(2026, 3, 15), 12, date(2027, 3, 14)),
    (date(2026, 1, 1), 12, date(2026, 12, 31)),
    (date(2024, 2, 29), 12, date(2025, 2, 27)),  # no 29 February: the 28th, then the day before
    (date(2026, 8, 31), 6, date(2027, 2, 27)),
    (date(2026, 11, 30), 3, date(2027, 2, 27)),
])
def test_next_due(on, months, expected):
    assert rules.next_due(on, months) == expected


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2026, 12, 15), 1, date(2027, 1, 15)),
    (date(2026, 3, 15), -12, date(2025, 3, 15)),
    (date(2026, 5, 31), -3, date(2026, 2, 28)),
])
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize(("status", "kind", "ok", "expected"), [
    ("in_service", "calibration", True, "in_service"),
    ("out_of_service", "calibration", True, "in_service"),   # repaired, then calibrated
    ("lost", "calibration", True, "in_service"),             # found, then calibrated
    ("in_service", "calibration", False, "out_of_service"),
    ("in_service", "bump_test", True, "in_service"),
    ("out_of_service", "bump_test", True, "out_of_service"),  # a bump test does not repair anything
    ("in_service", "bump_test", False, "out_of_service"),
    ("in_service", "damage", False, "out_of_service"),
    ("in_service", "damage", True, "out_of_service"),
    ("in_service", "loss", False, "lost"),
    ("out_of_service", "loss", False, "lost"),
])
def test_status_after_check(status, kind, ok, expected):
    assert rules.status_after_check(status, kind, ok) == expected


@pytest.mark.parametrize(("instrument", "status", "check", "expected"), [
    ("gas_detector", "in_service", "bump_test", None),
    ("leak_detector", "in_service", "bump_test", None),
    ("manometer", "in_service", "bump_test", "bump_test_kind"),
    ("other", "in_service", "bump_test", "bump_test_kind"),
    ("manometer", "in_service", "calibration", None),
    ("manometer", "lost", "calibration", None),
    ("manometer", "lost", "damage", "lost"),
    ("gas_detector", "lost", "bump_test", "lost"),
    ("manometer", "out_of_service", "loss", None),
])
def test_check_problem(instrument, status, check, expected):
    assert rules.check_problem(instrument, status, check) == expected


@pytest.mark.parametrize(("calibrated", "due", "expected"), [
    (date(2026, 1, 1), date(2026, 12, 31), None),
    (date(2026, 1, 1), date(2026, 1, 1), "due_before_calibration"),
    (date(2026, 1, 1), date(2025, 12, 31), "due_before_calibration"),
    (None, date(2026, 1, 1), None),
    (date(2026, 1, 1), None, None),
])
def test_dates_problem(calibrated, due, expected):
    assert rules.dates_problem(calibrated, due) == expected
