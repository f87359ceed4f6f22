"""The pure rules of department management, table by table and pair by pair."""
from datetime import date, timedelta
from decimal import Decimal
from itertools import product

import pytest

from fieldsvc.management import rules
from fieldsvc.management.rules import IncidentFacts, PolicyFacts

TODAY = date(2026, 6, 15)
POLICY_STATES = [s.value for s in rules.PolicyStatus]

# The whole policy table: (from, to) → (action, who, needs a reason). Anything else is illegal.
POLICY_EXPECTED = {
    ("draft", "submitted"): ("submit", "owner", False),
    ("draft", "withdrawn"): ("abandon", "owner", True),
    ("submitted", "draft"): ("return", "director", True),
    ("submitted", "approved"): ("approve", "director", False),
    ("approved", "in_force"): ("bring_into_force", "owner", False),
    ("approved", "withdrawn"): ("abandon", "director", True),
    ("in_force", "withdrawn"): ("withdraw", "director", True),
}
READY = PolicyFacts(approved=True, effective_on=TODAY, review_on=TODAY + timedelta(days=365), has_document=True,
                    reason="because")


@pytest.mark.parametrize(("frm", "to"), list(product(POLICY_STATES, repeat=2)))
def test_every_pair_of_the_policy_table(frm, to):
    move = rules.policy_move(frm, to)
    expected = POLICY_EXPECTED.get((frm, to))
    if expected is None:
        assert move is None
        assert rules.policy_blockers(frm, to, READY, TODAY) == ["illegal"]
    else:
        assert (move.action, move.by.value, move.needs_reason) == expected
        assert rules.policy_blockers(frm, to, READY, TODAY) == []


def test_in_force_is_reached_only_from_approved_and_only_with_the_approval():
    sources = {frm for (frm, to) in rules.POLICY_TRANSITIONS if to == "in_force"}
    assert sources == {"approved"}
    # Only the director moves a version into `approved`.
    assert {m.by for (frm, to), m in rules.POLICY_TRANSITIONS.items() if to == "approved"} == {rules.By.director}
    unapproved = PolicyFacts(approved=False, effective_on=TODAY, has_document=True)
    assert rules.policy_blockers("approved", "in_force", unapproved, TODAY) == ["approval"]


@pytest.mark.parametrize(("facts", "expected"), [
    (PolicyFacts(has_document=True, effective_on=TODAY), []),
    (PolicyFacts(has_document=False, effective_on=TODAY), ["document"]),
    (PolicyFacts(has_document=True, effective_on=None), ["effective_on"]),
    (PolicyFacts(has_document=False, effective_on=None), ["document", "effective_on"]),
    (PolicyFacts(has_document=True, effective_on=TODAY, review_on=TODAY), ["review_on"]),
    (PolicyFacts(has_document=True, effective_on=TODAY, review_on=TODAY + timedelta(days=1)), []),
])
def test_what_a_submission_needs(facts, expected):
    assert rules.policy_blockers("draft", "submitted", facts, TODAY) == expected


@pytest.mark.parametrize(("effective_on", "expected"), [
    (TODAY - timedelta(days=1), []), (TODAY, []), (TODAY + timedelta(days=1), ["not_yet_effective"]),
    (None, ["not_yet_effective"]),
])
def test_a_version_comes_into_force_on_its_effective_date(effective_on, expected):
    facts = PolicyFacts(approved=True, effective_on=effective_on, has_document=True)
    assert rules.policy_blockers("approved", "in_force", facts, TODAY) == expected


@pytest.mark.parametrize(("frm", "to"), [k for k, m in rules.POLICY_TRANSITIONS.items() if m.needs_reason])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_moves_that_need_a_reason(frm, to, reason):
    facts = PolicyFacts(approved=True, effective_on=TODAY, has_document=True, reason=reason)
    assert "reason" in rules.policy_blockers(frm, to, facts, TODAY)


@pytest.mark.parametrize(("review_on", "expected"), [
    (None, None), (TODAY - timedelta(days=1), "overdue"), (TODAY, "soon"), (TODAY + timedelta(days=30), "soon"),
    (TODAY + timedelta(days=31), None),
])
def test_review_due(review_on, expected):
    assert rules.review_due(review_on, TODAY) == expected


@pytest.mark.parametrize(("roles", "role", "expected"), [
    ([], "repair_tech", True), (None, "card_clerk", True), (["repair_tech", "pipe_fitter"], "pipe_fitter", True),
    (["repair_tech"], "meter_reader", False),
])
def test_applies_to(roles, role, expected):
    assert rules.applies_to(roles, role) is expected


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "empty"), (b"%PDF-1.7\n%...", None), (b"%PDF", "not_pdf"), (b"GIF89a", "not_pdf"),
    (b"  %PDF-1.4", "not_pdf"), (b"%PDF-" + b"x" * 100, None),
])
def test_pdf_problem(data, expected):
    assert rules.pdf_problem(data) == expected


def test_pdf_size_limit_is_inclusive():
    assert rules.pdf_problem(b"%PDF-" + b"x" * 95, limit=100) is None
    assert rules.pdf_problem(b"%PDF-" + b"x" * 96, limit=100) == "too_large"
    assert rules.PDF_MAX_BYTES == 10 * 1024 * 1024


# --- plans and summaries ----------------------------------------------------------------------------

PLAN_STATES = [s.value for s in rules.PlanStatus]
PLAN_EXPECTED = {
    ("draft", "submitted"): ("submit", "owner", False),
    ("submitted", "draft"): ("return", "director", True),
    ("submitted", "approved"): ("approve", "director", False),
}


