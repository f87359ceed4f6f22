"""Table-driven tests of the metering rules (RULES.md §7): zone, MPE, error rounding, verdict, validity."""
import random
from datetime import date
from decimal import Decimal as D
from itertools import product

import pytest

from fieldsvc.metering import rules

SIZES = {  # size: (qmin, qmax, qt class 1.5, qt class 1.0), written out from RULES §2 and §7
    "G1.6": ("0.016", "2.5", "0.25", "0.5"),
    "G2.5": ("0.025", "4", "0.4", "0.8"),
    "G4": ("0.04", "6", "0.6", "1.2"),
    "G6": ("0.06", "10", "1.0", "2.0"),
    "G10": ("0.1", "16", "1.6", "3.2"),
    "G16": ("0.16", "25", "2.5", "5.0"),
    "G25": ("0.25", "40", "4.0", "8.0"),
}
MPE_TABLE = {  # (class, zone, verification): ± %
    ("1.5", "low", "initial"): "3", ("1.5", "high", "initial"): "1.5",
    ("1.5", "low", "subsequent"): "3", ("1.5", "high", "subsequent"): "1.5",
    ("1.5", "low", "in_service"): "6", ("1.5", "high", "in_service"): "3",
    ("1.0", "low", "initial"): "2", ("1.0", "high", "initial"): "1",
    ("1.0", "low", "subsequent"): "2", ("1.0", "high", "subsequent"): "1",
    ("1.0", "low", "in_service"): "4", ("1.0", "high", "in_service"): "2",
}
CLASSES = ("1.5", "1.0")
VERIFICATIONS = ("initial", "subsequent", "in_service")
STEP = D("0.001")


def _zone_cases():
    for size, cls, ver in product(SIZES, CLASSES, VERIFICATIONS):
        qmin, qmax, qt15, qt10 = (D(x) for x in SIZES[size])
        qt = qt15 if cls == "1.5" else qt10
        for flow, zone in ((qmin, "low"), (qt - STEP, "low"), (qt, "high"), (qt + STEP, "high"), (qmax, "high")):
            yield pytest.param(size, cls, ver, flow, zone, id=f"{size}-{cls}-{ver}-{flow}")


@pytest.mark.parametrize("size, cls, verification, flow, zone", list(_zone_cases()))
def test_zone_and_mpe_for_every_size_class_and_verification(size, cls, verification, flow, zone):
    assert rules.zone(flow, size, cls) == zone
    assert rules.mpe(rules.zone(flow, size, cls), cls, verification) == D(MPE_TABLE[(cls, zone, verification)])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("cls", CLASSES)
def test_transitional_flow(size, cls):
    expected = SIZES[size][2] if cls == "1.5" else SIZES[size][3]
    assert rules.transitional_flow(size, cls) == D(expected)


@pytest.mark.parametrize("size", SIZES)
def test_flows_outside_the_meter_range_are_not_points(size):
    qmin, qmax = D(SIZES[size][0]), D(SIZES[size][1])
    for flow in (qmin - STEP, qmax + STEP, D(0)):
        assert not rules.flow_in_range(flow, size)
        with pytest.raises(ValueError):
            rules.zone(flow, size, "1.5")


@pytest.mark.parametrize("cls, zone, verification", list(MPE_TABLE))
def test_a_point_exactly_at_the_mpe_passes_and_just_beyond_fails(cls, zone, verification):
    size = "G4"
    flow = D(SIZES[size][0]) if zone == "low" else D(SIZES[size][1])
    limit = D(MPE_TABLE[(cls, zone, verification)])
    ref = D("100.000")
    for sign in (1, -1):
        at = rules.point_result(flow, ref, ref + sign * limit, size, cls, verification)
        beyond = rules.point_result(flow, ref, ref + sign * (limit + D("0.01")), size, cls, verification)
        assert (at.error_pct, at.ok) == (sign * limit, True)
        assert (beyond.error_pct, beyond.ok) == (sign * (limit + D("0.01")), False)
        assert at.mpe_pct == beyond.mpe_pct == limit


@pytest.mark.parametrize("reference, indicated, expected", [
    ("100.000", "101.245", "1.25"),   # .xx5 rounds up (half-even would give 1.24)
    ("100.000", "98.755", "-1.25"),   # and away from zero below zero
    ("100.000", "100.005", "0.01"),
    ("100.000", "99.995", "-0.01"),
    ("100.000", "101.244", "1.24"),
    ("100.000", "101.235", "1.24"),
    ("200.000", "202.490", "1.25"),   # 1.245
    ("200.000", "197.510", "-1.25"),  # −1.245
    ("10.000", "10.000", "0.00"),
    ("3.000", "3.100", "3.33"),       # 3.3333…
    ("3.000", "2.900", "-3.33"),
    ("6.000", "6.100", "1.67"),       # 1.6666…
])
def test_error_is_rounded_half_up_to_two_decimals(reference, indicated, expected):
    e = rules.error_pct(D(reference), D(indicated))
    assert e == D(expected)
    assert e.as_tuple().exponent == -2


