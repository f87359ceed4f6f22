"""Pure rules of household safety inspections (RULES.md §6, gas families of §2). No database, no Flask.

Every figure is a default a deployment may override (the services pass app.config tables in):
inspection cycles per customer category, the rated pressure of each gas family, the hazard deadlines.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Outcome(StrEnum):
    completed = "completed"
    refused = "refused"  # 拒绝入户
    nobody_home = "nobody_home"  # 到访不遇


class Grade(StrEnum):
    A = "A"  # shut off the supply now, the customer signs the notice
    B = "B"  # fix within 15 days
    C = "C"  # advise only


class Verdict(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"


class HazardStatus(StrEnum):
    open = "open"  # found; its rectification order waits for a pipe fitter
    rectifying = "rectifying"  # the pipe fitter has taken the job
    awaiting_recheck = "awaiting_recheck"  # the order is done and before/after photos are on file
    closed = "closed"  # a re-check confirmed the fix
    advised = "advised"  # grade C: the customer was advised, nothing to rectify


class DoorGap(StrEnum):
    no_leak = "no_leak"
    leak = "leak"


class Scope(StrEnum):
    household = "household"  # 入户安检: the whole checklist, the annual cycle
    indoor_pipe = "indoor_pipe"  # 户内管道检查: a pipe fitter's check of pipes, meter, valves and joints


# The checklist sections a pipe fitter's check walks (docs/INSPECTIONS.md): the detector at the valves,
# meter and joints (entry), the meter, the indoor pipes and their valves. Kitchen, bathroom and rooms
# (hoses, appliances, flues, ventilation) stay with the household inspection.
PIPE_SECTIONS = ("entry", "meter", "pipes")


def sections_for(scope: str) -> tuple[str, ...] | None:
    """The checklist sections a visit of this scope walks; None: all of them."""
    return PIPE_SECTIONS if scope == Scope.indoor_pipe else None


def item_in_scope(section: str, scope: str) -> bool:
    sections = sections_for(scope)
    return sections is None or section in sections


# Facility data a pipe fitter keeps on the archive (codes; words in labels.py).
METER_LOCATIONS = ("kitchen", "balcony", "hallway", "stairwell", "outdoor_box", "other")
PIPE_MATERIALS = ("steel", "galvanised", "stainless_corrugated", "pe_al_pe", "copper", "other")


# --- stove-front pressure ------------------------------------------------------------------------

# Rated pressure Pn at the appliance inlet (Pa); the normal band is 0.75–1.5 Pn (RULES.md §2).
RATED_PRESSURE_PA: dict[str, Decimal] = {"NG": Decimal(2000), "LPG": Decimal(2800), "MG": Decimal(1000)}
BAND_LOW_FACTOR = Decimal("0.75")
BAND_HIGH_FACTOR = Decimal("1.5")
# (static − working) / static above this share means the supply is restricted (a kinked hose, a
# clogged regulator): the drop exactly at the share is still acceptable.
RESTRICTION_SHARE = Decimal("0.25")


@dataclass(frozen=True)
class PressureResult:
    verdict: Verdict
    band: tuple[Decimal, Decimal]
    restriction: bool | None  # None when no static pressure was measured


def band(gas: str, rated: dict[str, Decimal] | None = None) -> tuple[Decimal, Decimal]:
    """The normal working-pressure band (min, max) in Pa of a gas family, both ends included."""
    pn = Decimal((rated or RATED_PRESSURE_PA)[gas])
    return pn * BAND_LOW_FACTOR, pn * BAND_HIGH_FACTOR


def verdict(gas: str, working_pa, rated: dict[str, Decimal] | None = None) -> Verdict:
    """low / normal / high from the WORKING pressure (burners on); the band's ends are normal."""
    low, high = band(gas, rated)
    working = Decimal(working_pa)
    if working < low:
        return Verdict.low
    if working > high:
        return Verdict.high
    return Verdict.normal


def restricted(static_pa, working_pa, share: Decimal = RESTRICTION_SHARE) -> bool:
    """True when (static − working) / static > share. Compared as a product: exact, no division."""
    static, working = Decimal(static_pa), Decimal(working_pa)
    if static <= 0:
        return False
    return (static - working) > share * static


def evaluate(gas: str, static_pa, working_pa, rated: dict[str, Decimal] | None = None) -> PressureResult:
    """The verdict on a stove-front measurement, the same for the form, the API and the sampling."""
    return PressureResult(verdict(gas, working_pa, rated), band(gas, rated),
                          None if static_pa is None else restricted(static_pa, working_pa))


