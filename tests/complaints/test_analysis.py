"""The monthly analysis on a crafted month: month edges in the business zone, counts by dimension,
median and within-target share of both clocks, satisfaction against the 95 % goal, repeat complainants."""
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from fieldsvc.complaints import rules
from fieldsvc.complaints.models import Complaint
from fieldsvc.complaints.services import analysis
from fieldsvc.errors import NotAllowed

SH = ZoneInfo("Asia/Shanghai")
_numbers = count(1)


def add(db, received, category="billing", channel="hotline", phone="13900000000", contact_h=None, resolve_h=None,
        score=None, called=None, department=None, cause=None, valid=True, compensation=None, reopened=0):
    table = rules.DEFAULT_TARGETS
    c = Complaint(tracking_no=f"TS-20261101-{next(_numbers):06d}", channel=channel, category=category,
                  description="d", contact_name="n", contact_phone=phone,
                  complainant_key=rules.complainant_key(None, phone), status="received", received_at=received,
                  first_contact_due=rules.first_contact_due(category, received, table),
                  resolve_due=rules.resolve_due(category, received, SH, table),
                  first_contacted_at=received + timedelta(hours=contact_h) if contact_h is not None else None,
                  resolved_at=received + timedelta(hours=resolve_h) if resolve_h is not None else None,
                  satisfaction=score, followed_up_at=called, department=department, cause=cause, valid=valid,
                  compensation=compensation, reopen_count=reopened)
    db.session.add(c)
    return c


@pytest.fixture
def november(staff, db):
    nov = datetime(2026, 11, 10, 9, 0, tzinfo=SH)
    add(db, nov, contact_h=1, resolve_h=48, department="billing_office", cause="billing_error", phone="13911110000",
        compensation=Decimal("12.50"))
    add(db, nov, category="safety", channel="field", contact_h=3, resolve_h=100, department="safety_office",
        cause="safety_hazard", reopened=1)
    add(db, nov, contact_h=30, channel="web", department="billing_office", valid=False)
    add(db, datetime(2026, 11, 30, 23, 59, tzinfo=SH), category="meter_accuracy", phone="13922220000")
    add(db, datetime(2026, 11, 1, 0, 0, tzinfo=SH), category="suggestion", compensation=Decimal("7.25"))
    # Outside November in Shanghai, although their UTC dates say otherwise.
    add(db, datetime(2026, 12, 1, 0, 30, tzinfo=SH), phone="13911110000")
    add(db, datetime(2026, 10, 31, 23, 30, tzinfo=SH), phone="13922220000")
    # Follow-up calls made in November (of complaints from October), and one in December.
    for score in (5, 4, 4, 2):
        add(db, datetime(2026, 10, 5, tzinfo=SH), score=score, called=datetime(2026, 11, 3, tzinfo=SH))
    add(db, datetime(2026, 10, 5, tzinfo=SH), score=1, called=datetime(2026, 12, 2, tzinfo=SH))
    # Repeat complainants: 1391111 also in August; 1393333 only twice in September; 1394444 a year ago.
    add(db, datetime(2026, 8, 3, tzinfo=SH), phone="13911110000")
    add(db, datetime(2026, 9, 3, tzinfo=SH), phone="13933330000")
    add(db, datetime(2026, 9, 4, tzinfo=SH), phone="13933330000")
    add(db, datetime(2026, 11, 20, tzinfo=SH), phone="13944440000")
    add(db, datetime(2025, 11, 20, tzinfo=SH), phone="13944440000")
    db.session.commit()


def test_counts_by_dimension(november, staff):
    a = analysis.monthly(staff["director"], 2026, 11)
    assert a.total == 6 and a.not_valid == 1 and a.reopened == 1
    assert a.compensation == Decimal("19.75")
    assert dict(a.by_category) == {"billing": 3, "safety": 1, "meter_accuracy": 1, "suggestion": 1}
    assert a.by_category[0] == ("billing", 3)  # most frequent first
    assert dict(a.by_channel) == {"hotline": 4, "field": 1, "web": 1}
    assert dict(a.by_department) == {"billing_office": 2, "safety_office": 1, None: 3}
    assert dict(a.by_cause) == {"billing_error": 1, "safety_hazard": 1, None: 4}


def test_clocks_median_and_share_within_target(november, staff):
    a = analysis.monthly(staff["director"], 2026, 11)
    # First contact 1 h (billing, 24 h target: met), 3 h (safety, 2 h: missed), 30 h (missed).
    assert (a.first_contact.done, a.first_contact.within) == (3, 1)
    assert a.first_contact.median_hours == Decimal("3.0")
    assert a.first_contact.within_pct == Decimal("33.3")
    # Resolution 48 h and 100 h, both within five working days: the median of an even count is the mean.
    assert (a.resolution.done, a.resolution.within) == (2, 2)
    assert a.resolution.median_hours == Decimal("74.0")
    assert a.resolution.within_pct == Decimal("100.0")


def test_satisfaction_of_the_months_calls(november, staff):
    a = analysis.monthly(staff["director"], 2026, 11)
    assert (a.calls, a.satisfied) == (4, 3)
    assert a.by_score == {5: 1, 4: 2, 2: 1}
    assert a.satisfied_pct == Decimal("75.0") and a.goal_met is False
    december = analysis.monthly(staff["director"], 2026, 12)
    assert (december.calls, december.satisfied, december.goal_met) == (1, 0, False)
    assert analysis.monthly(staff["director"], 2026, 9).goal_met is None  # no call: no verdict


def test_goal_is_met_at_95_percent(staff, db):
    called = datetime(2026, 6, 10, tzinfo=SH)
    for score in [5] * 18 + [4, 3]:
        add(db, datetime(2026, 6, 1, tzinfo=SH), score=score, called=called)
    db.session.commit()
    a = analysis.monthly(staff["director"], 2026, 6)
    assert a.satisfied_pct == Decimal("95.0") and a.goal_met is True


def test_repeat_complainants(november, staff):
    repeat = analysis.monthly(staff["director"], 2026, 11).repeat
    # 1390000 (the default phone of the fixture) eight times; 1391111 with August (its December one is
    # outside); 1392222 with 31 October. Not 1393333 (nothing in November) nor 1394444 (13 months apart).
    assert [(r.complainant_key, r.n) for r in repeat] == [
        ("p:13900000000", 8), ("p:13911110000", 2), ("p:13922220000", 2)]


def test_median_of_one_and_of_none(staff, db):
    add(db, datetime(2026, 3, 2, 9, 0, tzinfo=SH), contact_h=5)
    db.session.commit()
    a = analysis.monthly(staff["director"], 2026, 3)
    assert a.first_contact.median_hours == Decimal("5.0") and a.resolution.median_hours is None
    assert a.resolution.within_pct is None


def test_only_who_sees_everything(staff):
    assert analysis.monthly(staff["statistician"], 2026, 11).total == 0
    with pytest.raises(NotAllowed):
        analysis.monthly(staff["repair_tech"], 2026, 11)
