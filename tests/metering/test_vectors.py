"""The meter-test rules against the shared vectors (tests/vectors): the page's preview (metering.js) is held to
the same ones by tests/browser/test_js_vectors.py."""
from decimal import Decimal

import pytest

from fieldsvc.metering import rules
from tests.vectors import ids, load

ERRORS = load("meter_error")
POINTS = load("meter_point")
LOSSES = load("meter_pressure_loss")


@pytest.mark.parametrize("vector", ERRORS, ids=ids(ERRORS))
def test_error_pct(vector):
    got = rules.error_pct(Decimal(vector["input"]["reference_l"]), Decimal(vector["input"]["indicated_l"]))
    assert str(got) == vector["expected"]


@pytest.mark.parametrize("vector", POINTS, ids=ids(POINTS))
def test_point_result(vector):
    i, expected = vector["input"], vector["expected"]
    args = (Decimal(i["flow_m3h"]), Decimal(i["reference_l"]), Decimal(i["indicated_l"]), i["size"],
            i["accuracy_class"], i["verification"])
    if expected["zone"] is None:
        with pytest.raises(ValueError):
            rules.point_result(*args)
        return
    point = rules.point_result(*args)
    assert (point.zone, point.mpe_pct, point.error_pct, point.ok) == (
        expected["zone"], Decimal(expected["mpe"]), Decimal(expected["error"]), expected["ok"])


@pytest.mark.parametrize("vector", LOSSES, ids=ids(LOSSES))
def test_pressure_loss(vector):
    i = vector["input"]
    point = rules.point_result(rules.qmax(i["size"]), Decimal(1), Decimal(1), i["size"], "1.5", "initial")
    verdict = rules.verdict([point], True, Decimal(i["pressure_loss_pa"]), i["size"])
    assert verdict.ok is vector["expected"]
    assert (rules.PRESSURE_LOSS in verdict.failures) is not vector["expected"]
