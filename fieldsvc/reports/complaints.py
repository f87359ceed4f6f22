"""Complaints in the numbers: received, closed and the on-time rate against the complaint clocks, by
category and by channel. Read-only, one statement.

- received: complaints received (received_at) in the period;
- closed: complaints closed (closed_at: the customer confirmed, or acknowledged a "not valid" answer)
  in the period, whenever they were received (a reopening clears closed_at, so it counts again when it
  closes again);
- on time / late / running: each complaint received in the period, its clocks judged now by
  `complaints.rules.clocks` and `verdict` (the ledger's judging: `rules.clock_state` against
  the due times the complaint carries; the resolution clock does not apply to one judged not valid);
- on_time_rate = on_time / (on_time + late), %, one decimal; complaints still running in time are not
  judged yet and are left out.
With a district: the complaints of that district.
"""
from datetime import date

from sqlalchemy import or_, select

from fieldsvc.complaints import rules
from fieldsvc.complaints.models import Complaint
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.reports.queries import _between, rate


def _empty() -> dict:
    return {"received": 0, "closed": 0, "on_time": 0, "late": 0, "running": 0}


def _finish(counts: dict) -> dict:
    counts["on_time_rate"] = rate(counts["on_time"], counts["on_time"] + counts["late"])
    return counts


def numbers(start: date, end: date, district_id: int | None) -> dict:
    """→ {"received", "closed", "on_time", "late", "running", "on_time_rate",
          "by_category": {code: {same keys}}, "by_channel": {code: {same keys}}}
    Every category and channel is listed (zeros included), so a table or a chart never misses a row."""
    received = _between(Complaint.received_at, start, end)
    closed = _between(Complaint.closed_at, start, end)
    stmt = (select(Complaint.category, Complaint.channel, Complaint.valid, Complaint.received_at,
                   Complaint.first_contact_due, Complaint.first_contacted_at, Complaint.resolve_due,
                   Complaint.resolved_at, Complaint.closed_at, received.label("in_received"),
                   closed.label("in_closed"))
            .where(or_(received, closed)))
    if district_id is not None:
        stmt = stmt.where(Complaint.district_id == district_id)
    total = _empty()
    by_category = {c.value: _empty() for c in rules.Category}
    by_channel = {c.value: _empty() for c in rules.Channel}
    now = utcnow()
    for row in db.session.execute(stmt).all():
        groups = (total, by_category.setdefault(row.category, _empty()), by_channel.setdefault(row.channel, _empty()))
        if row.in_received:
            first, resolve = rules.clocks(row.first_contact_due, row.first_contacted_at, row.resolve_due,
                                    row.resolved_at, row.valid, now)
            judged = rules.verdict(first, resolve)
            for g in groups:
                g["received"] += 1
                g[judged if judged in (rules.ON_TIME, rules.LATE) else "running"] += 1
        if row.in_closed:
            for g in groups:
                g["closed"] += 1
    return {**_finish(total), "by_category": {k: _finish(v) for k, v in by_category.items()},
            "by_channel": {k: _finish(v) for k, v in by_channel.items()}}
