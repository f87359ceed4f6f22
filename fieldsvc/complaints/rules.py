"""Pure rules of customer requests and complaints: codes, the state table, the clocks, the analysis maths.

No database, no Flask: every table here is tested pair by pair (tests/complaints/test_rules.py).
The charter is "short, level, fast": a first contact within hours, a resolution within working days,
a follow-up call after closure, and 95 % of customers satisfied (4 or 5 on a 1–5 scale).
"""
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from fieldsvc.calendar import rules as working_days
from fieldsvc.statemachine import Machine, Move


class Channel(StrEnum):
    hotline = "hotline"
    counter = "counter"
    web = "web"
    field = "field"


class Category(StrEnum):
    meter_accuracy = "meter_accuracy"
    billing = "billing"
    attitude = "attitude"
    repair_quality = "repair_quality"
    pressure = "pressure"
    safety = "safety"
    suggestion = "suggestion"
    other = "other"


class Status(StrEnum):
    received = "received"                    # taken in; the first-contact clock runs
    contacted = "contacted"                  # judged valid, routed, the customer has heard from us
    investigating = "investigating"          # cause being found (also where a reopened one restarts)
    solution_proposed = "solution_proposed"  # cause recorded, one or more solutions proposed
    solution_approved = "solution_approved"  # the director chose a solution
    resolved = "resolved"                    # the solution is carried out; awaits the customer's word
    closed = "closed"                        # the customer confirmed; the follow-up call comes next
    rejected_invalid = "rejected_invalid"    # judged not valid; answered politely with the reason
    closed_invalid = "closed_invalid"        # … and the customer acknowledged the answer


# Responsible departments a complaint is routed to (the department of the charter and its units).
DEPARTMENTS = ("service_station", "metering_office", "repair_team", "pipe_team", "safety_office",
               "billing_office", "customer_service")

# What caused it, for the monthly analysis (the free-text detail goes with it).
CAUSES = ("meter_fault", "reading_error", "billing_error", "staff_attitude", "workmanship",
          "supply_pressure", "safety_hazard", "customer_misunderstanding", "third_party", "policy", "other")

# Before the solution is carried out: these count against the resolution clock.
UNRESOLVED = frozenset({Status.received, Status.contacted, Status.investigating, Status.solution_proposed,
                        Status.solution_approved})
OPEN = UNRESOLVED | {Status.resolved, Status.rejected_invalid}
FINAL = frozenset({Status.closed, Status.closed_invalid})


class By(StrEnum):
    """Who makes a move: a handler (station chief, director) or the approver (the director)."""

    handler = "handler"
    approver = "approver"


# The state table: (from, to) → the move. Everything not listed is illegal (409).
TRANSITIONS: dict[tuple[Status, Status], Move] = {
    (Status.received, Status.contacted): Move("contact", By.handler),
    (Status.received, Status.rejected_invalid): Move("reject_invalid", By.handler, needs_reason=True),
    # Contact and investigation can still show the complaint is not founded (the meter tests fine).
    (Status.contacted, Status.rejected_invalid): Move("reject_invalid", By.handler, needs_reason=True),
    (Status.investigating, Status.rejected_invalid): Move("reject_invalid", By.handler, needs_reason=True),
    (Status.rejected_invalid, Status.closed_invalid): Move("acknowledge", By.handler),
    # The customer disputes the "not valid" answer, or new facts turn up after it was closed.
    (Status.rejected_invalid, Status.investigating): Move("reopen", By.handler, needs_reason=True, reopens=True),
    (Status.closed_invalid, Status.investigating): Move("reopen", By.handler, needs_reason=True, reopens=True),
    (Status.contacted, Status.investigating): Move("investigate", By.handler),
    (Status.investigating, Status.solution_proposed): Move("propose", By.handler),
    (Status.solution_proposed, Status.solution_approved): Move("approve", By.approver),
    (Status.solution_proposed, Status.investigating): Move("send_back", By.approver, needs_reason=True),
    (Status.solution_approved, Status.resolved): Move("resolve", By.handler),
    (Status.resolved, Status.closed): Move("confirm", By.handler),
    (Status.resolved, Status.investigating): Move("customer_reject", By.handler, needs_reason=True,
                                                  reopens=True),
    # A dissatisfied follow-up call (1–2) reopens through here; a handler may also reopen with a reason.
    (Status.closed, Status.investigating): Move("reopen", By.handler, needs_reason=True, reopens=True),
}


