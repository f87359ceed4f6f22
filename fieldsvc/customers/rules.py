"""Pure rules about customers, meters and appliances (RULES.md §2). No database, no Flask."""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum


class Category(StrEnum):
    residential = "residential"
    commercial = "commercial"
    industrial = "industrial"


class Gas(StrEnum):
    NG = "NG"
    LPG = "LPG"
    MG = "MG"


class MeterKind(StrEnum):
    diaphragm = "diaphragm"
    ic_card = "ic_card"
    smart = "smart"


class MeterLocation(StrEnum):
    indoor = "indoor"
    outdoor = "outdoor"


class MeterStatus(StrEnum):
    in_stock = "in_stock"
    installed = "installed"
    removed = "removed"
    scrapped = "scrapped"


class Supply(StrEnum):
    """Whether gas flows to the customer: separate from the account status (RULES.md §5)."""
    on = "on"
    shut_off = "shut_off"


class SupplyReason(StrEnum):
    arrears = "arrears"
    safety = "safety"
    emergency = "emergency"
    request = "request"


class CustomerStatus(StrEnum):
    active = "active"
    suspended = "suspended"
    closed = "closed"


class ApplianceKind(StrEnum):
    stove = "stove"
    water_heater = "water_heater"
    wall_boiler = "wall_boiler"
    other = "other"


FLUE_TYPES = ("none", "natural", "forced", "balanced")
ACCURACY_CLASSES = ("1.5", "1.0")


@dataclass(frozen=True)
class MeterSize:
    qmax: Decimal  # m³/h
    qmin: Decimal


METER_SIZES: dict[str, MeterSize] = {
    "G1.6": MeterSize(Decimal("2.5"), Decimal("0.016")),
    "G2.5": MeterSize(Decimal("4"), Decimal("0.025")),
    "G4": MeterSize(Decimal("6"), Decimal("0.04")),
    "G6": MeterSize(Decimal("10"), Decimal("0.06")),
    "G10": MeterSize(Decimal("16"), Decimal("0.1")),
    "G16": MeterSize(Decimal("25"), Decimal("0.16")),
    "G25": MeterSize(Decimal("40"), Decimal("0.25")),
}

HOUSEHOLD_QMAX_LIMIT = Decimal("10")  # qmax ≤ 10 m³/h: a household meter with a service life
METER_LIFE_YEARS = {Gas.NG: 10, Gas.LPG: 6, Gas.MG: 6}
LARGE_METER_PERIOD_YEARS = 3
METER_LIFE_WARN_DAYS = 90

APPLIANCE_LIFE_YEARS = {
    (ApplianceKind.stove, None): 8,
    (ApplianceKind.water_heater, Gas.NG): 8,
    (ApplianceKind.water_heater, Gas.LPG): 8,
    (ApplianceKind.water_heater, Gas.MG): 6,
}
OTHER_APPLIANCE_LIFE_YEARS = 10


def add_years(day: date, years: int) -> date:
    """Same month and day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def is_household_meter(size: str) -> bool:
    return METER_SIZES[size].qmax <= HOUSEHOLD_QMAX_LIMIT


def meter_life_years(size: str, gas: str) -> int:
    """Years of validity from a verification: service life for household meters, else the period."""
    if is_household_meter(size):
        return METER_LIFE_YEARS[Gas(gas)]
    return LARGE_METER_PERIOD_YEARS


def meter_life_ends(size: str, gas: str, first_verified_on: date) -> date:
    """Last day the meter may stay in service (verification date + life − 1 day)."""
    return add_years(first_verified_on, meter_life_years(size, gas)) - timedelta(days=1)


def meter_life_status(size: str, gas: str, first_verified_on: date | None, today: date) -> str:
    """'ok', 'due_soon' (within 90 days) or 'expired'; 'unknown' without a verification date."""
    if first_verified_on is None:
        return "unknown"
    ends = meter_life_ends(size, gas, first_verified_on)
    if ends < today:
        return "expired"
    if ends <= today + timedelta(days=METER_LIFE_WARN_DAYS):
        return "due_soon"
    return "ok"


def appliance_life_years(kind: str, gas: str) -> int:
    kind = ApplianceKind(kind)
    if kind == ApplianceKind.stove:
        return APPLIANCE_LIFE_YEARS[(kind, None)]
    if kind == ApplianceKind.water_heater:
        return APPLIANCE_LIFE_YEARS[(kind, Gas(gas))]
    return OTHER_APPLIANCE_LIFE_YEARS


def appliance_expired(kind: str, gas: str, sold_on: date | None, today: date) -> bool:
    """Past its life (GB 17905) from the sale date; unknown sale date: not judged expired."""
    if sold_on is None:
        return False
    return add_years(sold_on, appliance_life_years(kind, gas)) <= today


def format_address(estate: str | None, building: str | None, unit: str | None,
                   floor: str | None, room: str | None) -> str:
    """The full address line in the Chinese order: estate 3栋 2单元 5层 502室."""
    parts = [estate or ""]
    for value, suffix in ((building, "栋"), (unit, "单元"), (floor, "层"), (room, "室")):
        if value:
            parts.append(value if not value.isdigit() else f"{value}{suffix}")
    return " ".join(p for p in parts if p).strip()


# --- customer change requests (过户, 销户, change of use category) -----------------------------------

class ChangeKind(StrEnum):
    transfer = "transfer"                  # 过户: a new owner (name, phone, ID document)
    close = "close"                        # 销户: final reading, card deactivated, gas shut off
    category_change = "category_change"    # a new use category, and so a new tariff, from a date


class ChangeStatus(StrEnum):
    requested = "requested"
    approved = "approved"    # approved and applied in the same transaction
    rejected = "rejected"


# What a request of each kind must carry (beyond customer_id and kind).
CHANGE_REQUIRES = {
    ChangeKind.transfer: ("new_name", "new_phone"),
    ChangeKind.close: ("close_reason",),
    ChangeKind.category_change: ("new_category", "effective_on"),
}

# What each kind carries (the request's own fields).
CHANGE_FIELDS = {
    ChangeKind.transfer: ("new_name", "new_phone"),
    ChangeKind.close: ("final_reading", "close_reason"),
    ChangeKind.category_change: ("new_category", "effective_on"),
}

# Customer fields that only an approved change request may set, and the kind that sets them.
GUARDED_FIELDS = {"name": ChangeKind.transfer, "phone": ChangeKind.transfer,
                  "category": ChangeKind.category_change}


def category_on(current: str, changes: list[tuple[date, str, str]], day: date) -> str:
    """The use category that prices gas used up to `day`, given the customer's category now and its
    applied category changes as (effective_on, old, new): a change counts from its effective date on
    (inclusive). Before the first change, the first change's old category; with none, `current`."""
    ordered = sorted(changes, key=lambda c: c[0])
    if not ordered:
        return current
    category = ordered[0][1]
    for effective_on, _old, new in ordered:
        if effective_on <= day:
            category = new
    return category