def test_error_needs_a_positive_reference():
    with pytest.raises(ValueError):
        rules.error_pct(D(0), D(1))


def test_the_rounded_error_is_the_one_compared():
    # 1.505 % rounds to 1.51 > 1.5: fails, although a 1.504 % would round to 1.50 and pass.
    assert not rules.point_result(D("4"), D("100.000"), D("101.505"), "G2.5", "1.5", "initial").ok
    assert rules.point_result(D("4"), D("100.000"), D("101.504"), "G2.5", "1.5", "initial").ok


def _points(size, cls, errors):
    flows = rules.default_flows(size)
    return [rules.point_result(f, D("100.000"), D("100.000") + D(e), size, cls, "initial")
            for f, e in zip(flows, errors, strict=True)]


@pytest.mark.parametrize("size, leak_ok, loss, errors, ok, failures", [
    ("G2.5", True, "150", ("1", "0.5", "-0.5"), True, []),
    ("G2.5", False, "150", ("1", "0.5", "-0.5"), False, ["leak_test"]),
    ("G2.5", True, "200", ("1", "0.5", "-0.5"), True, []),
    ("G2.5", True, "200.1", ("1", "0.5", "-0.5"), False, ["pressure_loss"]),
    ("G6", True, "200", ("0", "0", "0"), True, []),
    ("G6", True, "201", ("0", "0", "0"), False, ["pressure_loss"]),
    ("G10", True, "300", ("0", "0", "0"), True, []),
    ("G10", True, "300.1", ("0", "0", "0"), False, ["pressure_loss"]),
    ("G25", True, "250", ("0", "0", "0"), True, []),
    ("G2.5", True, "150", ("3.01", "0.5", "-1.6"), False, ["point_1", "point_3"]),
    ("G2.5", False, "250", ("0", "1.51", "0"), False, ["point_2", "leak_test", "pressure_loss"]),
])
def test_verdict(size, leak_ok, loss, errors, ok, failures):
    v = rules.verdict(_points(size, "1.5", errors), leak_ok, D(loss), size)
    assert (v.ok, v.failures) == (ok, failures)


def test_verdict_needs_points():
    with pytest.raises(ValueError):
        rules.verdict([], True, D(0), "G2.5")


@pytest.mark.parametrize("size, limit", [("G1.6", 200), ("G2.5", 200), ("G4", 200), ("G6", 200),
                                         ("G10", 300), ("G16", 300), ("G25", 300)])
def test_pressure_loss_limit(size, limit):
    assert rules.pressure_loss_limit(size) == D(limit)


@pytest.mark.parametrize("size, flows", [
    ("G1.6", ["0.016", "0.5", "2.5"]), ("G2.5", ["0.025", "0.8", "4"]), ("G4", ["0.04", "1.2", "6"]),
    ("G6", ["0.06", "2", "10"]), ("G10", ["0.1", "3.2", "16"]), ("G16", ["0.16", "5", "25"]),
    ("G25", ["0.25", "8", "40"]),
])
def test_default_flows(size, flows):
    assert rules.default_flows(size) == [D(f) for f in flows]
    assert all(str(f) == text for f, text in zip(rules.default_flows(size), flows, strict=True))


@pytest.mark.parametrize("installed, verified_before, verification", [
    (True, True, "in_service"), (True, False, "in_service"),  # at a customer's: in service, whatever its past
    (False, False, "initial"), (False, True, "subsequent")])
def test_default_verification(installed, verified_before, verification):
    assert rules.default_verification(installed, verified_before) == verification


@pytest.mark.parametrize("size, gas, verified, until", [
    ("G2.5", "NG", date(2026, 11, 28), date(2036, 11, 27)),
    ("G2.5", None, date(2026, 11, 28), date(2036, 11, 27)),   # a meter in stock counts as NG
    ("G2.5", "LPG", date(2026, 11, 28), date(2032, 11, 27)),
    ("G4", "MG", date(2026, 11, 28), date(2032, 11, 27)),
    ("G6", "NG", date(2026, 1, 1), date(2035, 12, 31)),
    ("G10", "NG", date(2026, 11, 28), date(2029, 11, 27)),   # above G6: 3 years whatever the gas
    ("G25", "LPG", date(2026, 11, 28), date(2029, 11, 27)),
    ("G2.5", "NG", date(2028, 2, 29), date(2038, 2, 27)),     # 29 Feb → 28 Feb, minus a day
])
def test_certificate_validity(size, gas, verified, until):
    assert rules.certificate_valid_until(size, gas, verified) == until


@pytest.mark.parametrize("kind, year, seq, number", [
    ("certificate", 2026, 1, "JD-2026-000001"), ("notice", 2026, 42, "TZ-2026-000042"),
    ("certificate", 2027, 999999, "JD-2027-999999"),
])
def test_document_number(kind, year, seq, number):
    assert rules.document_number(kind, year, seq) == number


