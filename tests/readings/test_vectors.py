"""Consumption across the register's rollover against the shared vectors (tests/vectors): the stop page's
"used … m³" hint (readings.js) is held to the same ones by tests/browser/test_js_vectors.py."""
from decimal import Decimal

import pytest

from fieldsvc.readings import rules
from tests.vectors import ids, load

CONSUMPTION = load("consumption")


@pytest.mark.parametrize("vector", CONSUMPTION, ids=ids(CONSUMPTION))
def test_raw_consumption(vector):
    i = vector["input"]
    used, _code = rules.raw_consumption(Decimal(i["value"]), Decimal(i["previous"]), i["digits"])
    assert used == Decimal(vector["expected"])