def pressure_anomaly(result: PressureResult | None) -> bool:
    """A sample the station chief must look at: outside the band, or restricted."""
    return result is not None and (result.verdict != Verdict.normal or bool(result.restriction))


# --- hazards -------------------------------------------------------------------------------------

# Days from the day of the inspection to the last day of rectification; None: advise only.
DEADLINE_DAYS: dict[str, int | None] = {Grade.A: 0, Grade.B: 15, Grade.C: None}


def hazard_deadline(grade: str, found_on: date, days: dict | None = None) -> date | None:
    """Last day to rectify: A the same day, B 15 days later, C none (advice only)."""
    n = (days or DEADLINE_DAYS)[Grade(grade)]
    return None if n is None else found_on + timedelta(days=n)


def opens_order(grade: str) -> bool:
    """Grade A and B findings open a rectification order for a pipe fitter."""
    return Grade(grade) in (Grade.A, Grade.B)


def order_priority(grade: str) -> str:
    return "urgent" if Grade(grade) == Grade.A else "normal"


def worst_grade(grades) -> str | None:
    """A before B before C; None when there is no finding."""
    found = {Grade(g) for g in grades}
    return next((g.value for g in Grade if g in found), None)


DONE_ORDER = frozenset({"completed", "closed"})
STARTED_ORDER = frozenset({"accepted", "en_route", "on_site"})
WAITING_ORDER = frozenset({"new", "assigned"})
TERMINAL = frozenset({HazardStatus.closed, HazardStatus.advised})
UNRECTIFIED = frozenset({HazardStatus.open, HazardStatus.rectifying})


def rectified(order_status: str | None) -> bool:
    """The pipe fitter's order is done (completed, or closed by the chief)."""
    return order_status in DONE_ORDER


def derive_status(status: str, order_status: str | None, has_before: bool, has_after: bool) -> HazardStatus:
    """The hazard's state read from its rectification order and the evidence on file.

    A re-check decides `closed`; nothing else closes a hazard. A done order without both photos
    stays `rectifying` (nothing moves on without evidence); a cancelled order puts it back to `open`.
    """
    status = HazardStatus(status)
    if status in TERMINAL or order_status is None:
        return status
    if order_status in DONE_ORDER:
        return HazardStatus.awaiting_recheck if has_before and has_after else HazardStatus.rectifying
    if order_status in STARTED_ORDER:
        return HazardStatus.rectifying
    return HazardStatus.open  # new, assigned, or cancelled (a new order is needed)


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    """Not rectified after the end of its deadline day: escalates to the safety officer."""
    return HazardStatus(status) in UNRECTIFIED and deadline is not None and today > deadline


def may_close(status: str, has_before: bool, has_after: bool) -> bool:
    """A re-check can close only a rectified hazard with before and after photos."""
    return HazardStatus(status) == HazardStatus.awaiting_recheck and has_before and has_after


# --- what an inspection must record ----------------------------------------------------------------

NOBODY_HOME_LIMIT = 3  # the 3rd nobody-home in a cycle: door-gap leak check, long-term uninspected


def door_gap_required(nobody_home_visits_in_cycle: int) -> bool:
    """`nobody_home_visits_in_cycle` counts this visit too."""
    return nobody_home_visits_in_cycle >= NOBODY_HOME_LIMIT


def missing_records(outcome: str, grades, supply_shut_off: bool, signed: bool, no_signature_reason: str | None,
                    refused_by: str | None, door_gap_needed: bool, door_gap: str | None) -> list[str]:
    """The fields RULES.md §6 asks for that this visit has not recorded (codes, empty when complete).

    Grade A: the supply shut off and the customer's signature on the notice. Grade B: the signature,
    or why there is none. Refusal: who refused. Third nobody-home: the door-gap leak check.
    """
    missing = []
    outcome = Outcome(outcome)
    worst = worst_grade(grades) if outcome == Outcome.completed else None
    if worst == Grade.A:
        if not supply_shut_off:
            missing.append("supply_shut_off")
        if not signed:
            missing.append("signature")
    elif worst == Grade.B and not signed and not (no_signature_reason or "").strip():
        missing.append("signature")
    if outcome == Outcome.refused and not (refused_by or "").strip():
        missing.append("refused_by")
    if outcome == Outcome.nobody_home and door_gap_needed and not door_gap:
        missing.append("door_gap_check")
    return missing


# --- visits at other times of day ------------------------------------------------------------------

SLOTS = ("weekday_morning", "weekday_afternoon", "weekday_evening",
         "weekend_morning", "weekend_afternoon", "weekend_evening")
