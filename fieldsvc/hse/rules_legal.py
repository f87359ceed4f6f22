"""Pure rules of the legal register and the internal audits (no db, no Flask): table-tested."""
from datetime import date

LEGAL_KINDS = ("law", "regulation", "standard", "local", "other")
AUDIT_STATES = ("planned", "conducted", "cancelled")
DECISION_KINDS = ("corrective", "action")
DUE_SOON_DAYS = 30


def evaluation_status(next_review_on: date | None, today: date, soon_days: int = DUE_SOON_DAYS) -> str | None:
    """'overdue' when the evaluation date has passed, 'due' within soon_days, else None."""
    if next_review_on is None:
        return None
    if next_review_on < today:
        return "overdue"
    if (next_review_on - today).days <= soon_days:
        return "due"
    return None


def next_evaluation(evaluated_on: date, compliant: bool) -> date:
    """When the next evaluation falls due: a year after a compliant one, three months after a failed one
    (the corrective action is checked sooner)."""
    months = 12 if compliant else 3
    month = evaluated_on.month - 1 + months
    year, month = evaluated_on.year + month // 12, month % 12 + 1
    day = min(evaluated_on.day, _days_in_month(year, month))
    return date(year, month, day)


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days
