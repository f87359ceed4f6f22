"""Table tests of the contractor rules: a licence's state, what blocks giving a contractor work."""
from datetime import date

import pytest

from fieldsvc.contractors import rules

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize("expires_on, state", [
    (None, "expired"), (date(2026, 12, 6), "expired"), (date(2026, 12, 7), "expiring"), (date(2027, 1, 6), "expiring"),
    (date(2027, 1, 7), "valid"), (date(2030, 1, 1), "valid"),
])
def test_licence_state(expires_on, state):
    assert rules.licence_state(expires_on, TODAY) == state


@pytest.mark.parametrize("active, expires_on, start, end, blocker", [
    (True, date(2027, 6, 1), date(2026, 12, 7), date(2026, 12, 9), None),
    (False, date(2027, 6, 1), date(2026, 12, 7), date(2026, 12, 9), "inactive"),
    (True, date(2026, 12, 6), date(2026, 12, 7), date(2026, 12, 9), "expired"),  # ran out yesterday
    (True, date(2026, 12, 6), date(2026, 12, 1), date(2026, 12, 5), "expired"),  # backdated: still today's licence
    (True, date(2026, 12, 20), date(2026, 12, 21), date(2026, 12, 22), "expired"),  # expired when the work starts
    (True, date(2027, 6, 1), date(2026, 12, 9), date(2026, 12, 8), "period"),
    (True, date(2026, 12, 10), date(2026, 12, 7), date(2026, 12, 11), "outlasts"),
    (True, date(2026, 12, 10), date(2026, 12, 7), date(2026, 12, 10), None),  # ends on the last valid day
])
def test_assignment_blocker(active, expires_on, start, end, blocker):
    assert rules.assignment_blocker(active, expires_on, start, end, TODAY) == blocker
