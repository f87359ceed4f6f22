"""RULES.md §8 as tables: LEC factors, grade bands, significance, aspect scoring, the NC state machine,
training due dates and target progress. Pure functions: no app needed."""
from datetime import date
from decimal import Decimal as D
from itertools import product

import pytest

from fieldsvc.hse import rules

# --- factors --------------------------------------------------------------------------------------

ALLOWED = {
    "l": ["10", "6", "3", "1", "0.5", "0.2", "0.1"],
    "e": ["10", "6", "3", "2", "1", "0.5"],
    "c": ["100", "40", "15", "7", "3", "1"],
}


@pytest.mark.parametrize("name,value", [(n, v) for n, values in ALLOWED.items() for v in values])
def test_every_allowed_factor_is_accepted(name, value):
    assert rules.factor(name, value) == D(value)
    assert rules.factor(name, D(value)) == D(value)


@pytest.mark.parametrize("name,value", [
    ("l", "4"), ("l", "0"), ("l", "-1"), ("l", "100"), ("l", "0.3"), ("l", "abc"), ("l", ""), ("l", None),
    ("l", "NaN"), ("l", "Infinity"), ("l", True),
    ("e", "5"), ("e", "0.1"), ("e", "100"), ("e", "7"),
    ("c", "2"), ("c", "10"), ("c", "50"), ("c", "0.5"), ("c", "6"),
])
def test_disallowed_factor_is_invalid_and_named(name, value):
    with pytest.raises(rules.FactorError) as exc:
        rules.factor(name, value)
    assert exc.value.field == name
    assert tuple(exc.value.allowed) == tuple(D(v) for v in ALLOWED[name])


@pytest.mark.parametrize("l,e,c", [("4", "6", "7"), ("6", "5", "7"), ("6", "6", "8")])
def test_lec_d_refuses_any_bad_factor(l, e, c):  # noqa: E741
    with pytest.raises(rules.FactorError):
        rules.lec_d(l, e, c)


def test_equal_decimal_spellings_are_the_same_factor():
    assert rules.factor("l", "0.50") == D("0.5")
    assert rules.factor("c", "15.0") == D("15")
    assert rules.factor("e", 6) == D("6")


@pytest.mark.parametrize("l,e,c,d", [
    ("10", "10", "100", "10000"), ("0.1", "0.5", "1", "0.05"), ("6", "6", "7", "252"),
    ("3", "6", "15", "270"), ("1", "6", "40", "240"), ("0.5", "2", "7", "7"), ("3", "3", "7", "63"),
])
def test_d_is_the_product(l, e, c, d):  # noqa: E741
    assert rules.lec_d(l, e, c) == D(d)


# --- grade bands ----------------------------------------------------------------------------------

@pytest.mark.parametrize("d,grade,colour", [
    ("0.05", 5, "blue"), ("19.9", 5, "blue"), ("19.99", 5, "blue"), ("20", 4, "blue"),
    ("69.9", 4, "blue"), ("69.99", 4, "blue"), ("70", 3, "yellow"),
    ("159", 3, "yellow"), ("159.99", 3, "yellow"), ("160", 2, "orange"),
    ("319", 2, "orange"), ("319.99", 2, "orange"), ("320", 1, "red"), ("10000", 1, "red"),
])
def test_grade_bands_are_half_open_lower_bound_included(d, grade, colour):
    assert rules.grade_of(D(d)) == (grade, colour)


def test_every_reachable_d_lands_in_exactly_one_band():
    seen = set()
    for l, e, c in product(rules.L_VALUES, rules.E_VALUES, rules.C_VALUES):  # noqa: E741
        d = rules.lec_d(l, e, c)
        grade, _ = rules.grade_of(d)
        expected = 1 if d >= 320 else 2 if d >= 160 else 3 if d >= 70 else 4 if d >= 20 else 5
        assert grade == expected, (l, e, c, d)
        seen.add(grade)
    assert seen == {1, 2, 3, 4, 5}


# --- significance ---------------------------------------------------------------------------------

@pytest.mark.parametrize("grade,significant", [(1, True), (2, True), (3, False), (4, False), (5, False)])
def test_significant_by_grade_alone(grade, significant):
    assert rules.is_significant(grade, ()) is significant


@pytest.mark.parametrize("criterion", rules.DIRECT_CRITERIA)
@pytest.mark.parametrize("grade", [3, 4, 5])
def test_each_direct_criterion_makes_a_low_grade_significant(criterion, grade):
    assert rules.is_significant(grade, [criterion]) is True


@pytest.mark.parametrize("criterion", rules.DIRECT_CRITERIA)
def test_assess_with_direct_criterion(criterion):
    low = rules.assess("1", "1", "1")
    assert (low.d, low.grade, low.colour, low.significant) == (D(1), 5, "blue", False)
    flagged = rules.assess("1", "1", "1", [criterion])
    assert (flagged.grade, flagged.significant) == (5, True)


