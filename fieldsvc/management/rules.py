"""Pure rules of department management: the state tables of policies, plans, summaries and incidents,
what blocks a move, the PDF check of an attachment, vehicle maintenance and daily checks, plan progress.

No database, no Flask: every table here is tested pair by pair.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from fieldsvc.statemachine import Machine, Move

# --- policies and procedures (制度) ----------------------------------------------------------------


class PolicyStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    in_force = "in_force"
    withdrawn = "withdrawn"


class By(StrEnum):
    """Who makes a move (the services decide who that is): the author of a policy or plan
    (policies_manage / plans_manage, their own record), the director (policies_approve / plans_approve),
    or whoever handles incidents (incidents_manage)."""

    owner = "owner"
    director = "director"
    manager = "manager"


S = PolicyStatus
# The state table of a policy version. A policy comes into force only from `approved`, and only the
# director approves: there is no other way into `in_force`.
POLICY_TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.draft, S.submitted): Move("submit", By.owner),
    (S.draft, S.withdrawn): Move("abandon", By.owner, needs_reason=True),
    (S.submitted, S.draft): Move("return", By.director, needs_reason=True),
    (S.submitted, S.approved): Move("approve", By.director),
    (S.approved, S.in_force): Move("bring_into_force", By.owner),
    (S.approved, S.withdrawn): Move("abandon", By.director, needs_reason=True),
    (S.in_force, S.withdrawn): Move("withdraw", By.director, needs_reason=True),
}
POLICY_MACHINE = Machine(POLICY_TRANSITIONS)
POLICY_OPEN = frozenset({S.draft, S.submitted, S.approved})  # a version still on its way
POLICY_EDITABLE = frozenset({S.draft})  # text, dates and the PDF change only in draft


def policy_move(current: str, target: str) -> Move | None:
    """The move from → to, or None when the change is illegal."""
    return POLICY_MACHINE.move(current, target)


@dataclass(frozen=True)
class PolicyFacts:
    """What the guards look at; the service builds it from the version."""

    approved: bool = False  # the director's approval is on record
    effective_on: date | None = None
    review_on: date | None = None
    has_document: bool = False  # a PDF or a text body
    reason: str | None = None


def policy_blockers(current: str, target: str, facts: PolicyFacts, today: date) -> list[str]:
    """Codes of what stops the move (empty: it may happen). An illegal move gives ['illegal']."""
    move = policy_move(current, target)
    if move is None:
        return ["illegal"]
    problems = []
    if move.needs_reason and not (facts.reason or "").strip():
        problems.append("reason")
    if target == S.submitted:
        if not facts.has_document:
            problems.append("document")
        if facts.effective_on is None:
            problems.append("effective_on")
    if target in (S.submitted, S.in_force) and facts.review_on and facts.effective_on \
            and facts.review_on <= facts.effective_on:
        problems.append("review_on")
    if target == S.in_force:
        if not facts.approved:
            problems.append("approval")
        if facts.effective_on is None or facts.effective_on > today:
            problems.append("not_yet_effective")
    return problems


def review_due(review_on: date | None, today: date, warn_days: int = 30) -> str | None:
    """'overdue' past the review date, 'soon' within warn_days of it, else None."""
    if review_on is None:
        return None
    if review_on < today:
        return "overdue"
    if review_on <= today + timedelta(days=warn_days):
        return "soon"
    return None


def applies_to(roles: list[str] | None, role: str) -> bool:
    """An empty list means the whole department."""
    return not roles or role in roles


PDF_MAGIC = b"%PDF-"
PDF_MAX_BYTES = 10 * 1024 * 1024


def pdf_problem(data: bytes, limit: int = PDF_MAX_BYTES) -> str | None:
    """'empty', 'too_large' or 'not_pdf' (decided by the bytes, never the name); None when acceptable."""
    if not data:
        return "empty"
    if len(data) > limit:
        return "too_large"
    if not data.startswith(PDF_MAGIC):
        return "not_pdf"
    return None


# --- annual plans and year-end summaries ------------------------------------------------------------

class PlanStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"


P_ = PlanStatus
# Plans and summaries share one table: the author submits, the director approves or returns.
PLAN_TRANSITIONS: dict[tuple[str, str], Move] = {
    (P_.draft, P_.submitted): Move("submit", By.owner),
    (P_.submitted, P_.draft): Move("return", By.director, needs_reason=True),
    (P_.submitted, P_.approved): Move("approve", By.director),
}
PLAN_MACHINE = Machine(PLAN_TRANSITIONS)

PLAN_KINDS = ("safety", "technical")
# The sections of each kind of plan (and of its summary).
PLAN_SECTIONS = {
    "safety": ("inspection", "publicity", "training", "rectification"),
    "technical": ("technical", "quality", "metering", "equipment"),
}
PLAN_AUTHOR_ROLES = {"safety": "safety_officer", "technical": "metering_head"}


def plan_move(current: str, target: str) -> Move | None:
    return PLAN_MACHINE.move(current, target)


def plan_blockers(current: str, target: str, items: int, reason: str | None = None) -> list[str]:
    move = plan_move(current, target)
    if move is None:
        return ["illegal"]
    problems = []
    if move.needs_reason and not (reason or "").strip():
        problems.append("reason")
    if target == P_.submitted and items == 0:
        problems.append("items")
    return problems


def percent(part, whole) -> Decimal | None:
    """part / whole as a percentage, one decimal, half up; None without a whole."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def item_progress(actual, target, manual) -> Decimal | None:
    """An item's progress in %: the measured figure against its target (capped at 100), or the
    owner's own estimate when the item has no metric (or its domain is not installed)."""
    if actual is not None and target:
        value = percent(actual, target)
        return min(value, Decimal(100))
    if manual is not None:
        return Decimal(manual).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return None


