"""Pure rules of work orders (RULES.md §5): types, states, who moves an order where, targets, follow-ups.

No database, no Flask: every table here is tested pair by pair.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from fieldsvc.statemachine import Machine, Move


class OrderType(StrEnum):
    emergency = "emergency"
    repair = "repair"
    purge_ignition = "purge_ignition"
    pressure_check = "pressure_check"
    pipe_acceptance = "pipe_acceptance"
    rectification = "rectification"
    meter_box = "meter_box"
    meter_replacement = "meter_replacement"
    meter_verification = "meter_verification"
    followup_visit = "followup_visit"
    suspension = "suspension"  # shut the supply of a customer in arrears, once the chief approved it
    restoration = "restoration"  # open it again after payment (RULES.md §4: within 24 h)


class GasState(StrEnum):
    """How an emergency left the gas (RULES.md §5)."""

    restored = "restored"
    shut_off = "shut_off"
    unaffected = "unaffected"


class Status(StrEnum):
    new = "new"
    assigned = "assigned"
    accepted = "accepted"
    en_route = "en_route"
    on_site = "on_site"
    completed = "completed"
    closed = "closed"
    cancelled = "cancelled"


class Priority(StrEnum):
    normal = "normal"
    urgent = "urgent"


OPEN = frozenset({Status.new, Status.assigned, Status.accepted, Status.en_route, Status.on_site})
DONE = frozenset({Status.completed, Status.closed})
# The chief may (re)assign until the technician is at the door; after that the job is theirs to finish.
ASSIGNABLE = frozenset({Status.new, Status.assigned, Status.accepted, Status.en_route})


class By(StrEnum):
    """Who makes a move: the assigned technician or the dispatcher (station chief, director)."""

    tech = "tech"
    chief = "chief"


# The state table. Assignment (new/assigned/… → assigned) goes through assign(), not through here.
TRANSITIONS: dict[tuple[Status, Status], Move] = {
    (Status.assigned, Status.accepted): Move("accept", By.tech),
    (Status.assigned, Status.new): Move("reject", By.tech, needs_reason=True),
    (Status.accepted, Status.new): Move("reject", By.tech, needs_reason=True),
    (Status.accepted, Status.en_route): Move("en_route", By.tech, gps=True),
    (Status.en_route, Status.on_site): Move("on_site", By.tech, gps=True),
    (Status.on_site, Status.completed): Move("complete", By.tech, gps=True),
    (Status.completed, Status.closed): Move("close", By.chief),
    **{(s, Status.cancelled): Move("cancel", By.chief, needs_reason=True) for s in OPEN},
}

# A follow-up visit is a telephone call made from the office: the call itself completes it.
FOLLOWUP_TRANSITIONS: dict[tuple[Status, Status], Move] = {
    (Status.new, Status.completed): Move("complete", By.chief),
    (Status.completed, Status.closed): Move("close", By.chief),
    (Status.new, Status.cancelled): Move("cancel", By.chief, needs_reason=True),
}


MACHINE = Machine(TRANSITIONS)
FOLLOWUP_MACHINE = Machine(FOLLOWUP_TRANSITIONS)


def machine(order_type: str) -> Machine:
    """The state table of this type of order."""
    return FOLLOWUP_MACHINE if order_type == OrderType.followup_visit else MACHINE


def move(order_type: str, from_status: str, to_status: str) -> Move | None:
    """The allowed move from → to for this type of order, or None when the change is illegal."""
    return machine(order_type).move(from_status, to_status)


def next_statuses(order_type: str, from_status: str, by: By) -> list[Status]:
    """Where this actor kind may take the order next."""
    return machine(order_type).targets(from_status, by)


# --- who may be assigned what ---------------------------------------------------------------------

ROLE_TYPES: dict[str, frozenset[OrderType]] = {
    "repair_tech": frozenset({OrderType.emergency, OrderType.repair, OrderType.purge_ignition,
                              OrderType.pressure_check, OrderType.pipe_acceptance,
                              OrderType.meter_replacement, OrderType.suspension, OrderType.restoration}),
    "pipe_fitter": frozenset({OrderType.rectification, OrderType.meter_box, OrderType.meter_replacement}),
    "metering_tech": frozenset({OrderType.meter_verification}),
}


def roles_for(order_type: str) -> frozenset[str]:
    """The staff roles that may be assigned an order of this type (none for a follow-up call)."""
    return frozenset(role for role, types in ROLE_TYPES.items() if order_type in types)


def may_assign(role: str, order_type: str) -> bool:
    return order_type in ROLE_TYPES.get(role, frozenset())


# --- targets and due times ------------------------------------------------------------------------

class Milestone(StrEnum):
    on_site = "on_site"  # the clock stops when the technician is at the door
    completed = "completed"  # … when the work is done


@dataclass(frozen=True)
class Target:
    minutes: int | None  # None: the due time comes from elsewhere (hazard deadline, next working day)
    milestone: Milestone


# RULES.md §5 where it gives a figure; the other types carry this house default. Overridable per
# deployment through app.config["DISPATCH_TARGETS"] = {"repair": 180, …} (minutes).
DEFAULT_TARGETS: dict[OrderType, Target] = {
    OrderType.emergency: Target(30, Milestone.on_site),
    OrderType.repair: Target(4 * 60, Milestone.on_site),
    OrderType.purge_ignition: Target(3 * 24 * 60, Milestone.completed),
    OrderType.pressure_check: Target(3 * 24 * 60, Milestone.completed),
    OrderType.pipe_acceptance: Target(5 * 24 * 60, Milestone.completed),
    OrderType.rectification: Target(None, Milestone.completed),  # by the hazard deadline
    OrderType.meter_box: Target(7 * 24 * 60, Milestone.completed),
    OrderType.meter_replacement: Target(5 * 24 * 60, Milestone.completed),
    OrderType.meter_verification: Target(3 * 24 * 60, Milestone.completed),  # meter at the metering office
    OrderType.followup_visit: Target(None, Milestone.completed),  # by the end of the next working day
    OrderType.suspension: Target(24 * 60, Milestone.completed),
    OrderType.restoration: Target(24 * 60, Milestone.completed),  # RULES.md §4: within 24 h of payment
}
# Without a recorded hazard deadline a rectification is due like a grade B hazard (RULES.md §6).
DEFAULT_RECTIFICATION_DAYS = 15


def targets(overrides: dict | None = None) -> dict[OrderType, Target]:
    """The defaults with a deployment's overrides (minutes per type) applied; unknown types are refused."""
    result = dict(DEFAULT_TARGETS)
    for key, minutes in (overrides or {}).items():
        kind = OrderType(key)
        if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
            raise ValueError(f"DISPATCH_TARGETS[{key!r}] must be a positive number of minutes")
        result[kind] = Target(minutes, DEFAULT_TARGETS[kind].milestone)
    return result


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)


