"""The complaint resolution clock and the follow-up visit count working days on the calendar: holidays
do not count, make-up working days (调休) do; a year nobody entered counts Monday to Friday."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from fieldsvc.calendar import services as calendar
from fieldsvc.complaints import rules
from fieldsvc.complaints.services import handling, intake

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=10):
    return datetime(y, m, d, hh, 0, tzinfo=SH)


def due(y, m, d):
    return datetime(y, m, d, 23, 59, 59, tzinfo=SH)


@pytest.fixture
def frozen(monkeypatch):
    """frozen(moment): the complaint services' 'now' is that moment."""
    def _freeze(moment):
        for module in (intake, handling):
            monkeypatch.setattr(module, "utcnow", lambda: moment)
    return _freeze


@pytest.mark.parametrize("received, seeded, expected", [
    (at(2026, 9, 30), True, due(2026, 10, 13)),   # 国庆: Oct 8, 9, 10 (调休 Sat), 12, 13
    (at(2026, 9, 30), False, due(2026, 10, 7)),   # without the calendar: Oct 1, 2, 5, 6, 7
    (at(2026, 2, 12), True, due(2026, 2, 26)),    # 春节: Feb 13, 14 (调休 Sat), 24, 25, 26
    (at(2026, 2, 12), False, due(2026, 2, 19)),
    (at(2026, 4, 30), True, due(2026, 5, 11)),    # 劳动节: May 6, 7, 8, 9 (调休 Sat), 11
    (at(2026, 3, 6), True, due(2026, 3, 13)),     # an ordinary Friday: the next Friday
    (at(2026, 12, 31), True, due(2027, 1, 8)),    # into 2027: Jan 1 off (seeded), Jan 4–8
    (at(2028, 1, 3), True, due(2028, 1, 10)),     # 2028 not entered: Monday–Friday
])
def test_the_resolution_clock_skips_holidays(staff, customers, db, en_request, frozen, received, seeded,
                                              expected):
    if seeded:
        calendar.seed()
        db.session.commit()
    frozen(received)
    complaint = intake.receive(staff["station_chief"], {
        "channel": "hotline", "category": "billing", "description": "账单有误", "contact_name": "王小明",
        "contact_phone": "13800000001", "customer_id": customers[0].id})
    assert complaint.resolve_due == expected
    # The first contact is counted in calendar hours, holiday or not.
    assert complaint.first_contact_due == received + timedelta(hours=rules.DEFAULT_TARGET.first_contact_hours)


def test_a_reopened_complaint_restarts_on_the_calendar(staff, db, make_complaint, frozen):
    calendar.seed()
    db.session.commit()
    complaint = make_complaint(upto="closed")
    frozen(at(2026, 9, 30, 15))
    handling.transition(staff["station_chief"], complaint.id, "investigating", {"note": "客户不满意"})
    assert complaint.resolve_due == due(2026, 10, 13)


def test_an_office_change_moves_the_next_clock(staff, customers, db, en_request, frozen):
    """A day the office adds counts at once (the per-request cache is forgotten on a change)."""
    frozen(at(2028, 3, 6))  # a Monday in a year nobody entered
    data = {"channel": "hotline", "category": "billing", "description": "账单有误", "contact_name": "王小明",
            "contact_phone": "13800000001", "customer_id": customers[0].id}
    assert intake.receive(staff["station_chief"], data).resolve_due == due(2028, 3, 13)
    calendar.add_day(staff["director"], {"day": date(2028, 3, 9), "kind": "holiday", "name": "停工"})
    assert intake.receive(staff["station_chief"], data).resolve_due == due(2028, 3, 14)


@pytest.mark.parametrize("completed, seeded, expected_day", [
    (at(2026, 9, 30, 16), True, (2026, 10, 8)),   # before 国庆 → the Thursday after
    (at(2026, 9, 30, 16), False, (2026, 10, 1)),
    (at(2026, 2, 13, 16), True, (2026, 2, 14)),   # Friday before 春节 → the 调休 Saturday
    (at(2026, 9, 18, 16), True, (2026, 9, 20)),   # Friday → the 调休 Sunday before 国庆
])
def test_the_follow_up_visit_is_due_the_next_working_day(staff, db, en_request, monkeypatch, completed, seeded,
                                                         expected_day):
    from fieldsvc.dispatch.services import steps
    if seeded:
        calendar.seed()
        db.session.commit()
    monkeypatch.setattr(steps, "utcnow", lambda: completed)
    from fieldsvc.customers.models import District
    district = db.session.query(District).first()
    order = steps.new_order(staff["station_chief"], {"type": "followup_visit", "address": "幸福小区 1-1-101",
                                                     "district_id": district.id})
    assert order.due_at == datetime.combine(datetime(*expected_day).date(), time(23, 59, 59), tzinfo=SH)
