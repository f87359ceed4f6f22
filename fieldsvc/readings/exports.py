"""CSV for the billing system, per cycle: the approved readings, and the bills with their tier lines.

Only final readings leave: accepted without a flag, or approved by the chief. Readings awaiting review
or sent back stay out (the export page says how many are still pending). UTF-8 with a BOM so that
Excel on a Chinese Windows opens it right.
"""
from collections.abc import Iterator

from sqlalchemy import select

from fieldsvc import exports
from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer, Meter
from fieldsvc.extensions import db
from fieldsvc.permissions import P, require
from fieldsvc.readings.models import Bill, BillLine, Reading

FINAL = ("accepted", "approved")
READING_COLUMNS = ["reading_id", "account_no", "meter_serial", "read_at", "read_on", "kind", "value",
                   "consumption_m3", "anomalies", "status", "reason", "reader"]
BILL_COLUMNS = ["bill_id", "account_no", "category", "meter_serial", "reading_id", "period_start", "period_end",
                "volume_m3", "amount", "issued_on", "due_on", "status", "line", "cycle_start", "tier",
                "tier_volume_m3", "price", "line_amount"]
CHUNK = 2000


def _csv(header: list[str], rows) -> Iterator[str]:
    return exports.csv_rows(header, rows)  # the one export writer: text cleaned, formulas neutralised


def readings_csv(actor, cycle: str) -> Iterator[str]:
    require(actor, P.billing_export)
    stmt = (select(Reading, Customer.account_no, Meter.serial_no, User.username)
            .join(Meter, Meter.id == Reading.meter_id).outerjoin(Customer, Customer.id == Reading.customer_id)
            .outerjoin(User, User.id == Reading.recorded_by)
            .where(Reading.cycle == cycle, Reading.status.in_(FINAL), Reading.kind != "start")
            .order_by(Reading.read_at, Reading.id).execution_options(yield_per=CHUNK))
    rows = ([r.id, account, serial, r.read_at.isoformat(), r.read_on.isoformat(), r.kind, r.value,
             r.consumption_m3, r.anomalies, r.status, r.reason or "", user or ""]
            for r, account, serial, user in db.session.execute(stmt))
    return _csv(READING_COLUMNS, rows)


def bills_csv(actor, cycle: str) -> Iterator[str]:
    """One row per tier line, the bill's fields repeated, so the billing system sees the stored split."""
    require(actor, P.billing_export)
    stmt = (select(Bill, BillLine, Customer.account_no, Meter.serial_no)
            .join(BillLine, BillLine.bill_id == Bill.id).join(Customer, Customer.id == Bill.customer_id)
            .join(Meter, Meter.id == Bill.meter_id).where(Bill.cycle == cycle)
            .order_by(Bill.id, BillLine.seq).execution_options(yield_per=CHUNK))
    rows = ([b.id, account, b.category, serial, b.reading_id, b.period_start.isoformat(), b.period_end.isoformat(),
             b.volume_m3, b.amount, b.issued_on.isoformat(), b.due_on.isoformat(), b.status, line.seq,
             line.cycle_start.isoformat(), line.tier, line.volume_m3, line.price, line.amount]
            for b, line, account, serial in db.session.execute(stmt))
    return _csv(BILL_COLUMNS, rows)
