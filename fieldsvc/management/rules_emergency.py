"""Pure rules of the emergency plans and drills: the scenarios, a plan's review state, a drill's timings.
No database, no Flask."""
from datetime import date, datetime

SCENARIOS = ("leak", "fire", "co_poisoning", "mass_outage")
REVIEW_SOON_DAYS = 30
MAX_DRILL_HOURS = 24
MAX_RESPONSE_MINUTES = 24 * 60


def review_state(review_on: date | None, today: date) -> str:
    """'overdue' (the review date has passed), 'due_soon' (within REVIEW_SOON_DAYS) or 'ok'."""
    if review_on is None or review_on < today:
        return "overdue"
    if (review_on - today).days <= REVIEW_SOON_DAYS:
        return "due_soon"
    return "ok"


def duration_minutes(started_at: datetime | None, ended_at: datetime | None) -> int | None:
    """Whole minutes from start to end (None when either is missing)."""
    if started_at is None or ended_at is None:
        return None
    return int((ended_at - started_at).total_seconds() // 60)


def timing_problem(held_on: date, started_at: datetime | None, ended_at: datetime | None,
                   response_minutes: int | None, start_day: date | None) -> tuple[str, str] | None:
    """(field, code) of the first thing wrong with a drill's timings, or None.

    start_day is the business date of started_at (the caller converts to the local zone).
    'other_day'  the start is not on the day the drill was held
    'order'      the end is not after the start
    'too_long'   longer than MAX_DRILL_HOURS
    'response'   the response time is negative, beyond MAX_RESPONSE_MINUTES, or longer than the drill
    """
    if started_at is not None and start_day is not None and start_day != held_on:
        return "started_at", "other_day"
    if started_at is not None and ended_at is not None:
        if ended_at <= started_at:
            return "ended_at", "order"
        if (ended_at - started_at).total_seconds() > MAX_DRILL_HOURS * 3600:
            return "ended_at", "too_long"
    if response_minutes is not None:
        if not 0 <= response_minutes <= MAX_RESPONSE_MINUTES:
            return "response_minutes", "response"
        duration = duration_minutes(started_at, ended_at)
        if duration is not None and response_minutes > duration:
            return "response_minutes", "response"
    return None
