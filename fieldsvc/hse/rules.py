"""HSE calculations (RULES.md §8): LEC hazard grading, environmental aspect scoring, the
nonconformity state machine, training due dates and target progress. Pure: no db, no Flask.

Factor values are Decimals; anything outside the allowed scale is refused with `FactorError`
naming the factor, so every caller (form, API, import, seed) reports the same field.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from fieldsvc.statemachine import Machine, Move

# --- LEC ------------------------------------------------------------------------------------------

D_ = Decimal
L_VALUES = (D_("10"), D_("6"), D_("3"), D_("1"), D_("0.5"), D_("0.2"), D_("0.1"))
E_VALUES = (D_("10"), D_("6"), D_("3"), D_("2"), D_("1"), D_("0.5"))
C_VALUES = (D_("100"), D_("40"), D_("15"), D_("7"), D_("3"), D_("1"))
FACTORS = {"l": L_VALUES, "e": E_VALUES, "c": C_VALUES}

# (lower bound of D, grade, colour): half-open bands, the lower bound belongs to the band.
GRADE_BANDS = ((D_(320), 1, "red"), (D_(160), 2, "orange"), (D_(70), 3, "yellow"), (D_(20), 4, "blue"))
LOWEST_GRADE = (5, "blue")
SIGNIFICANT_GRADES = frozenset({1, 2})
DIRECT_CRITERIA = ("regulation_breach", "past_accident", "justified_complaint", "observed_danger")

# GB 6441-1986 accident types: code, zh_CN, en. The zh names are the standard's own words.
ACCIDENT_TYPES = (
    ("struck_by_object", "物体打击", "Struck by object"),
    ("vehicle", "车辆伤害", "Vehicle injury"),
    ("machinery", "机械伤害", "Machinery injury"),
    ("lifting", "起重伤害", "Lifting injury"),
    ("electric_shock", "触电", "Electric shock"),
    ("drowning", "淹溺", "Drowning"),
    ("burn_scald", "灼烫", "Burn or scald"),
    ("fire", "火灾", "Fire"),
    ("fall_from_height", "高处坠落", "Fall from height"),
    ("collapse", "坍塌", "Collapse"),
    ("roof_fall", "冒顶片帮", "Roof or wall fall (mining)"),
    ("water_inrush", "透水", "Water inrush"),
    ("blasting", "放炮", "Blasting"),
    ("explosive_explosion", "火药爆炸", "Explosive (gunpowder) explosion"),
    ("firedamp_explosion", "瓦斯爆炸", "Gas (firedamp) explosion"),
    ("boiler_explosion", "锅炉爆炸", "Boiler explosion"),
    ("vessel_explosion", "容器爆炸", "Pressure vessel explosion"),
    ("other_explosion", "其它爆炸", "Other explosion"),
    ("poisoning_asphyxiation", "中毒和窒息", "Poisoning and asphyxiation"),
    ("other_injury", "其它伤害", "Other injury"),
)
ACCIDENT_TYPE_CODES = tuple(code for code, _zh, _en in ACCIDENT_TYPES)
HAZARD_CATEGORIES = ("person", "equipment", "environment", "management")  # GB/T 13861 families
STATES = ("normal", "abnormal", "emergency")
CONTROL_KINDS = ("engineering", "management", "training", "ppe", "emergency")


class FactorError(ValueError):
    """A factor or score outside its allowed values; `field` is the input's name (l, e, c, a…)."""

    def __init__(self, field: str, allowed: tuple):
        super().__init__(f"{field} must be one of {', '.join(fmt(v) for v in allowed)}")
        self.field = field
        self.allowed = allowed


def fmt(value: Decimal | int) -> str:
    """A factor or D for people: 0.5, 6, 10000 — no exponent, no trailing zeros."""
    return format(D_(value).normalize(), "f")


