"""RULES.md §2: meter sizes, service life, appliance life, address formatting."""
from datetime import date
from decimal import Decimal

import pytest

from fieldsvc.customers import rules


@pytest.mark.parametrize("size, qmax, qmin, household", [
    ("G1.6", "2.5", "0.016", True), ("G2.5", "4", "0.025", True), ("G4", "6", "0.04", True),
    ("G6", "10", "0.06", True), ("G10", "16", "0.1", False), ("G16", "25", "0.16", False),
    ("G25", "40", "0.25", False),
])
def test_meter_sizes(size, qmax, qmin, household):
    assert rules.METER_SIZES[size].qmax == Decimal(qmax)
    assert rules.METER_SIZES[size].qmin == Decimal(qmin)
    assert rules.is_household_meter(size) is household


@pytest.mark.parametrize("size, gas, verified, ends", [
    ("G2.5", "NG", date(2026, 11, 28), date(2036, 11, 27)),  # RULES §7 example
    ("G2.5", "LPG", date(2026, 11, 28), date(2032, 11, 27)),
    ("G2.5", "MG", date(2026, 11, 28), date(2032, 11, 27)),
    ("G6", "NG", date(2020, 1, 1), date(2029, 12, 31)),
    ("G10", "NG", date(2026, 11, 28), date(2029, 11, 27)),  # above G6: 3-year period
    ("G25", "LPG", date(2026, 11, 28), date(2029, 11, 27)),
    ("G4", "NG", date(2024, 2, 29), date(2034, 2, 27)),  # leap day: 28 Feb minus one day
])
def test_meter_life_ends(size, gas, verified, ends):
    assert rules.meter_life_ends(size, gas, verified) == ends


@pytest.mark.parametrize("today, status", [
    (date(2036, 8, 28), "ok"),          # 91 days before the end
    (date(2036, 8, 29), "due_soon"),    # 90 days before: flagged
    (date(2036, 11, 27), "due_soon"),   # last valid day
    (date(2036, 11, 28), "expired"),
])
def test_meter_life_status(today, status):
    assert rules.meter_life_status("G2.5", "NG", date(2026, 11, 28), today) == status


def test_meter_life_unknown_without_verification():
    assert rules.meter_life_status("G2.5", "NG", None, date(2026, 1, 1)) == "unknown"


@pytest.mark.parametrize("kind, gas, years", [
    ("stove", "NG", 8), ("stove", "MG", 8), ("water_heater", "NG", 8), ("water_heater", "LPG", 8),
    ("water_heater", "MG", 6), ("wall_boiler", "NG", 10), ("other", "LPG", 10),
])
def test_appliance_life(kind, gas, years):
    sold = date(2018, 6, 1)
    assert rules.appliance_life_years(kind, gas) == years
    assert not rules.appliance_expired(kind, gas, sold, date(2018 + years, 5, 31))
    assert rules.appliance_expired(kind, gas, sold, date(2018 + years, 6, 1))


def test_appliance_without_sale_date_not_expired():
    assert not rules.appliance_expired("stove", "NG", None, date(2050, 1, 1))


@pytest.mark.parametrize("parts, line", [
    (("幸福小区", "3", "2", "5", "502"), "幸福小区 3栋 2单元 5层 502室"),
    (("建设路88号", None, None, None, None), "建设路88号"),
    (("阳光花园", "A座", None, None, "1201"), "阳光花园 A座 1201室"),
])
def test_format_address(parts, line):
    assert rules.format_address(*parts) == line