def test_unknown_criterion_refused():
    with pytest.raises(ValueError):
        rules.check_criteria(["looks_bad"])
    assert rules.check_criteria(["observed_danger", "regulation_breach"]) == ("regulation_breach", "observed_danger")


def test_twenty_gb6441_accident_types_with_both_languages():
    assert len(rules.ACCIDENT_TYPES) == 20
    assert len(set(rules.ACCIDENT_TYPE_CODES)) == 20
    assert all(zh and en for _code, zh, en in rules.ACCIDENT_TYPES)
    assert dict((c, zh) for c, zh, _en in rules.ACCIDENT_TYPES)["poisoning_asphyxiation"] == "中毒和窒息"


@pytest.mark.parametrize("review_on,status", [
    (None, None), (date(2026, 5, 31), "overdue"), (date(2026, 6, 1), "due"), (date(2026, 7, 1), "due"),
    (date(2026, 7, 2), None),
])
def test_review_reminder(review_on, status):
    assert rules.review_status(review_on, date(2026, 6, 1), 30) == status


def test_fmt_never_uses_exponents():
    assert [rules.fmt(v) for v in (D("10000"), D("0.50"), D("6.0"), D("0.05"))] == ["10000", "0.5", "6", "0.05"]


# --- environmental aspects ------------------------------------------------------------------------

def pol(a, b, c, d, e):
    return rules.aspect_score("pollution", {"a": a, "b": b, "c": c, "d": d, "e": e})


@pytest.mark.parametrize("scores,total,significant", [
    ((1, 1, 1, 1, 1), 5, False),
    ((5, 1, 1, 1, 1), 9, True),      # A = 5
    ((1, 5, 1, 1, 1), 9, True),      # B = 5
    ((1, 1, 1, 5, 1), 9, True),      # D = 5
    ((1, 1, 5, 1, 1), 9, False),     # C = 5 is not a trigger by itself
    ((1, 1, 1, 1, 5), 9, False),     # nor E = 5
    ((4, 3, 4, 3, 1), 15, True),     # total 15, no 5 in A, B, D
    ((4, 3, 3, 3, 1), 14, False),    # total 14
    ((4, 3, 5, 3, 5), 20, True),
    ((4, 1, 4, 3, 2), 14, False),
    ((2, 3, 4, 3, 3), 15, True),
])
def test_pollution_thresholds(scores, total, significant):
    assert pol(*scores) == (total, significant)


def test_pollution_rule_holds_for_every_combination():
    for a, b, c, d, e in product((1, 2, 3, 4, 5), (1, 3, 5), (1, 2, 3, 4, 5), (1, 3, 5), (1, 2, 3, 4, 5)):
        total, significant = pol(a, b, c, d, e)
        assert total == a + b + c + d + e
        assert significant is (a == 5 or b == 5 or d == 5 or total >= 15)


@pytest.mark.parametrize("f,g,total,significant", [
    (1, 1, 2, False), (1, 3, 4, False), (3, 1, 4, False), (3, 3, 6, False),
    (1, 5, 6, True), (5, 1, 6, True), (3, 5, 8, True), (5, 3, 8, True), (5, 5, 10, True),
])
def test_resource_thresholds(f, g, total, significant):
    assert rules.aspect_score("resource", {"f": f, "g": g}) == (total, significant)


@pytest.mark.parametrize("kind,scores,field", [
    ("pollution", {"a": 6, "b": 1, "c": 1, "d": 1, "e": 1}, "a"),
    ("pollution", {"a": 0, "b": 1, "c": 1, "d": 1, "e": 1}, "a"),
    ("pollution", {"a": 1, "b": 2, "c": 1, "d": 1, "e": 1}, "b"),
    ("pollution", {"a": 1, "b": 4, "c": 1, "d": 1, "e": 1}, "b"),
    ("pollution", {"a": 1, "b": 1, "c": 6, "d": 1, "e": 1}, "c"),
    ("pollution", {"a": 1, "b": 1, "c": 1, "d": 2, "e": 1}, "d"),
    ("pollution", {"a": 1, "b": 1, "c": 1, "d": 1, "e": 0}, "e"),
    ("pollution", {"a": 1, "b": 1, "c": 1, "d": 1}, "e"),
    ("pollution", {"a": "x", "b": 1, "c": 1, "d": 1, "e": 1}, "a"),
    ("pollution", {"a": True, "b": 1, "c": 1, "d": 1, "e": 1}, "a"),
    ("resource", {"f": 2, "g": 1}, "f"),
    ("resource", {"f": 1, "g": 4}, "g"),
    ("resource", {"f": 1}, "g"),
])
def test_scores_off_their_scale_are_invalid(kind, scores, field):
    with pytest.raises(rules.FactorError) as exc:
        rules.aspect_score(kind, scores)
    assert exc.value.field == field


