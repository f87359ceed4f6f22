"""The LEC and aspect rules against the shared vectors (tests/vectors): the page's preview (hse.js) is held to
the same ones by tests/browser/test_js_vectors.py."""
from decimal import Decimal

import pytest

from fieldsvc.hse import rules
from tests.vectors import ids, load

LEC = load("lec")
ASPECTS = load("aspect")


@pytest.mark.parametrize("vector", LEC, ids=ids(LEC))
def test_lec(vector):
    i, expected = vector["input"], vector["expected"]
    got = rules.assess(i["l"], i["e"], i["c"], i["criteria"])
    assert (got.d, got.grade, got.significant) == (Decimal(expected["d"]), expected["grade"], expected["significant"])
    assert rules.fmt(got.d) == expected["d"]


@pytest.mark.parametrize("vector", ASPECTS, ids=ids(ASPECTS))
def test_aspect(vector):
    i, expected = vector["input"], vector["expected"]
    assert rules.aspect_score(i["kind"], i["scores"]) == (expected["total"], expected["significant"])