# A reopening move (`reopens`) restarts the resolution clock and withdraws the solutions.
MACHINE = Machine(TRANSITIONS)


def move(from_status: str, to_status: str) -> Move | None:
    """The allowed move from → to, or None when the change is illegal."""
    return MACHINE.move(from_status, to_status)


def next_statuses(from_status: str) -> list[Status]:
    return MACHINE.targets(from_status)


# --- routing: which work order a category starts -----------------------------------------------------

# The first type is the one offered by default. A meter-accuracy complaint is a complaint verification
# (RULES.md §5/§7); a safety concern goes out as an emergency at once.
ORDER_TYPES: dict[Category, tuple[str, ...]] = {
    Category.meter_accuracy: ("meter_verification",),
    Category.safety: ("emergency", "pressure_check"),
    Category.pressure: ("pressure_check", "repair"),
    Category.repair_quality: ("repair",),
}
URGENT_CATEGORIES = frozenset({Category.safety})


def order_types_for(category: str) -> tuple[str, ...]:
    return ORDER_TYPES.get(Category(category), ())


def order_priority(category: str) -> str:
    return "urgent" if category in URGENT_CATEGORIES else "normal"


def default_department(category: str) -> str:
    return {Category.meter_accuracy: "metering_office", Category.billing: "billing_office",
            Category.repair_quality: "repair_team", Category.pressure: "repair_team",
            Category.safety: "safety_office"}.get(Category(category), "service_station")


# --- the clocks --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    first_contact_hours: int  # calendar hours from receipt to the first contact with the customer
    resolve_working_days: int  # working days (the calendar's) after the day of receipt to resolve it


DEFAULT_TARGET = Target(first_contact_hours=24, resolve_working_days=5)
DEFAULT_TARGETS: dict[Category, Target] = {c: DEFAULT_TARGET for c in Category}
DEFAULT_TARGETS[Category.safety] = Target(first_contact_hours=2, resolve_working_days=5)


def targets(overrides: dict | None = None) -> dict[Category, Target]:
    """The defaults with a deployment's overrides applied; app.config["COMPLAINT_TARGETS"] =
    {"safety": {"first_contact_hours": 1}, "billing": {"resolve_working_days": 3}}. Bad input raises."""
    result = dict(DEFAULT_TARGETS)
    for key, values in (overrides or {}).items():
        category = Category(key)  # ValueError names an unknown category
        if not isinstance(values, dict) or not values or set(values) - {"first_contact_hours",
                                                                          "resolve_working_days"}:
            raise ValueError(f"COMPLAINT_TARGETS[{key!r}] must give first_contact_hours and/or resolve_working_days")
        for name, number in values.items():
            if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
                raise ValueError(f"COMPLAINT_TARGETS[{key!r}][{name!r}] must be a positive whole number")
        current = result[category]
        result[category] = Target(values.get("first_contact_hours", current.first_contact_hours),
                                  values.get("resolve_working_days", current.resolve_working_days))
    return result


# The one definition of a working day (calendar/rules.py), re-exported for this module's callers.
is_working_day = working_days.is_working_day
add_working_days = working_days.add_working_days


def first_contact_due(category: str, received_at: datetime, table: dict | None = None) -> datetime:
    """Receipt + the category's hours (safety 2 h, others 24 h by default), round the clock."""
    target = (table or DEFAULT_TARGETS)[Category(category)]
    return received_at + timedelta(hours=target.first_contact_hours)