def test_scores_accept_form_strings():
    assert rules.aspect_score("resource", {"f": "3", "g": " 5 "}) == (8, True)


# --- nonconformity state machine ------------------------------------------------------------------

ALLOWED_MOVES = {
    ("draft", "analysis"), ("draft", "cancelled"),
    ("analysis", "action_plan"), ("analysis", "cancelled"),
    ("action_plan", "in_progress"), ("action_plan", "analysis"), ("action_plan", "cancelled"),
    ("in_progress", "effectiveness_check"), ("in_progress", "cancelled"),
    ("effectiveness_check", "closed"), ("effectiveness_check", "in_progress"),
}


@pytest.mark.parametrize("current,target", list(product(rules.NC_STATES, rules.NC_STATES)))
def test_transition_table_every_pair(current, target):
    assert rules.nc_can_move(current, target) is ((current, target) in ALLOWED_MOVES)


@pytest.mark.parametrize("current", ["closed", "cancelled"])
def test_terminal_states_go_nowhere(current):
    assert rules.NC_TRANSITIONS[current] == frozenset()


READY = rules.NcFacts(root_cause="worn hose", actions=2, actions_open=0, effective=True, reason="duplicate")


@pytest.mark.parametrize("current,target,facts,blockers", [
    ("draft", "analysis", rules.NcFacts(), []),
    ("analysis", "action_plan", rules.NcFacts(), ["root_cause"]),
    ("analysis", "action_plan", rules.NcFacts(root_cause="  "), ["root_cause"]),
    ("analysis", "action_plan", READY, []),
    ("action_plan", "in_progress", rules.NcFacts(root_cause="x"), ["actions"]),
    ("action_plan", "in_progress", READY, []),
    ("in_progress", "effectiveness_check", rules.NcFacts(actions=2, actions_open=1), ["actions_open"]),
    ("in_progress", "effectiveness_check", READY, []),
    ("effectiveness_check", "closed", rules.NcFacts(effective=None), ["effective"]),
    ("effectiveness_check", "closed", rules.NcFacts(effective=False), ["effective"]),
    ("effectiveness_check", "closed", READY, []),
    ("effectiveness_check", "in_progress", rules.NcFacts(actions=1, effective=False), []),
    ("draft", "cancelled", rules.NcFacts(), ["reason"]),
    ("draft", "cancelled", READY, []),
    ("draft", "closed", READY, ["illegal"]),
    ("closed", "draft", READY, ["illegal"]),
])
def test_guards(current, target, facts, blockers):
    assert rules.nc_blockers(current, target, facts) == blockers


@pytest.mark.parametrize("deadline,done_on,overdue", [
    (date(2026, 5, 31), None, True), (date(2026, 6, 1), None, False), (date(2026, 5, 1), date(2026, 5, 30), False),
    (None, None, False),
])
def test_action_overdue(deadline, done_on, overdue):
    assert rules.action_overdue(deadline, done_on, date(2026, 6, 1)) is overdue


# --- training -------------------------------------------------------------------------------------

@pytest.mark.parametrize("day,months,expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)), (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2026, 3, 15), 12, date(2027, 3, 15)), (date(2026, 11, 30), 3, date(2027, 2, 28)),
    (date(2026, 12, 1), 1, date(2027, 1, 1)), (date(2026, 5, 31), 24, date(2028, 5, 31)),
])
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize("last_on,status,due", [
    (None, "missing", None),
    (date(2025, 5, 31), "overdue", date(2026, 5, 31)),
    (date(2025, 6, 1), "due", date(2026, 6, 1)),
    (date(2025, 7, 1), "due", date(2026, 7, 1)),
    (date(2025, 7, 2), "ok", date(2026, 7, 2)),
])
def test_training_status(last_on, status, due):
    assert rules.training_status(last_on, 12, date(2026, 6, 1)) == (status, due)


@pytest.mark.parametrize("score,ok", [(None, True), (D("60"), True), (D("59.9"), False), (D("100"), True),
                                      (D("0"), False)])
def test_pass_mark(score, ok):
    assert rules.passed(score) is ok


# --- targets --------------------------------------------------------------------------------------

@pytest.mark.parametrize("target,actual,direction,pct,achieved", [
    ("100", None, "at_least", "0", False),
    ("100", "95", "at_least", "95.0", False),
    ("100", "100", "at_least", "100.0", True),
    ("98", "99", "at_least", "101.0", True),
    ("3", "2", "at_least", "66.7", False),
    ("0", "0", "at_least", "100", True),
    ("0", "0", "at_most", "100", True),
    ("0", "1", "at_most", "0", False),
    ("2", "1", "at_most", "100", True),
    ("2", "4", "at_most", "50.0", False),
])
def test_progress(target, actual, direction, pct, achieved):
    result = rules.progress(D(target), None if actual is None else D(actual), direction)
    assert result == (D(pct), achieved)
