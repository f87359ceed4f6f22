"""Helpers for the HSE tests: a valid hazard and aspect payload to vary one field at a time."""
import pytest


@pytest.fixture
def hazard_payload():
    def make(**changes):
        payload = {"activity": "Household leak response", "description": "Gas ignites during the response",
                   "accident_type": "other_explosion", "l": "3", "e": "3", "c": "40"}
        payload.update(changes)
        return payload
    return make


@pytest.fixture
def aspect_payload():
    def make(kind="pollution", **changes):
        scores = {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1} if kind == "pollution" else {"f": 1, "g": 1}
        payload = {"activity": "Purging", "aspect": "Methane vented", "impact": "Greenhouse gas", "kind": kind,
                   **scores}
        payload.update(changes)
        return payload
    return make
