"""The stove-front pressure rule against the shared vectors (tests/vectors): the page's preview
(inspections.js) is held to the same ones by tests/browser/test_js_vectors.py."""
import pytest

from fieldsvc.inspections import rules
from tests.vectors import ids, load

PRESSURES = load("stove_pressure")


@pytest.mark.parametrize("vector", PRESSURES, ids=ids(PRESSURES))
def test_evaluate(vector):
    i, expected = vector["input"], vector["expected"]
    got = rules.evaluate(i["gas"], i["static_pa"], i["working_pa"])
    assert (got.verdict, got.restriction) == (expected["verdict"], expected["restriction"])
