"""The working-day calendar's use cases: the overrides other domains count with, and the office's page.

Counting (no permission: every clock needs it): `overrides(start, end)` loads the calendar's days of the
years the range touches, once per year per request (cached in flask.g, forgotten when the calendar is
changed), and `working_day_overrides(start, n)` the ones the n-th working day after `start` can reach.
Maintaining (P.calendar_manage, the director and the statistics clerk): list a year, add a day, remove one.
"""
from datetime import date, timedelta

from flask import g, has_app_context
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import audit
from fieldsvc.calendar import rules
from fieldsvc.calendar.models import CalendarDay
from fieldsvc.calendar.schedule import SCHEDULES
from fieldsvc.errors import Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.permissions import P, require
from fieldsvc.schemas import DATE_MAX, DATE_MIN

ENTITY = "calendar_day"
_CACHE = "calendar_years"


def _cache() -> dict:
    if not has_app_context():
        return {}
    if _CACHE not in g:
        setattr(g, _CACHE, {})
    return getattr(g, _CACHE)


def forget() -> None:
    """Drop this request's cached years (after a change to the calendar)."""
    if has_app_context():
        g.pop(_CACHE, None)


def _year(year: int) -> dict[date, str]:
    cache = _cache()
    if year not in cache:
        rows = db.session.execute(select(CalendarDay.day, CalendarDay.kind).where(
            CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))).all()
        cache[year] = {day: kind for day, kind in rows}
    return cache[year]


def overrides(start: date, end: date) -> dict[date, str]:
    """The calendar's days (date → kind) of every year from start's to end's, for the pure rules."""
    first, last = max(min(start, end), DATE_MIN).year, min(max(start, end), DATE_MAX).year
    result: dict[date, str] = {}
    for year in range(first, last + 1):
        result.update(_year(year))
    return result


def working_day_overrides(start: date, n: int) -> dict[date, str]:
    """The overrides the n-th working day after `start` can depend on."""
    return overrides(start, min(start + timedelta(days=rules.horizon(n)), DATE_MAX))


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start`, holidays and make-up days included."""
    return rules.add_working_days(start, n, working_day_overrides(start, n))


# --- the office's page ----------------------------------------------------------------------------

def list_year(actor, year: int) -> list[CalendarDay]:
    require(actor, P.calendar_manage)
    return list(db.session.execute(select(CalendarDay).where(
        CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)).order_by(CalendarDay.day)).scalars())


def year_note(days: list[CalendarDay]) -> str | None:
    """rules.year_gaps of a listed year (what the page warns about)."""
    return rules.year_gaps({d.day: d.kind for d in days})


def add_day(actor, data: dict) -> CalendarDay:
    """Enter a holiday or a make-up working day. One entry per date; a make-up day is a weekend day."""
    require(actor, P.calendar_manage)
    day, kind, name = data["day"], data["kind"], data["name"].strip()
    problem = rules.check_day(day, kind)
    if problem == "workday_on_weekday":
        raise Invalid({"kind": [_("A make-up working day is a Saturday or Sunday: a weekday is a working day "
                                  "already.")]})
    if problem:
        raise Invalid({"kind": [_("Choose holiday or make-up working day.")]})
    taken = db.session.execute(select(CalendarDay).where(CalendarDay.day == day)).scalar_one_or_none()
    if taken is not None:
        raise Invalid({"day": [_("This date is in the calendar already (%(name)s): remove it first.",
                                 name=taken.name)]})
    row = CalendarDay(day=day, kind=kind, name=name, created_by_id=getattr(actor, "id", None))
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "calendar.add", ENTITY, row.id, day=day, kind=kind, name=name)
    forget()
    return row


def remove_day(actor, day_id: int) -> CalendarDay:
    """Take a date out of the calendar (it becomes an ordinary weekday or weekend day again)."""
    require(actor, P.calendar_manage)
    row = db.session.get(CalendarDay, day_id) if 0 < day_id <= 2**31 - 1 else None
    if row is None:
        raise NotFound(_("This date is not in the calendar."))
    audit.record(actor, "calendar.remove", ENTITY, row.id, day=row.day, kind=row.kind, name=row.name)
    db.session.delete(row)
    db.session.flush()
    forget()
    return row


def seed(years: list[int] | None = None, actor=None) -> int:
    """Enter the official schedules (schedule.py) of `years` (default: all known); dates already in the
    calendar are left as the office has them. Returns how many days were added. Flushes, never commits."""
    added = 0
    for year in years or sorted(SCHEDULES):
        have = set(db.session.execute(select(CalendarDay.day).where(
            CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))).scalars())
        new = [CalendarDay(day=day, kind=kind, name=name) for day, kind, name in SCHEDULES.get(year, [])
               if day not in have]
        db.session.add_all(new)
        added += len(new)
    if added:
        db.session.flush()
        audit.record(actor, "calendar.seed", ENTITY, None, years=years or sorted(SCHEDULES), added=added)
        forget()
    return added
