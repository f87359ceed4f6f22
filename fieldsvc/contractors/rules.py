"""Pure rules of the contractor register: a licence's state on a day, and whether a contractor may be
given work (a permit) for a period. No database, no Flask."""
from datetime import date

PERMIT_STATUSES = ("issued", "closed", "cancelled")
EXPIRING_DAYS = 30  # a licence running out within a month is flagged


def licence_state(expires_on: date | None, today: date) -> str:
    """'expired' (the day after expires_on), 'expiring' (within EXPIRING_DAYS) or 'valid'."""
    if expires_on is None or expires_on < today:
        return "expired"
    if (expires_on - today).days <= EXPIRING_DAYS:
        return "expiring"
    return "valid"


def assignment_blocker(active: bool, expires_on: date | None, valid_from: date, valid_to: date,
                       today: date) -> str | None:
    """Why a contractor cannot be given work from valid_from to valid_to, or None when it can.

    'inactive'   the contractor is retired from the register
    'expired'    the licence has run out (today or at the start of the work)
    'period'     the work ends before it starts
    'outlasts'   the work runs past the licence's expiry
    """
    if not active:
        return "inactive"
    if licence_state(expires_on, max(today, valid_from)) == "expired":
        return "expired"
    if valid_to < valid_from:
        return "period"
    if valid_to > expires_on:
        return "outlasts"
    return None