def resolve_due(category: str, received_at: datetime, zone: ZoneInfo, table: dict | None = None,
                overrides: working_days.Overrides | None = None) -> datetime:
    """The end of the Nth working day after the business day of receipt (5 by default).

    Received on Friday → due at the end of the next Friday; on Saturday or Sunday → also the next
    Friday (the weekend does not count); on Monday → the next Monday. `overrides` are the calendar's
    holidays and make-up working days (calendar/services.py loads them): a holiday does not count,
    a make-up Saturday does.
    """
    target = (table or DEFAULT_TARGETS)[Category(category)]
    day = add_working_days(received_at.astimezone(zone).date(), target.resolve_working_days, overrides)
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)


def clock_state(due: datetime, done_at: datetime | None, now: datetime) -> str:
    """'met' / 'missed' once the step is done; before: 'overdue' or 'running'."""
    if done_at is not None:
        return "met" if done_at <= due else "missed"
    return "overdue" if now > due else "running"


# --- judging the clocks (the ledger and the reports' on-time rate) ---------------------------------

ON_TIME, LATE, RUNNING = "on_time", "late", "running"
NOT_APPLICABLE = "n/a"  # the resolution clock of a complaint judged not valid: answered, not resolved


def clocks(first_contact_due: datetime, first_contacted_at: datetime | None, resolve_due: datetime,
           resolved_at: datetime | None, valid: bool | None, now: datetime) -> tuple[str, str]:
    """(first-contact clock, resolution clock): 'met' / 'missed' / 'overdue' / 'running'
    (`clock_state`), the resolution clock 'n/a' for a complaint judged not valid."""
    first = clock_state(first_contact_due, first_contacted_at, now)
    resolve = NOT_APPLICABLE if valid is False else clock_state(resolve_due, resolved_at, now)
    return first, resolve


def verdict(first: str, resolve: str) -> str:
    """'late' when a clock was missed or is overdue; 'on_time' when every clock that applies was met;
    'running' while one still runs in time (not judged yet)."""
    states = [s for s in (first, resolve) if s != NOT_APPLICABLE]
    if any(s in ("missed", "overdue") for s in states):
        return LATE
    return ON_TIME if all(s == "met" for s in states) else RUNNING


def is_overdue(status: str, first_contact_due_at: datetime, first_contacted_at: datetime | None,
               resolve_due_at: datetime, now: datetime) -> bool:
    """Escalated to the director: no first contact in time, or not resolved in time."""
    if status == Status.received and first_contacted_at is None and now > first_contact_due_at:
        return True
    return status in UNRESOLVED and now > resolve_due_at


# --- the owner's reply to the customer (首问负责制) -----------------------------------------------------

# Once a solution is approved, the public status page shows the owner's reply. A reopening withdraws the
# approval, and with it the reply from the page until a solution is approved again.
REPLY_PUBLIC = frozenset({Status.solution_approved, Status.resolved, Status.closed})
REPLY_MAX = 1000

# Phone numbers a reply must not carry to the public page (full-width digits and separators count too):
# mobiles (+86 optional, spaces or dashes between digits allowed), numbers with an area code, 400/800
# service numbers, and bare 7–8 digit local numbers (which also keeps account numbers off the page). A date
# written 2026-11-28 or a tracking number TS-20261127-… is not a phone number.
_SEP = r"[ \-]?"
PHONE_PATTERNS = (
    re.compile(rf"(?<!\d)(?:\+?86{_SEP})?1[3-9]\d(?:{_SEP}\d){{8}}(?!\d)"),
    re.compile(rf"(?<!\d)\(?0\d{{2,3}}\)?{_SEP}\d{{3,4}}{_SEP}\d{{4}}(?!\d)"),
    re.compile(rf"(?<!\d)[48]00{_SEP}\d{{3}}{_SEP}\d{{4}}(?!\d)"),
    re.compile(r"(?<![\d\-])\d{7,8}(?![\d\-])"),
    re.compile(r"(?<![\d\-])\d{3,4}[ \-]\d{4}(?![\d\-])"),  # 8888-6666; not a span of years (below)
)
_YEARS = re.compile(r"^(19|20|21)\d{2}[ \-](19|20|21)\d{2}$")  # 2026-2027 is a span of years


def _phone(match: re.Match) -> bool:
    return not _YEARS.match(match.group(0))


