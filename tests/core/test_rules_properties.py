"""Properties of the domain rules that must hold for every input, not only the tabled ones (hypothesis)."""
from datetime import date
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fieldsvc.cardsales import rules as card_rules
from fieldsvc.customers.rules import METER_SIZES
from fieldsvc.hse import rules as hse_rules
from fieldsvc.inspections import rules as insp_rules
from fieldsvc.metering import rules as metering_rules
from fieldsvc.readings.rules import tariff

volumes = st.decimals(min_value=0, max_value=5000, places=0)
litres = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(1000), places=3)
SETTINGS = settings(max_examples=200, deadline=None)


@SETTINGS
@given(volume=volumes, used=volumes)
def test_tier_split_adds_up_and_is_progressive(volume, used):
    lines = tariff.split_tiers(volume, used, tariff.RESIDENTIAL_TIERS)
    assert sum(line.volume_m3 for line in lines) == volume
    assert all(line.amount == tariff.money(line.volume_m3 * line.price) for line in lines)
    prices = [line.price for line in lines]
    assert prices == sorted(prices)  # a later m³ never costs less than an earlier one


@SETTINGS
@given(a=volumes, b=volumes, used=volumes)
def test_splitting_a_purchase_in_two_costs_the_same_volume_for_volume(a, b, used):
    whole = tariff.split_tiers(a + b, used, tariff.RESIDENTIAL_TIERS)
    first = tariff.split_tiers(a, used, tariff.RESIDENTIAL_TIERS)
    second = tariff.split_tiers(b, used + a, tariff.RESIDENTIAL_TIERS)
    exact = lambda lines: sum(line.volume_m3 * line.price for line in lines)  # noqa: E731
    assert exact(whole) == exact(first) + exact(second)


@SETTINGS
@given(amount=st.decimals(min_value=Decimal("2.61"), max_value=Decimal(20000), places=2), used=volumes)
def test_quote_by_amount_never_charges_more_than_handed_over(amount, used):
    try:
        quote = card_rules.quote_by_amount(amount, used, tariff.RESIDENTIAL_TIERS)
    except card_rules.QuoteError:
        return
    assert quote.amount <= amount
    assert quote.amount + quote.change == quote.tendered
    more = card_rules.quote_by_volume(quote.volume_m3 + 1, used, tariff.RESIDENTIAL_TIERS)
    assert more.amount > amount  # one more m³ would not have been affordable


@SETTINGS
@given(reference=litres, indicated=litres)
def test_meter_error_is_rounded_half_up_to_two_places(reference, indicated):
    error = metering_rules.error_pct(reference, indicated)
    exact = (indicated - reference) / reference * 100
    assert error == error.quantize(Decimal("0.01"))
    assert abs(error - exact) <= Decimal("0.005")
    assert metering_rules.error_pct(indicated, indicated) == 0


@SETTINGS
@given(size=st.sampled_from(sorted(METER_SIZES)),
       cls=st.sampled_from(["1.5", "1.0"]), kind=st.sampled_from(["initial", "subsequent", "in_service"]),
       share=st.decimals(min_value=Decimal("0.001"), max_value=Decimal(1), places=3))
def test_in_service_mpe_is_twice_the_verification_mpe(size, cls, kind, share):
    flow = metering_rules.qmax(size) * share
    assume(metering_rules.flow_in_range(flow, size))
    zone = metering_rules.zone(flow, size, cls)
    assert metering_rules.mpe(zone, cls, "in_service") == 2 * metering_rules.mpe(zone, cls, "initial")
    assert metering_rules.mpe(zone, cls, "subsequent") == metering_rules.mpe(zone, cls, "initial")


@SETTINGS
@given(l_value=st.sampled_from(["10", "6", "3", "1", "0.5", "0.2", "0.1"]),
       e_value=st.sampled_from(["10", "6", "3", "2", "1", "0.5"]),
       c_value=st.sampled_from(["100", "40", "15", "7", "3", "1"]))
def test_lec_grade_never_improves_as_risk_grows(l_value, e_value, c_value):
    d = hse_rules.lec_d(l_value, e_value, c_value)
    grade, _colour = hse_rules.grade_of(d)
    worse, _ = hse_rules.grade_of(d * 2)
    assert worse <= grade  # grade 1 is the worst
    assert hse_rules.is_significant(grade) == (grade <= 2)


@SETTINGS
@given(gas=st.sampled_from(["NG", "LPG", "MG"]), working=st.integers(min_value=0, max_value=8000),
       drop=st.integers(min_value=0, max_value=4000))
def test_pressure_verdict_follows_the_band(gas, working, drop):
    low, high = insp_rules.band(gas)
    result = insp_rules.evaluate(gas, working + drop, working)
    expected = "low" if working < low else "high" if working > high else "normal"
    assert result.verdict == expected
    static = working + drop
    assert result.restriction == (static > 0 and Decimal(drop) / Decimal(static) > Decimal("0.25"))


@SETTINGS
@given(found=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
def test_hazard_deadlines_by_grade(found):
    assert insp_rules.hazard_deadline("A", found) == found
    assert (insp_rules.hazard_deadline("B", found) - found).days == 15
    assert insp_rules.hazard_deadline("C", found) is None
