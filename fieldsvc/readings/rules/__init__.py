"""Pure rules of the readings domain (RULES.md §3 and §4): reading checks and estimates, tiered prices,
late fees and collection stages. No database, no Flask; every page, API call and export uses these.

Other domains import from here, e.g. the IC-card sales domain:
`from fieldsvc.readings.rules import Tier, split_tiers`.
"""
from fieldsvc.readings.rules.arrears import (
    DUE_DAYS,
    GRACE_DAYS,
    RESTORE_WITHIN_HOURS,
    Stage,
    allocate,
    daily_rate,
    due_date,
    fee_days,
    late_fee,
    may_approve_suspension,
    may_serve_notice,
    stage,
)
from fieldsvc.readings.rules.periods import Mark, past_periods
from fieldsvc.readings.rules.reading import (
    API_KINDS,
    CLIENT_MAX_AGE,
    CLIENT_SKEW,
    CONFIRMABLE,
    ONCE_A_CYCLE,
    Code,
    Context,
    DatedPeriod,
    Kind,
    Outcome,
    Period,
    Previous,
    SkipCode,
    check_reading,
    client_time,
    cycle_bounds,
    cycle_of,
    days_between,
    estimate_consumption,
    estimated_value,
    expected_range,
    mean_per_day,
    previous_cycle,
    raw_consumption,
    register_limit,
    start_of_day,
)
from fieldsvc.readings.rules.tariff import (
    DEFAULT_CYCLE_START,
    FLAT_PRICES,
    RESIDENTIAL_TIERS,
    Tier,
    TierLine,
    bill_lines,
    check_tiers,
    cycle_start_of,
    money,
    split_by_cycle,
    split_tiers,
    total,
)

__all__ = [
    "API_KINDS", "CLIENT_MAX_AGE", "CLIENT_SKEW", "CONFIRMABLE", "DEFAULT_CYCLE_START", "DUE_DAYS", "FLAT_PRICES", "GRACE_DAYS",
    "RESIDENTIAL_TIERS", "RESTORE_WITHIN_HOURS", "Code", "Context", "DatedPeriod", "Kind", "Mark", "ONCE_A_CYCLE", "Outcome",
    "Period", "Previous", "SkipCode", "Stage", "Tier", "TierLine", "allocate", "bill_lines", "check_reading",
    "check_tiers", "client_time", "cycle_bounds", "cycle_of", "cycle_start_of", "daily_rate", "days_between", "due_date",
    "estimate_consumption", "estimated_value", "expected_range", "fee_days", "late_fee",
    "may_approve_suspension", "may_serve_notice", "mean_per_day", "money", "past_periods", "previous_cycle",
    "raw_consumption", "register_limit", "split_by_cycle", "split_tiers", "stage", "start_of_day", "total",
]