def factor(name: str, value) -> Decimal:
    """The allowed Decimal for factor `name` ("l", "e", "c"); anything else raises FactorError."""
    allowed = FACTORS[name]
    try:
        number = value if isinstance(value, Decimal) else D_(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise FactorError(name, allowed) from exc
    if not number.is_finite() or number not in allowed:
        raise FactorError(name, allowed)
    return allowed[allowed.index(number)]


def lec_d(l_value, e_value, c_value) -> Decimal:
    """D = L × E × C, each factor checked against its scale."""
    return factor("l", l_value) * factor("e", e_value) * factor("c", c_value)


def grade_of(d: Decimal) -> tuple[int, str]:
    """(grade, colour) of a D value: 1 red ≥ 320 · 2 orange ≥ 160 · 3 yellow ≥ 70 · 4 blue ≥ 20 · 5 blue."""
    for lower, grade, colour in GRADE_BANDS:
        if d >= lower:
            return grade, colour
    return LOWEST_GRADE


def check_criteria(codes) -> tuple[str, ...]:
    """The direct criteria in register order; an unknown code raises ValueError."""
    codes = set(codes or ())
    unknown = codes - set(DIRECT_CRITERIA)
    if unknown:
        raise ValueError(f"unknown direct criteria: {', '.join(sorted(unknown))}")
    return tuple(c for c in DIRECT_CRITERIA if c in codes)


def is_significant(grade: int, criteria=()) -> bool:
    """Significant (重大) when grade 1 or 2, or any direct criterion holds."""
    return grade in SIGNIFICANT_GRADES or bool(check_criteria(criteria))


@dataclass(frozen=True)
class Assessment:
    d: Decimal
    grade: int
    colour: str
    significant: bool


def assess(l_value, e_value, c_value, criteria=()) -> Assessment:
    d = lec_d(l_value, e_value, c_value)
    grade, colour = grade_of(d)
    return Assessment(d, grade, colour, is_significant(grade, criteria))


def review_status(review_on: date | None, today: date, warn_days: int = 30) -> str | None:
    """'overdue' once the review date has passed, 'due' within warn_days of it, else None."""
    if review_on is None:
        return None
    if review_on < today:
        return "overdue"
    if review_on <= today + timedelta(days=warn_days):
        return "due"
    return None


# --- environmental aspects ------------------------------------------------------------------------

ONE_TO_FIVE = (1, 2, 3, 4, 5)
ODD_SCALE = (1, 3, 5)
ASPECT_SCALES = {
    "pollution": {"a": ONE_TO_FIVE, "b": ODD_SCALE, "c": ONE_TO_FIVE, "d": ODD_SCALE, "e": ONE_TO_FIVE},
    "resource": {"f": ODD_SCALE, "g": ODD_SCALE},
}
ASPECT_KINDS = tuple(ASPECT_SCALES)
POLLUTION_TOTAL = 15
RESOURCE_TOTAL = 7


def _whole(raw) -> int | None:
    """A whole-number score from a form string, an int or an integral Decimal; else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, Decimal) and raw.is_finite() and raw == raw.to_integral_value():
        return int(raw)
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None


def aspect_score(kind: str, scores: dict) -> tuple[int, bool]:
    """(total, significant) of an aspect; each score checked against its scale (FactorError)."""
    scale = ASPECT_SCALES[kind]
    values = {}
    for name, allowed in scale.items():
        value = _whole(scores.get(name))
        if value not in allowed:
            raise FactorError(name, allowed)
        values[name] = value
    total = sum(values.values())
    if kind == "pollution":
        significant = 5 in (values["a"], values["b"], values["d"]) or total >= POLLUTION_TOTAL
    else:
        significant = 5 in (values["f"], values["g"]) or total >= RESOURCE_TOTAL
    return total, significant


# --- field observations --------------------------------------------------------------------------

OBSERVATION_KINDS = ("hazard", "aspect")
OBSERVATION_STATES = ("open", "registered", "closed")  # awaiting review → a register line or an NC, or closed


# --- nonconformities ------------------------------------------------------------------------------

NC_STATES = ("draft", "analysis", "action_plan", "in_progress", "effectiveness_check", "closed", "cancelled")
NC_OPEN = NC_STATES[:5]


class NcBy(StrEnum):
    """Who moves a nonconformity: the safety office (hse_manage); only the director (approver) closes it."""

    manager = "manager"
    approver = "approver"


_CANCEL = Move("cancel", NcBy.manager, needs_reason=True)
# The state table. Not effective → back to the actions; re-plan → analysis.
NC_MOVES: dict[tuple[str, str], Move] = {
    ("draft", "analysis"): Move("analyse", NcBy.manager),
    ("draft", "cancelled"): _CANCEL,
    ("analysis", "action_plan"): Move("plan", NcBy.manager),
    ("analysis", "cancelled"): _CANCEL,
    ("action_plan", "analysis"): Move("replan", NcBy.manager),
    ("action_plan", "in_progress"): Move("start", NcBy.manager),
    ("action_plan", "cancelled"): _CANCEL,
    ("in_progress", "effectiveness_check"): Move("check", NcBy.manager),
    ("in_progress", "cancelled"): _CANCEL,
    ("effectiveness_check", "in_progress"): Move("not_effective", NcBy.manager),
    ("effectiveness_check", "closed"): Move("close", NcBy.approver),
}
NC_MACHINE = Machine(NC_MOVES)
# current state → states it may move to
NC_TRANSITIONS = {state: frozenset(NC_MACHINE.targets(state)) for state in NC_STATES}


def nc_by(target: str) -> NcBy:
    """Who may move a nonconformity to `target` (asked before the move is known to be legal)."""
    return NcBy.approver if target == "closed" else NcBy.manager
NC_ORIGINS = ("audit", "inspection", "complaint", "incident", "field_hazard", "drill")
ACTION_KINDS = ("immediate", "corrective", "preventive", "improvement")


def nc_can_move(current: str, target: str) -> bool:
    return target in NC_TRANSITIONS.get(current, frozenset())


@dataclass(frozen=True)
class NcFacts:
    """What the guards look at; the service builds it from the record."""

    root_cause: str | None = None
    actions: int = 0  # actions with an owner and a deadline
    actions_open: int = 0  # of those, not done yet
    effective: bool | None = None  # the effectiveness check's verdict
    reason: str | None = None  # cancellation reason


def nc_blockers(current: str, target: str, facts: NcFacts) -> list[str]:
    """Codes of what stops the move (empty: it may happen). Illegal moves give ['illegal']."""
    if not nc_can_move(current, target):
        return ["illegal"]
    problems = []
    if target == "action_plan" and not (facts.root_cause or "").strip():
        problems.append("root_cause")
    if target == "in_progress" and facts.actions == 0:
        problems.append("actions")
    if target == "effectiveness_check" and facts.actions_open:
        problems.append("actions_open")
    if target == "closed" and facts.effective is not True:
        problems.append("effective")
    if target == "cancelled" and not (facts.reason or "").strip():
        problems.append("reason")
    return problems


def action_overdue(deadline: date | None, done_on: date | None, today: date) -> bool:
    return deadline is not None and done_on is None and deadline < today


# --- training -------------------------------------------------------------------------------------

PASS_SCORE = D_(60)


def add_months(day: date, months: int) -> date:
    """Same day n months later, clamped to the month's end (31 Jan + 1 month → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


def training_status(last_on: date | None, interval_months: int, today: date,
                    warn_days: int = 30) -> tuple[str, date | None]:
    """(status, due date): missing (never trained), overdue, due (within warn_days) or ok."""
    if last_on is None:
        return "missing", None
    due = add_months(last_on, interval_months)
    if due < today:
        return "overdue", due
    if due <= today + timedelta(days=warn_days):
        return "due", due
    return "ok", due


def passed(score: Decimal | None, pass_score: Decimal = PASS_SCORE) -> bool:
    """No score recorded means attendance-only training: it counts."""
    return score is None or score >= pass_score


# --- targets --------------------------------------------------------------------------------------

TARGET_DIRECTIONS = ("at_least", "at_most")
PCT = D_("0.1")


def progress(target: Decimal, actual: Decimal | None, direction: str = "at_least") -> tuple[Decimal, bool]:
    """(percent of the target reached, achieved). 'at_most' targets (accidents ≤ 0) count 100 %
    while the actual stays within the limit and shrink as it exceeds it."""
    if actual is None:
        return D_(0), False
    if direction == "at_most":
        if actual <= target:
            return D_(100), True
        pct = (target / actual * 100) if actual else D_(0)
        return pct.quantize(PCT, ROUND_HALF_UP), False
    if target == 0:
        return D_(100), True
    pct = (actual / target * 100).quantize(PCT, ROUND_HALF_UP)
    return pct, actual >= target
