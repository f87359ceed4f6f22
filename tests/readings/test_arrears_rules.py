"""Late fees across the grace period and the collection stages (RULES.md §4)."""
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from fieldsvc.readings import rules
from fieldsvc.readings.rules import Stage

DUE = date(2026, 3, 15)


@pytest.mark.parametrize("days_after_due, category, expected", [
    (-1, "residential", "0.00"),
    (0, "residential", "0.00"),
    (10, "residential", "0.00"),     # last day of grace
    (11, "residential", "0.30"),     # first fee day: 100 × 0.3 %
    (12, "residential", "0.60"),
    (40, "residential", "9.00"),     # 30 fee days
    (10, "commercial", "0.00"),
    (11, "commercial", "1.00"),      # 1 % per day for others
    (11, "industrial", "1.00"),
    (20, "industrial", "10.00"),
])
def test_late_fee_across_grace(days_after_due, category, expected):
    on = DUE + timedelta(days=days_after_due)
    assert rules.late_fee(D(100), DUE, on, category) == D(expected)


@pytest.mark.parametrize("principal, days, expected", [
    ("123.45", 11, "0.37"),   # 0.37035
    ("150.00", 11, "0.45"),
    ("175.00", 11, "0.53"),   # 0.525: half-up, not to even
    ("0.50", 11, "0.00"),     # 0.0015
    ("1.70", 11, "0.01"),     # 0.0051
    ("0", 50, "0.00"),
])
def test_late_fee_rounding(principal, days, expected):
    assert rules.late_fee(D(principal), DUE, DUE + timedelta(days=days), "residential") == D(expected)


def test_fee_fixed_at_a_payment_accrues_only_after_it():
    # A fee fixed up to day 20 (a part payment); on day 25 only the 5 later days count.
    on = DUE + timedelta(days=25)
    assert rules.fee_days(DUE, on, accrued_to=DUE + timedelta(days=20)) == 5
    assert rules.fee_days(DUE, on, accrued_to=DUE + timedelta(days=3)) == 15  # inside grace: no effect
    assert rules.late_fee(D(100), DUE, on, "residential", accrued_to=DUE + timedelta(days=20)) == D("1.50")


def test_due_date():
    assert rules.due_date(date(2026, 3, 1)) == date(2026, 3, 16)
    assert rules.due_date(date(2026, 3, 1), 30) == date(2026, 3, 31)


@pytest.mark.parametrize("owed, days_after_due, notice_days_ago, approved, suspended, expected", [
    ("0", 50, None, False, False, Stage.clear),
    ("100", -3, None, False, False, Stage.due),
    ("100", 0, None, False, False, Stage.due),
    ("100", 1, None, False, False, Stage.overdue),
    ("100", 29, None, False, False, Stage.overdue),
    ("100", 30, None, False, False, Stage.notice_due),   # 30 days after due: serve the notice
    ("100", 31, 0, False, False, Stage.notice_served),
    ("100", 33, 2, False, False, Stage.notice_served),
    ("100", 34, 3, False, False, Stage.suspension_due),  # 3 days after the notice
    ("100", 40, 5, True, False, Stage.suspension_approved),
    ("100", 45, 8, True, True, Stage.suspended),
    ("0", 46, 9, True, True, Stage.restoring),           # paid while suspended: restore within 24 h
])
def test_stages(owed, days_after_due, notice_days_ago, approved, suspended, expected):
    today = DUE + timedelta(days=days_after_due)
    notice_on = today - timedelta(days=notice_days_ago) if notice_days_ago is not None else None
    assert rules.stage(D(owed), DUE, today, notice_on, approved, suspended) == expected


@pytest.mark.parametrize("days_after_due, allowed", [(29, False), (30, True), (31, True)])
def test_notice_after_30_days(days_after_due, allowed):
    assert rules.may_serve_notice(DUE, DUE + timedelta(days=days_after_due)) is allowed


@pytest.mark.parametrize("days_after_notice, allowed", [(2, False), (3, True)])
def test_suspension_3_days_after_notice(days_after_notice, allowed):
    notice = date(2026, 4, 20)
    assert rules.may_approve_suspension(notice, notice + timedelta(days=days_after_notice)) is allowed
    assert rules.may_approve_suspension(None, notice) is False


@pytest.mark.parametrize("payment, debts, expected", [
    ("100", [("2", "50"), ("1", "80")], [("2", "50"), ("1", "47")]),   # fee before principal, oldest first
    ("500", [("2", "50")], [("2", "50")]),                             # overpayment left unallocated
    ("1", [("2", "50")], [("1", "0")]),
    ("0", [("2", "50")], [("0", "0")]),
])
def test_allocate(payment, debts, expected):
    result = rules.allocate(D(payment), [(D(f), D(p)) for f, p in debts])
    assert result == [(D(f), D(p)) for f, p in expected]
