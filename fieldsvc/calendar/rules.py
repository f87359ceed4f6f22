"""Working days as China counts them: Monday to Friday, except the statutory holidays, plus the make-up
working days (调休) that the State Council moves onto a Saturday or Sunday.

Pure functions (no database, no Flask). The exceptions to Monday–Friday come in as `overrides`, a mapping
date → kind ("holiday" or "workday"); the service (calendar/services.py) loads them from the office's
calendar. With no overrides these are the plain Monday–Friday rules, so a year nobody entered still works.
"""
from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum


class Kind(StrEnum):
    holiday = "holiday"  # a day off although it may be a weekday (法定节假日, and its bridging days)
    workday = "workday"  # a working day although it is a Saturday or Sunday (调休上班)


Overrides = Mapping[date, str]
NO_OVERRIDES: Overrides = {}


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def is_working_day(day: date, overrides: Overrides | None = None) -> bool:
    """A working day: an override decides; otherwise Monday to Friday."""
    kind = (overrides or NO_OVERRIDES).get(day)
    if kind == Kind.holiday:
        return False
    if kind == Kind.workday:
        return True
    return not is_weekend(day)


def add_working_days(start: date, n: int, overrides: Overrides | None = None) -> date:
    """The n-th working day after `start` (`start` itself never counts; n = 0 gives `start`)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            n -= 1
    return day


def next_working_day(day: date, overrides: Overrides | None = None) -> date:
    """The first working day after `day`."""
    return add_working_days(day, 1, overrides)


def working_days_between(start: date, end: date, overrides: Overrides | None = None) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`):
    the inverse of add_working_days, so working_days_between(d, add_working_days(d, n)) == n."""
    if end < start:
        return -working_days_between(end, start, overrides)
    return sum(1 for i in range(1, (end - start).days + 1)
               if is_working_day(start + timedelta(days=i), overrides))


def horizon(n: int) -> int:
    """Calendar days within which the n-th working day surely falls: n working days, two weekend days
    for every five, the longest holiday run (9 days at the Spring Festival) and a year's other holidays.
    The service loads the overrides up to start + horizon(n)."""
    return 2 * max(n, 0) + 31


def check_day(day: date, kind: str) -> str | None:
    """Why this day cannot be entered with this kind, as a code, or None: a make-up working day is a
    Saturday or Sunday (a weekday already is one)."""
    if kind not in set(Kind):
        return "kind"
    if kind == Kind.workday and not is_weekend(day):
        return "workday_on_weekday"
    return None


def year_gaps(days: Mapping[date, str]) -> str | None:
    """What the office should look at for one year's entries: 'empty' (nothing entered: only weekends are
    days off), 'no_workdays' (holidays but no make-up working day: usually the State Council's schedule
    is not entered yet), or None."""
    if not days:
        return "empty"
    if not any(kind == Kind.workday for kind in days.values()):
        return "no_workdays"
    return None