@pytest.mark.parametrize("seq", [0, 1_000_000])
def test_document_number_range(seq):
    with pytest.raises(ValueError):
        rules.document_number("certificate", 2026, seq)


@pytest.mark.parametrize("valid_until, superseded, status", [
    (date(2036, 11, 27), False, "valid"), (date(2026, 11, 28), False, "valid"),
    (date(2026, 11, 27), False, "expired"), (None, False, "valid"), (date(2036, 11, 27), True, "superseded"),
    (date(2020, 1, 1), True, "superseded"),
])
def test_document_status(valid_until, superseded, status):
    assert rules.document_status(valid_until, superseded, date(2026, 11, 28)) == status


@pytest.mark.parametrize("expires, status", [
    (date(2026, 11, 27), "expired"), (date(2026, 11, 28), "expiring"), (date(2026, 12, 28), "expiring"),
    (date(2026, 12, 29), "valid"),
])
def test_equipment_status(expires, status):
    assert rules.equipment_status(expires, date(2026, 11, 28), 30) == status


@pytest.mark.parametrize("billed, mean_error, delta", [
    ("1200", "2.5", "29.27"),      # 1200 × 2.5 / 102.5 = 29.268…: refunded
    ("1200", "-3", "-37.11"),      # 1200 × −3 / 97: under-registered
    ("0", "5", "0.00"), ("850.5", "0", "0.00"), ("100", "100", "50.00"),
])
def test_back_billing_volume(billed, mean_error, delta):
    assert rules.back_billing_volume(D(billed), D(mean_error)) == D(delta)


def test_back_billing_refuses_nonsense_error():
    with pytest.raises(ValueError):
        rules.back_billing_volume(D(100), D(-100))


@pytest.mark.parametrize("errors, mean", [(["1", "2", "4"], "2.33"), (["-1.25", "0.5", "0"], "-0.25"),
                                          (["0.005", "0"], "0.00"), (["0.01", "0"], "0.01")])
def test_mean_error(errors, mean):
    assert rules.mean_error([D(e) for e in errors]) == D(mean)


@pytest.mark.parametrize("day, monday", [(date(2026, 11, 23), date(2026, 11, 23)),
                                         (date(2026, 11, 29), date(2026, 11, 23)),
                                         (date(2026, 11, 30), date(2026, 11, 30))])
def test_week_start(day, monday):
    assert rules.week_start(day) == monday


def test_age_weight_grows_with_age():
    today = date(2026, 11, 28)
    assert rules.age_weight(today, today) == 1.0
    assert rules.age_weight(date(2016, 11, 28), today) == pytest.approx(11.0, abs=0.01)
    assert rules.age_weight(None, today) == 11.0


def test_weighted_sample_is_distinct_repeatable_and_favours_heavy_items():
    candidates = [(i, 10.0 if i < 10 else 1.0) for i in range(100)]
    a = rules.weighted_sample(candidates, 20, random.Random(7))
    assert a == rules.weighted_sample(candidates, 20, random.Random(7))
    assert len(set(a)) == 20
    assert rules.weighted_sample(candidates, 500, random.Random(1)).__len__() == 100
    assert rules.weighted_sample(candidates, 0, random.Random(1)) == []
    heavy = sum(1 for seed in range(200) for i in rules.weighted_sample(candidates, 10, random.Random(seed)) if i < 10)
    # 10 heavy items carry half the weight: far more than their 10 % share of draws.
    assert heavy / (200 * 10) > 0.35


def test_page_figures_carry_what_the_script_needs():
    figures = rules.page_figures("G2.5", "1.0")
    assert figures == {"qmin": "0.025", "qmax": "4", "qt": "0.8", "pressure_loss_limit": "200",
                       "mpe": {"initial": {"low": "2", "high": "1"}, "subsequent": {"low": "2", "high": "1"},
                               "in_service": {"low": "4", "high": "2"}}}


@pytest.mark.parametrize("day, months, start", [
    (date(2026, 11, 28), 12, date(2025, 11, 28)), (date(2026, 3, 31), 1, date(2026, 2, 28)),
    (date(2028, 3, 31), 1, date(2028, 2, 29)), (date(2026, 1, 15), 12, date(2025, 1, 15)),
    (date(2026, 5, 31), 3, date(2026, 2, 28)),
])
def test_months_before(day, months, start):
    assert rules.months_before(day, months) == start


@pytest.mark.parametrize("delta, billed, amount, expected", [
    ("29.27", "1200", "3360.00", "81.96"),   # mean price 2.80 yuan/m³
    ("-37.11", "1200", "3132.00", "-96.86"),
    ("10", "0", "0", None),
])
def test_back_billing_amount(delta, billed, amount, expected):
    result = rules.back_billing_amount(D(delta), D(billed), D(amount))
    assert result == (D(expected) if expected else None)


def test_lab_due():
    assert rules.lab_due(date(2026, 11, 28), 3) == date(2026, 12, 1)
