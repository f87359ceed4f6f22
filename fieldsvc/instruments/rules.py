"""Pure rules of the instrument register: may an instrument be used for a reading on a day, is its
calibration due soon, what a check does to it. No database, no Flask: the services and pages call these.

A pressure verdict (RULES.md §5, §6) is only as good as the manometer that read it: an instrument past its
calibration due date, damaged, failed or lost reads nothing the department may rely on.
"""
import calendar
from datetime import date

KINDS = ("gas_detector", "manometer", "leak_detector", "other")
CHECK_KINDS = ("calibration", "bump_test", "damage", "loss")
STATUSES = ("in_service", "out_of_service", "lost")

# What may read a pressure on a stove or a tightness test ("other": a combined instrument the store keeps).
PRESSURE_KINDS = ("manometer", "other")
# A bump test (a test gas on the sensor) is for instruments with a gas sensor only.
BUMP_TEST_KINDS = ("gas_detector", "leak_detector")

# Defaults a deployment may change (config INSTRUMENT_CALIBRATION_MONTHS / INSTRUMENT_WARN_DAYS).
CALIBRATION_MONTHS = {"gas_detector": 12, "manometer": 12, "leak_detector": 12, "other": 12}
WARN_DAYS = 30


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when that day does not exist)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(calibrated_on: date, months: int) -> date:
    """The calibration is valid up to the day before the same date `months` later (2026-03-15, 12 months →
    2027-03-14), the way certificates are written."""
    return date.fromordinal(add_months(calibrated_on, months).toordinal() - 1)


def unusable_reason(status: str, calibration_due: date | None, day: date) -> str | None:
    """Why the instrument may not be used for a reading on `day`, or None when it may.
    Codes: lost, out_of_service, not_calibrated (no due date on record), overdue (day after the due date).
    The due date itself is still inside the calibration."""
    if status == "lost":
        return "lost"
    if status != "in_service":
        return "out_of_service"
    if calibration_due is None:
        return "not_calibrated"
    if day > calibration_due:
        return "overdue"
    return None


def due_state(calibration_due: date | None, today: date, warn_days: int = WARN_DAYS) -> str:
    """ok | due_soon (due within `warn_days`, the due day included) | overdue (past the due day) |
    not_calibrated (no due date)."""
    if calibration_due is None:
        return "not_calibrated"
    if today > calibration_due:
        return "overdue"
    if (calibration_due - today).days <= warn_days:
        return "due_soon"
    return "ok"


def status_after_check(status: str, check_kind: str, ok: bool) -> str:
    """The status a check leaves: damage → out of service; loss → lost; a failed calibration or bump test →
    out of service; a passed calibration brings an instrument back into service (repaired or found, then
    calibrated); a passed bump test changes nothing."""
    if check_kind == "loss":
        return "lost"
    if check_kind == "damage":
        return "out_of_service"
    if not ok:
        return "out_of_service"
    if check_kind == "calibration":
        return "in_service"
    return status


def check_problem(instrument_kind: str, status: str, check_kind: str) -> str | None:
    """Why this check cannot be recorded on the instrument, or None.
    bump_test_kind: a bump test on an instrument without a gas sensor; lost: only a calibration (it was
    found) may follow a loss."""
    if check_kind == "bump_test" and instrument_kind not in BUMP_TEST_KINDS:
        return "bump_test_kind"
    if status == "lost" and check_kind != "calibration":
        return "lost"
    return None


def dates_problem(calibrated_on: date | None, calibration_due: date | None) -> str | None:
    """A due date must come after the calibration date: 'due_before_calibration', else None."""
    if calibrated_on is not None and calibration_due is not None and calibration_due <= calibrated_on:
        return "due_before_calibration"
    return None
