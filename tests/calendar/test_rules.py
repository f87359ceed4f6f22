"""Working days as China counts them (calendar/rules.py), table by table, on the official 2026 schedule."""
from datetime import date, timedelta

import pytest

from fieldsvc.calendar import rules
from fieldsvc.calendar.schedule import SCHEDULES

CN2026 = {day: kind for day, kind, _name in SCHEDULES[2026]}
CN2027 = {day: kind for day, kind, _name in SCHEDULES[2027]}
D = date


@pytest.mark.parametrize("day, overrides, expected", [
    (D(2026, 3, 2), None, True),          # a Monday
    (D(2026, 3, 6), None, True),          # a Friday
    (D(2026, 3, 7), None, False),         # a Saturday
    (D(2026, 3, 8), None, False),         # a Sunday
    (D(2026, 3, 7), CN2026, False),       # an ordinary Saturday stays off with the calendar
    (D(2026, 1, 1), None, True),          # 元旦, a Thursday: a working day without the calendar …
    (D(2026, 1, 1), CN2026, False),       # … a holiday with it
    (D(2026, 1, 2), CN2026, False),       # the Friday after 元旦
    (D(2026, 1, 4), None, False),         # Sunday Jan 4 without the calendar …
    (D(2026, 1, 4), CN2026, True),        # … the make-up working day for 元旦
    (D(2026, 2, 14), CN2026, True),       # 调休 Saturday before the Spring Festival
    (D(2026, 2, 16), CN2026, False),      # 春节, a Monday
    (D(2026, 2, 23), CN2026, False),      # last day of the Spring Festival, a Monday
    (D(2026, 2, 24), CN2026, True),       # back to work, Tuesday
    (D(2026, 2, 28), CN2026, True),       # 调休 Saturday after the Spring Festival
    (D(2026, 4, 6), CN2026, False),       # 清明, a Monday
    (D(2026, 5, 5), CN2026, False),       # 劳动节, a Tuesday
    (D(2026, 5, 9), CN2026, True),        # 调休 Saturday after 劳动节
    (D(2026, 9, 20), CN2026, True),       # 调休 Sunday before 国庆
    (D(2026, 9, 25), CN2026, False),      # 中秋, a Friday
    (D(2026, 10, 7), CN2026, False),      # 国庆, a Wednesday
    (D(2026, 10, 8), CN2026, True),       # back to work, Thursday
    (D(2026, 10, 10), CN2026, True),      # 调休 Saturday after 国庆
    (D(2027, 2, 8), CN2027, False),       # 2027: 春节初三, a Monday (provisional seed)
    (D(2027, 5, 1), CN2027, False),
])
def test_is_working_day(day, overrides, expected):
    assert rules.is_working_day(day, overrides) is expected


def test_the_calendar_decides_over_the_weekday_either_way():
    monday, saturday = D(2026, 3, 2), D(2026, 3, 7)
    assert rules.is_working_day(monday, {monday: "holiday"}) is False
    assert rules.is_working_day(saturday, {saturday: "workday"}) is True
    assert rules.is_working_day(monday, {saturday: "workday"}) is True  # other days untouched


@pytest.mark.parametrize("start, n, overrides, expected", [
    (D(2026, 3, 2), 0, None, D(2026, 3, 2)),       # n = 0: the day itself
    (D(2026, 3, 2), 1, None, D(2026, 3, 3)),
    (D(2026, 3, 6), 1, None, D(2026, 3, 9)),       # Friday → Monday
    (D(2026, 3, 7), 1, None, D(2026, 3, 9)),       # Saturday → Monday
    (D(2026, 3, 6), 5, None, D(2026, 3, 13)),      # Friday + 5 → next Friday
    # Spring Festival 2026 (Feb 15–23 off, Feb 14 and Feb 28 worked)
    (D(2026, 2, 13), 1, CN2026, D(2026, 2, 14)),   # Friday → the 调休 Saturday
    (D(2026, 2, 14), 1, CN2026, D(2026, 2, 24)),   # the 调休 Saturday → after the nine days off
    (D(2026, 2, 12), 5, CN2026, D(2026, 2, 26)),   # Thu: 13, 14(Sat), 24, 25, 26
    (D(2026, 2, 12), 5, None, D(2026, 2, 19)),     # the same without the calendar
    (D(2026, 2, 26), 2, CN2026, D(2026, 2, 28)),   # Thu: 27, 28 (调休 Saturday)
    # National Day and Mid-Autumn 2026 (Sep 25–27 and Oct 1–7 off, Sep 20 and Oct 10 worked)
    (D(2026, 9, 18), 1, CN2026, D(2026, 9, 20)),   # Friday → the 调休 Sunday
    (D(2026, 9, 24), 1, CN2026, D(2026, 9, 28)),   # Thursday → Monday after 中秋
    (D(2026, 9, 30), 1, CN2026, D(2026, 10, 8)),   # the eve of 国庆 → the Thursday after
    (D(2026, 9, 30), 3, CN2026, D(2026, 10, 10)),  # 8, 9, 10 (调休 Saturday)
    (D(2026, 9, 28), 5, CN2026, D(2026, 10, 10)),  # 29, 30, 8, 9, 10
    (D(2026, 9, 28), 5, None, D(2026, 10, 5)),
    # 元旦 2026 (Jan 1–3 off, Sunday Jan 4 worked)
    (D(2025, 12, 31), 1, CN2026, D(2026, 1, 4)),
    (D(2025, 12, 31), 2, CN2026, D(2026, 1, 5)),
    # 劳动节 2026 (May 1–5 off, Saturday May 9 worked)
    (D(2026, 4, 30), 1, CN2026, D(2026, 5, 6)),
    (D(2026, 4, 30), 4, CN2026, D(2026, 5, 9)),
])
def test_add_working_days(start, n, overrides, expected):
    assert rules.add_working_days(start, n, overrides) == expected