@pytest.mark.parametrize(("frm", "to"), list(product(PLAN_STATES, repeat=2)))
def test_every_pair_of_the_plan_table(frm, to):
    move = rules.plan_move(frm, to)
    expected = PLAN_EXPECTED.get((frm, to))
    if expected is None:
        assert move is None
        assert rules.plan_blockers(frm, to, 3, "x") == ["illegal"]
    else:
        assert (move.action, move.by.value, move.needs_reason) == expected
        assert rules.plan_blockers(frm, to, 3, "x") == []


def test_a_plan_needs_items_and_a_return_needs_a_reason():
    assert rules.plan_blockers("draft", "submitted", 0) == ["items"]
    assert rules.plan_blockers("submitted", "draft", 2, " ") == ["reason"]


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (0, 0, None), (None, 10, None), (1, 3, Decimal("33.3")), (2, 3, Decimal("66.7")), (1, 8, Decimal("12.5")),
    (1, 16, Decimal("6.3")), (5, 5, Decimal("100.0")),
])
def test_percent_half_up(part, whole, expected):
    assert rules.percent(part, whole) == expected


@pytest.mark.parametrize(("actual", "target", "manual", "expected"), [
    (Decimal("45"), Decimal("90"), None, Decimal("50.0")),
    (Decimal("99"), Decimal("90"), None, Decimal("100")),  # capped
    (4, 12, Decimal("80"), Decimal("33.3")),  # a measured figure wins over a hand estimate
    (None, Decimal("90"), Decimal("40"), Decimal("40.0")),  # domain not installed: the owner's estimate
    (None, None, None, None),
    (7, None, None, None),  # reported only, no target
])
def test_item_progress(actual, target, manual, expected):
    assert rules.item_progress(actual, target, manual) == expected


@pytest.mark.parametrize(("progress", "due_on", "done_on", "expected"), [
    (None, None, None, "not_started"), (Decimal(0), TODAY + timedelta(days=1), None, "not_started"),
    (Decimal(30), TODAY, None, "on_track"), (Decimal(30), TODAY - timedelta(days=1), None, "overdue"),
    (Decimal(100), TODAY - timedelta(days=9), None, "done"), (Decimal(10), TODAY - timedelta(days=9), TODAY, "done"),
])
def test_item_state(progress, due_on, done_on, expected):
    assert rules.item_state(progress, due_on, done_on, TODAY) == expected


# --- incidents --------------------------------------------------------------------------------------

INCIDENT_STATES = [s.value for s in rules.IncidentStatus]
INCIDENT_EXPECTED = {("open", "analysed"): "analyse", ("analysed", "open"): "reopen", ("analysed", "closed"): "close"}
ANALYSED = IncidentFacts(causes="c", lessons="l", responsibility="r", actions=1)


@pytest.mark.parametrize(("frm", "to"), list(product(INCIDENT_STATES, repeat=2)))
def test_every_pair_of_the_incident_table(frm, to):
    expected = INCIDENT_EXPECTED.get((frm, to))
    move = rules.incident_move(frm, to)
    assert (move and (move.action, move.by.value, move.needs_reason)) == (expected and (expected, "manager", False))
    assert rules.INCIDENT_TRANSITIONS.get((frm, to)) == move
    assert rules.incident_blockers(frm, to, ANALYSED) == ([] if expected else ["illegal"])


def test_incident_guards():
    assert rules.incident_blockers("open", "analysed", IncidentFacts(causes="c")) == ["lessons", "responsibility"]
    assert rules.incident_blockers("analysed", "closed", IncidentFacts(actions=0)) == ["actions"]
    assert rules.incident_blockers("analysed", "closed", IncidentFacts(no_action_reason="minor, no fault")) == []


# --- vehicles ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("odometer", "next_on", "next_km", "expected"), [
    (10000, None, None, "ok"),
    (10000, TODAY + timedelta(days=15), None, "ok"),
    (10000, TODAY + timedelta(days=14), None, "due_soon"),
    (10000, TODAY, None, "due_soon"),
    (10000, TODAY - timedelta(days=1), None, "overdue"),
    (14499, None, 15000, "ok"),
    (14500, None, 15000, "due_soon"),
    (14999, None, 15000, "due_soon"),
    (15000, None, 15000, "overdue"),  # the mileage reached
    (15000, TODAY + timedelta(days=100), 15000, "overdue"),  # whichever comes first
    (1000, TODAY - timedelta(days=3), 15000, "overdue"),
    (None, None, 1000, "ok"),
    (None, None, 400, "due_soon"),
])
def test_maintenance_state(odometer, next_on, next_km, expected):
    assert rules.maintenance_state(TODAY, odometer, next_on, next_km) == expected


@pytest.mark.parametrize(("previous", "new", "days", "expected"), [
    (None, 5000, 1, None), (5000, 5000, 1, None), (5000, 4999, 1, "backwards"), (5000, 6500, 1, None),
    (5000, 6501, 1, "jump"), (5000, 8000, 2, None), (5000, 8001, 2, "jump"), (5000, 6000, 0, None),
    (5000, 90000, None, None), (0, -1, 1, "backwards"),
])
def test_odometer_problem(previous, new, days, expected):
    assert rules.odometer_problem(previous, new, days) == expected


def test_failed_items_in_checklist_order():
    results = {code: True for code in rules.CHECK_ITEMS} | {"brakes": False, "tyres": False}
    assert rules.failed_items(results) == ["tyres", "brakes"]
    assert rules.failed_items({}) == []