# Working people are home in the evening and at weekends: try those first after a missed visit.
REVISIT_PREFERENCE = ("weekday_evening", "weekend_morning", "weekend_afternoon", "weekday_morning",
                      "weekday_afternoon", "weekend_evening")


def time_slot(local: datetime) -> str:
    """The slot of a visit at a local time: weekday/weekend × morning (<12) / afternoon (<18) / evening."""
    day = "weekend" if local.weekday() >= 5 else "weekday"
    part = "morning" if local.hour < 12 else "afternoon" if local.hour < 18 else "evening"
    return f"{day}_{part}"


def suggest_slot(tried) -> str:
    """The first slot not yet tried, in the order households are most likely to be in."""
    tried = set(tried)
    return next((s for s in REVISIT_PREFERENCE if s not in tried), REVISIT_PREFERENCE[0])


# --- cycles and the plan ---------------------------------------------------------------------------

DEFAULT_CYCLE_MONTHS: dict[str, int] = {"residential": 12, "commercial": 12, "industrial": 12}


def cycle_table(overrides: dict | None = None) -> dict[str, int]:
    """The defaults with app.config["INSPECTION_CYCLE_MONTHS"] applied; a bad value fails at start-up."""
    table = dict(DEFAULT_CYCLE_MONTHS)
    for category, months in (overrides or {}).items():
        if category not in DEFAULT_CYCLE_MONTHS:
            raise ValueError(f"INSPECTION_CYCLE_MONTHS: unknown category {category!r}")
        if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 120:
            raise ValueError(f"INSPECTION_CYCLE_MONTHS[{category!r}] must be 1–120 months")
        table[category] = months
    return table


def add_months(day: date, months: int) -> date:
    """Same day `months` later (or earlier); past the end of a month it becomes the last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise ValueError(day)


def cycle_bounds(day: date, months: int) -> tuple[date, date]:
    """The cycle containing `day`: [start, end) with cycles of `months` counted from 1 January.

    12 months: calendar years. 6 months: January–June and July–December. 24 months: even years first.
    """
    index = (day.year * 12 + day.month - 1) // months * months
    start = date(index // 12, index % 12 + 1, 1)
    return start, add_months(start, months)


def cycle_of(day: date, months: int, offset: int = 0) -> tuple[date, date]:
    """The cycle `offset` cycles before (negative) or after the one containing `day`."""
    start, _ = cycle_bounds(day, months)
    return cycle_bounds(add_months(start, offset * months), months)


def overdue_cutoff(today: date, months: int) -> date:
    """Customers last inspected (or connected) before this day are overdue."""
    return add_months(today, -months)


def plan_status(last_completed: date | None, connected_on: date, today: date, months: int) -> str:
    """'done' this cycle, 'overdue' (more than a cycle since the last inspection, or since the
    connection when never inspected) or 'due' (to be done this cycle). The plan's SQL mirrors this."""
    start, _ = cycle_bounds(today, months)
    if last_completed is not None and last_completed >= start:
        return "done"
    reference = last_completed or connected_on
    return "overdue" if reference < overdue_cutoff(today, months) else "due"


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, half up (安检率, 入户率, 整改率); None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- end-of-line sampling --------------------------------------------------------------------------

def draw_sample(candidates, n: int, rnd) -> list:
    """n of the candidates (all when fewer), drawn with the given random source, in a stable order."""
    pool = sorted(candidates)
    return sorted(rnd.sample(pool, min(max(n, 0), len(pool))))


# --- sampling review (审核) and the weekly report to the dispatch centre ---------------------------------

SAMPLE_SETTLED = frozenset({"completed", "closed", "cancelled"})  # nothing more will be measured
REPORT_MAX_DAYS = 31


def unsettled(order_statuses) -> int:
    """How many of a day's sample orders are still open: the day is signed off only when this is 0."""
    return sum(1 for s in order_statuses if s not in SAMPLE_SETTLED)


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday of the week holding `day` (the weekly report's default period)."""
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def report_period_problem(start: date, end: date, max_days: int = REPORT_MAX_DAYS) -> str | None:
    """None when start…end (inclusive) is a usable report period; else "reversed" or "too_long"."""
    if end < start:
        return "reversed"
    if (end - start).days + 1 > max_days:
        return "too_long"
    return None


def followup_priority(verdict: str | None) -> str:
    """A pressure above the band is a safety matter (urgent); low pressure or restriction is normal work."""
    return "urgent" if verdict == Verdict.high else "normal"