def test_across_the_year_with_both_years():
    both = {**CN2026, **CN2027}
    assert rules.add_working_days(D(2026, 12, 31), 1, CN2026) == D(2027, 1, 1)  # 2027 not known: a Friday
    assert rules.add_working_days(D(2026, 12, 31), 1, both) == D(2027, 1, 4)
    assert rules.add_working_days(D(2027, 2, 4), 1, both) == D(2027, 2, 9)  # 春节 2027 Feb 5–8


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        rules.add_working_days(D(2026, 3, 2), -1)


@pytest.mark.parametrize("start, end, overrides, expected", [
    (D(2026, 3, 2), D(2026, 3, 2), None, 0),
    (D(2026, 3, 2), D(2026, 3, 6), None, 4),       # Tue–Fri after Monday
    (D(2026, 3, 6), D(2026, 3, 9), None, 1),
    (D(2026, 3, 9), D(2026, 3, 6), None, -1),      # backwards: negative
    (D(2026, 2, 13), D(2026, 2, 24), CN2026, 2),   # 14 (调休) and 24
    (D(2026, 2, 13), D(2026, 2, 24), None, 7),
    (D(2026, 9, 30), D(2026, 10, 10), CN2026, 3),  # 8, 9, 10
    (D(2026, 1, 1), D(2026, 12, 31), CN2026, 248),  # 261 weekdays − 19 holidays + 6 make-up days
])
def test_working_days_between(start, end, overrides, expected):
    assert rules.working_days_between(start, end, overrides) == expected


@pytest.mark.parametrize("overrides", [None, CN2026])
def test_between_is_the_inverse_of_add(overrides):
    start = D(2025, 12, 20)
    for offset in range(0, 420, 7):
        day = start + timedelta(days=offset)
        for n in (0, 1, 2, 3, 5, 10, 22):
            end = rules.add_working_days(day, n, overrides)
            assert rules.working_days_between(day, end, overrides) == n
            assert rules.is_working_day(end, overrides) or n == 0
            assert (end - day).days <= rules.horizon(n)


def test_the_2026_schedule_is_the_state_councils():
    holidays = sorted(d for d, k in CN2026.items() if k == "holiday")
    workdays = sorted(d for d, k in CN2026.items() if k == "workday")
    assert workdays == [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20),
                        D(2026, 10, 10)]
    assert all(d.weekday() >= 5 for d in workdays)
    assert len(holidays) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert {D(2026, 2, 15), D(2026, 2, 23), D(2026, 6, 19), D(2026, 6, 21), D(2026, 9, 25)} <= set(holidays)


def test_2027_is_provisional_holidays_only():
    assert set(CN2027.values()) == {"holiday"}
    assert rules.year_gaps(CN2027) == "no_workdays"
    assert {D(2027, 1, 1), D(2027, 2, 6), D(2027, 4, 5), D(2027, 5, 1), D(2027, 6, 9), D(2027, 9, 15),
            D(2027, 10, 1), D(2027, 10, 3)} <= set(CN2027)


@pytest.mark.parametrize("day, kind, expected", [
    (D(2026, 3, 7), "workday", None),               # Saturday
    (D(2026, 3, 8), "workday", None),               # Sunday
    (D(2026, 3, 6), "workday", "workday_on_weekday"),
    (D(2026, 3, 6), "holiday", None),
    (D(2026, 3, 7), "holiday", None),               # a weekend day inside a holiday run
    (D(2026, 3, 7), "vacation", "kind"),
])
def test_check_day(day, kind, expected):
    assert rules.check_day(day, kind) == expected


@pytest.mark.parametrize("days, expected", [
    ({}, "empty"),
    ({D(2027, 1, 1): "holiday"}, "no_workdays"),
    ({D(2026, 1, 1): "holiday", D(2026, 1, 4): "workday"}, None),
])
def test_year_gaps(days, expected):
    assert rules.year_gaps(days) == expected