# Full-width digits and separators as their ASCII letters, one for one, so a match's span in the folded
# text is its span in the text as typed.
_FOLD = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},"\uff0b": "+", "\uff0d": "-", "\u3000": " ", "\uff08": "(", "\uff09": ")",
                       "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u00a0": " "})


def _phone_spans(text: str) -> list[tuple[int, int]]:
    folded = (text or "").translate(_FOLD)
    return sorted((m.start(), m.end()) for p in PHONE_PATTERNS for m in p.finditer(folded) if _phone(m))


def contains_phone(text: str) -> bool:
    return bool(_phone_spans(text))


def mask_phones(text: str) -> str:
    """Every phone number in `text` as ***, the rest as typed: what the public page does to a reply that
    slipped through."""
    text, out, pos = text or "", [], 0
    for start, end in _phone_spans(text):
        if start >= pos:
            out += [text[pos:start], "***"]
        pos = max(pos, end)
    return "".join(out) + text[pos:]


def names_in(text: str, names) -> list[str]:
    """The names (of staff, of the complainant) that `text` contains; case-insensitive, 2 letters or more."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return sorted({n for n in names if n and len(n.strip()) >= 2
                   and unicodedata.normalize("NFKC", n.strip()).casefold() in folded})


def reply_problems(text: str, names) -> dict[str, list[str]]:
    """What keeps a reply off the public page: {"phone": []} and/or {"names": [the names found]}."""
    problems: dict[str, list[str]] = {}
    if contains_phone(text):
        problems["phone"] = []
    found = names_in(text, names)
    if found:
        problems["names"] = found
    return problems


def public_reply(status: str, text: str | None) -> str | None:
    """The reply as the public status page shows it: only once a solution is approved, phones masked."""
    if not text or status not in REPLY_PUBLIC:
        return None
    return mask_phones(text)


# --- satisfaction -------------------------------------------------------------------------------------

SATISFACTION_RANGE = range(1, 6)
SATISFIED_MIN = 4  # 4–5 count as satisfied (the charter's goal: 95 % of follow-up calls)
DISSATISFIED_MAX = 2  # 1–2 reopen the complaint
SATISFACTION_GOAL_PCT = Decimal("95")


def satisfied(score: int) -> bool:
    return score >= SATISFIED_MIN


def reopens_on_followup(score: int) -> bool:
    return score <= DISSATISFIED_MAX


# --- tracking numbers ---------------------------------------------------------------------------------

# Crockford's base32 without I, L, O, U: read over the phone without confusion.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_RANDOM = 6  # 32^6 ≈ 1.07e9 numbers per day: not guessable on a rate-limited public page


def tracking_number(day: date, rand=secrets.choice) -> str:
    """TS-YYYYMMDD-XXXXXX with six random base32 characters."""
    suffix = "".join(rand(TRACKING_ALPHABET) for _ in range(TRACKING_RANDOM))
    return f"TS-{day:%Y%m%d}-{suffix}"


def normalise_tracking(text: str | None) -> str | None:
    """What a customer types (lower case, spaces, O for 0) → the stored form, or None if malformed."""
    if not text:
        return None
    raw = "".join(text.split()).upper().replace("O", "0").replace("I", "1").replace("L", "1")
    parts = raw.split("-")
    if len(parts) != 3 or parts[0] != "TS" or len(parts[1]) != 8 or not parts[1].isdigit():
        return None
    if len(parts[2]) != TRACKING_RANDOM or any(c not in TRACKING_ALPHABET for c in parts[2]):
        return None
    return raw


def complainant_key(customer_id: int | None, phone: str | None) -> str | None:
    """Who complained, for counting repeat complainants: the account, else the phone's digits."""
    if customer_id:
        return f"c:{customer_id}"
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    return f"p:{digits}" if digits else None


# --- analysis -----------------------------------------------------------------------------------------

def share_pct(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one decimal, half-up; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def month_bounds(year: int, month: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[first instant, first instant of the next month) in the business zone."""
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return start, end


def parse_month(text: str | None, today: date) -> tuple[int, int]:
    """'2026-11' → (2026, 11); empty or malformed → the current month."""
    try:
        year, month = (int(p) for p in (text or "").split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1
