"""Pure rules of work orders (RULES.md §5): types, states, who moves an order where, targets, follow-ups.

No database, no Flask: every table here is tested pair by pair.
"""
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from fieldsvc.calendar import rules as working_days
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
# On a technician's list: theirs and not yet done (the board's "n open", the suggestions' workload).
ON_LIST = frozenset({Status.assigned, Status.accepted, Status.en_route, Status.on_site})
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


def next_working_day(day: date, overrides: working_days.Overrides | None = None) -> date:
    """The next working day after `day`: Monday–Friday, less the calendar's holidays (`overrides`),
    plus its make-up working days (calendar/rules.py)."""
    return working_days.next_working_day(day, overrides)


def due_at(order_type: str, created_at: datetime, zone: ZoneInfo, target_table: dict | None = None,
           deadline: date | None = None, overrides: working_days.Overrides | None = None) -> datetime:
    """When the order's milestone is due: created + the type's target, or the end of a given day.

    A rectification is due at the end of its hazard deadline; a follow-up call at the end of the next
    working day after it was created (`overrides`: the working-day calendar's holidays and make-up
    days). Any other type: a `deadline` moves it earlier, never later.
    """
    kind = OrderType(order_type)
    target = (target_table or DEFAULT_TARGETS)[kind]
    local_day = created_at.astimezone(zone).date()
    if kind == OrderType.followup_visit and target.minutes is None:
        return end_of_day(next_working_day(local_day, overrides), zone)
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


# --- whom to send: suggestions for the dispatcher -------------------------------------------------
# A candidate may do the type (ROLE_TYPES) and holds a valid licence for the role's field work
# (RULES.md §1: an expired licence blocks the work it licenses). The rest only ranks them.

# Any one of these, valid on the day, licenses the role's jobs (a higher service level covers a lower).
FIELD_LICENCES: dict[str, frozenset[str]] = {
    "repair_tech": frozenset({"service_cert_1", "service_cert_2", "service_cert_3"}),
    "pipe_fitter": frozenset({"service_cert_1", "service_cert_2", "service_cert_3"}),
    "metering_tech": frozenset({"metrology_licence"}),
}

# Score weights: 100 minus what counts against, plus what counts for; higher is better.
SCORE_BASE = 100.0
LOAD_WEIGHT = 12.0  # per open job on their list (one more job weighs like 6 km, 3 km for an emergency)
LOAD_CAP = 6  # beyond six open jobs the list is simply full
DISTANCE_WEIGHT = 2.0  # per km between the technician and the job
EMERGENCY_DISTANCE_WEIGHT = 4.0  # a leak has 30 minutes to be reached: being near counts double
DISTANCE_CAP_KM = 25.0  # across town is across town
ON_DUTY_BONUS = 15.0  # has moved a job today: out and working, not off shift
# Without two GPS positions the districts stand in for the distance.
SAME_DISTRICT_KM = 3.0
OTHER_DISTRICT_KM = 10.0
UNKNOWN_KM = 6.0  # nothing known: neither near nor far
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


class Nearness(StrEnum):
    """How the distance to the job was judged."""

    gps = "gps"  # the technician's last fix today and a fix taken at the customer's door: km
    same_district = "same_district"
    other_district = "other_district"
    unknown = "unknown"


Point = tuple[float, float]  # (latitude, longitude) in degrees


@dataclass(frozen=True)
class Candidate:
    user_id: int
    role: str
    open_jobs: int = 0
    on_duty: bool = False
    position: Point | None = None  # their last GPS fix today
    district_id: int | None = None  # where they work today (their last job's district, else their own)
    licences: tuple[tuple[str, date | None], ...] = ()  # (qualification kind, expires_on)


@dataclass(frozen=True)
class Site:
    """Where the job is: a fix taken at the door on an earlier job there, and the district."""

    position: Point | None = None
    district_id: int | None = None


@dataclass(frozen=True)
class Suggestion:
    user_id: int
    score: float
    open_jobs: int
    on_duty: bool
    nearness: Nearness
    km: float | None  # only when both positions are known
    licence_until: date | None  # None: a licence without an expiry date


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance between two (lat, lng) points in km."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def licence_valid_until(role: str, licences, today: date) -> tuple[bool, date | None]:
    """(licensed today, until when: the latest expiry among the valid ones, None for no expiry).
    A role outside FIELD_LICENCES needs none."""
    kinds = FIELD_LICENCES.get(role)
    if kinds is None:
        return True, None
    valid = [expires for kind, expires in licences if kind in kinds and (expires is None or expires >= today)]
    if not valid:
        return False, None
    return True, None if None in valid else max(valid)


def nearness(candidate: Candidate, site: Site) -> tuple[Nearness, float | None]:
    if candidate.position is not None and site.position is not None:
        return Nearness.gps, haversine_km(candidate.position, site.position)
    if candidate.district_id is None or site.district_id is None:
        return Nearness.unknown, None
    return (Nearness.same_district if candidate.district_id == site.district_id else Nearness.other_district), None


NEARNESS_KM = {Nearness.same_district: SAME_DISTRICT_KM, Nearness.other_district: OTHER_DISTRICT_KM,
               Nearness.unknown: UNKNOWN_KM}


def score(order_type: str, open_jobs: int, km: float, on_duty: bool) -> float:
    """SCORE_BASE − load − distance + on duty, with the weights above (one decimal)."""
    weight = EMERGENCY_DISTANCE_WEIGHT if order_type == OrderType.emergency else DISTANCE_WEIGHT
    value = (SCORE_BASE - LOAD_WEIGHT * min(max(open_jobs, 0), LOAD_CAP) - weight * min(km, DISTANCE_CAP_KM)
             + (ON_DUTY_BONUS if on_duty else 0.0))
    return round(value, 1)


def suggest(order_type: str, site: Site, candidates, today: date) -> list[Suggestion]:
    """The candidates who may take the job, best first (score; then fewer jobs, nearer, lower id)."""
    out = []
    for c in candidates:
        licensed, until = licence_valid_until(c.role, c.licences, today)
        if not (may_assign(c.role, order_type) and licensed):
            continue
        how, km = nearness(c, site)
        value = score(order_type, c.open_jobs, km if km is not None else NEARNESS_KM[how], c.on_duty)
        out.append(Suggestion(c.user_id, value, c.open_jobs, c.on_duty, how,
                              None if km is None else round(km, 1), until))
    far = DISTANCE_CAP_KM + 1
    return sorted(out, key=lambda s: (-s.score, s.open_jobs, s.km if s.km is not None else far, s.user_id))