def item_state(progress: Decimal | None, due_on: date | None, done_on: date | None, today: date) -> str:
    """done | overdue | on_track | not_started."""
    if done_on is not None or (progress is not None and progress >= 100):
        return "done"
    if due_on is not None and due_on < today:
        return "overdue"
    return "on_track" if progress else "not_started"


# --- incidents (突发事件 / 事故) ----------------------------------------------------------------------

class IncidentStatus(StrEnum):
    open = "open"  # being handled: facts, notifications, steps
    analysed = "analysed"  # causes, lessons, responsibility recorded; corrective actions raised
    closed = "closed"


I = IncidentStatus  # noqa: E741 - the table below reads better with a short name
# Every move is the incident handler's; the guards (incident_blockers) say what each one needs.
INCIDENT_TRANSITIONS: dict[tuple[str, str], Move] = {
    (I.open, I.analysed): Move("analyse", By.manager),
    (I.analysed, I.open): Move("reopen", By.manager),
    (I.analysed, I.closed): Move("close", By.manager),
}
INCIDENT_MACHINE = Machine(INCIDENT_TRANSITIONS)


def incident_move(current: str, target: str) -> Move | None:
    return INCIDENT_MACHINE.move(current, target)


@dataclass(frozen=True)
class IncidentFacts:
    causes: str | None = None
    lessons: str | None = None
    responsibility: str | None = None
    actions: int = 0  # corrective actions raised as nonconformities
    no_action_reason: str | None = None


def incident_blockers(current: str, target: str, facts: IncidentFacts) -> list[str]:
    if incident_move(current, target) is None:
        return ["illegal"]
    problems = []
    if target == I.analysed:
        problems += [f for f in ("causes", "lessons", "responsibility") if not (getattr(facts, f) or "").strip()]
    if target == I.closed and facts.actions == 0 and not (facts.no_action_reason or "").strip():
        problems.append("actions")
    return problems


INCIDENT_KINDS = ("gas_leak", "fire", "explosion", "poisoning", "supply_interruption", "injury",
                  "third_party_damage", "other")
INCIDENT_SEVERITIES = ("minor", "general", "major")  # 一般 / 较大 / 重大 in the department's words
NOTIFY_CHANNELS = ("phone", "sms", "in_person", "written", "radio")
INCIDENT_ACTION_KINDS = ("corrective", "preventive")  # each run as an HSE nonconformity


# --- vehicles --------------------------------------------------------------------------------------

VEHICLE_STATUSES = ("in_service", "out_of_service", "retired")
CHECK_ITEMS = ("tyres", "lights", "brakes", "fluids", "bodywork", "extinguisher", "gas_detector", "toolkit")
WARN_DAYS = 14
WARN_KM = 500


def maintenance_state(today: date, odometer_km: int | None, next_on: date | None, next_km: int | None,
                      warn_days: int = WARN_DAYS, warn_km: int = WARN_KM) -> str:
    """'overdue' when the date has passed or the odometer has reached the mileage (whichever first),
    'due_soon' within warn_days / warn_km of either, else 'ok'. Unknown limits are not judged."""
    odometer = odometer_km or 0
    if (next_on is not None and next_on < today) or (next_km is not None and odometer >= next_km):
        return "overdue"
    if (next_on is not None and next_on <= today + timedelta(days=warn_days)) or \
            (next_km is not None and odometer >= next_km - warn_km):
        return "due_soon"
    return "ok"


MAX_DAILY_KM = 1500  # a typing slip (an extra digit) rather than a day's driving


def odometer_problem(previous_km: int | None, new_km: int, days: int | None = 1,
                     max_daily_km: int = MAX_DAILY_KM) -> str | None:
    """'backwards' below the last recorded reading, 'jump' more than max_daily_km per day (at least one
    day) since it; days None (no earlier check to compare with) judges only 'backwards'."""
    if new_km < 0:
        return "backwards"
    if previous_km is None:
        return None
    if new_km < previous_km:
        return "backwards"
    if days is not None and new_km - previous_km > max_daily_km * max(days, 1):
        return "jump"
    return None


def failed_items(results: dict[str, bool]) -> list[str]:
    """The check items found not OK, in the checklist's order."""
    return [code for code in CHECK_ITEMS if results.get(code) is False]