def next_working_day(day: date) -> date:
    """The next Monday–Friday after `day` (public holidays are not known here)."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def due_at(order_type: str, created_at: datetime, zone: ZoneInfo, target_table: dict | None = None,
           deadline: date | None = None) -> datetime:
    """When the order's milestone is due: created + the type's target, or the end of a given day.

    A rectification is due at the end of its hazard deadline; a follow-up call at the end of the next
    working day after it was created. Any other type: a `deadline` moves it earlier, never later.
    """
    kind = OrderType(order_type)
    target = (target_table or DEFAULT_TARGETS)[kind]
    local_day = created_at.astimezone(zone).date()
    if kind == OrderType.followup_visit and target.minutes is None:
        return end_of_day(next_working_day(local_day), zone)
    if target.minutes is None:
        day = deadline or local_day + timedelta(days=DEFAULT_RECTIFICATION_DAYS)
        return end_of_day(day, zone)
    due = created_at + timedelta(minutes=target.minutes)
    if deadline is not None:
        due = min(due, end_of_day(deadline, zone))
    return due


DUE_SOON_SHARE = 0.25  # the last quarter of the allowed time (a share of a duration, not money)
DUE_SOON_MIN = timedelta(minutes=10)


def due_state(created_at: datetime, due: datetime, now: datetime, milestone_at: datetime | None) -> str:
    """'met' / 'missed' once the milestone is reached; before: 'overdue', 'due_soon' or 'ok'."""
    if milestone_at is not None:
        return "met" if milestone_at <= due else "missed"
    if now > due:
        return "overdue"
    window = max(due - created_at, timedelta(0))
    soon = max(window * DUE_SOON_SHARE, DUE_SOON_MIN)
    return "due_soon" if due - now <= soon else "ok"


def minutes_since(start: datetime, now: datetime) -> int:
    """Whole minutes since the call (never negative: clocks of phones and server differ)."""
    return max(int((now - start).total_seconds() // 60), 0)


# --- completion -----------------------------------------------------------------------------------

SIGNATURE_TYPES = frozenset({OrderType.repair, OrderType.purge_ignition, OrderType.emergency,
                             OrderType.pipe_acceptance})
FOLLOWUP_AFTER = frozenset({OrderType.repair, OrderType.purge_ignition})
PHOTO_REQUIRED = frozenset({OrderType.meter_box})


def needs_signature(order_type: str) -> bool:
    """The customer signs (or the reason why not is recorded) when these types are completed."""
    return order_type in SIGNATURE_TYPES


def creates_followup(order_type: str) -> bool:
    return order_type in FOLLOWUP_AFTER


# Tightness test before gas is let in (RULES.md §5): at least 5 kPa held 15 minutes, no drop.
TIGHTNESS_MIN_KPA = Decimal("5")
TIGHTNESS_MIN_MINUTES = 15


def tightness_ok(pressure_kpa: Decimal, duration_min: int, drop_kpa: Decimal) -> bool:
    return pressure_kpa >= TIGHTNESS_MIN_KPA and duration_min >= TIGHTNESS_MIN_MINUTES and drop_kpa == 0


# --- tools and parts in custody -------------------------------------------------------------------

class ItemKind(StrEnum):
    tool = "tool"
    part = "part"


class MoveKind(StrEnum):
    issue = "issue"  # from the store to the technician
    use = "use"  # fitted on a job: leaves the technician's stock
    ret = "return"  # back to the store


MOVE_SIGN = {MoveKind.issue: 1, MoveKind.use: -1, MoveKind.ret: -1}
STORE_MOVES = (MoveKind.issue, MoveKind.ret)  # what the store records; "use" comes only from a completed job


def move_allowed(item_kind: str, move_kind: str) -> bool:
    """Tools are issued and returned; only parts are used up on a job."""
    return not (item_kind == ItemKind.tool and move_kind == MoveKind.use)


def balance_after(held: Decimal, move_kind: str, quantity: Decimal) -> Decimal:
    """The technician's holding after the move; negative means they do not hold that much."""
    return held + MOVE_SIGN[MoveKind(move_kind)] * quantity
