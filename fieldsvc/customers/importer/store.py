"""Writing a batch of validated rows: skip what exists, bulk INSERT the rest, one audit entry per batch."""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import any_, bindparam, insert, select
from sqlalchemy.dialects.postgresql import ARRAY

from fieldsvc import audit, clock
from fieldsvc.customers import rules
from fieldsvc.customers.importer.columns import ADDRESS_COLUMNS
from fieldsvc.customers.models import Customer, Meter, MeterInstallation
from fieldsvc.extensions import db

if TYPE_CHECKING:
    from fieldsvc.customers.importer import ImportResult, Row

IN_CHUNK = 500  # bound parameters per IN (...) query: below every SQLite build's limit


def find(key, value, keys: list[str]) -> dict[str, object]:
    """{key: value} of the rows whose `key` column is in `keys`, a few hundred per query."""
    found: dict[str, object] = {}
    postgres = db.session.get_bind().dialect.name == "postgresql"
    for start in range(0, len(keys), IN_CHUNK):
        chunk = keys[start:start + IN_CHUNK]
        # PostgreSQL: one array parameter. A 500-item IN list is slow for psycopg to send and, on a
        # freshly filled table the planner has no statistics for, is scanned item by item.
        where = key == any_(bindparam(None, chunk, type_=ARRAY(key.type))) if postgres else key.in_(chunk)
        found.update((k, v) for k, v in db.session.execute(select(key, value).where(where)))
    return found


def store_batch(actor, batch: list[Row], districts: dict[str, int], result: ImportResult,
                source: str | None, after_batch: Callable[[], None] | None) -> None:
    """Skip accounts already in the database, refuse meters whose serial is taken, insert the rest."""
    present = find(Customer.account_no, Customer.id, [r.customer["account_no"] for r in batch])
    fresh = [r for r in batch if r.customer["account_no"] not in present]
    result.already_present += len(batch) - len(fresh)
    taken = find(Meter.serial_no, Meter.id, [r.meter["serial_no"] for r in fresh if r.meter])
    rows = []
    for row in fresh:
        if row.meter and row.meter["serial_no"] in taken:
            result.errors.append((row.line, "meter_serial", _("This meter serial number already exists.")))
        else:
            rows.append(row)
    result.batches += 1
    meters = sum(1 for r in rows if r.meter)
    if rows and not result.dry_run:
        _insert(rows, districts)
        audit.record(actor, "customer.import", "customer", None, source=source, count=len(rows),
                     meters=meters, lines=[rows[0].line, rows[-1].line],
                     accounts=[r.customer["account_no"] for r in rows])
        if after_batch is not None:
            after_batch()
    result.imported += len(rows)
    result.meters += meters


def _insert(rows: list[Row], district_ids: dict[str, int]) -> None:
    """Bulk INSERT customers, then their meters and installation records (same shape as the services)."""
    # Plain executemany and a SELECT for the new ids: INSERT … RETURNING goes out as one huge statement
    # that psycopg spends seconds converting per batch.
    db.session.execute(insert(Customer), [_customer_values(r.customer, district_ids) for r in rows])
    ids = find(Customer.account_no, Customer.id, [r.customer["account_no"] for r in rows])
    with_meter = [r for r in rows if r.meter]
    if not with_meter:
        return
    today = clock.today()
    meters = [_meter_values(r.meter, ids[r.customer["account_no"]], today) for r in with_meter]
    db.session.execute(insert(Meter), meters)
    meter_ids = find(Meter.serial_no, Meter.id, [m["serial_no"] for m in meters])
    db.session.execute(insert(MeterInstallation), [
        {"meter_id": meter_ids[m["serial_no"]], "customer_id": m["customer_id"], "installed_on": m["installed_on"],
         "start_reading": m["start_reading"]} for m in meters])


def _customer_values(data: dict, district_ids: dict[str, int]) -> dict:
    # Every row carries every key, so SQLAlchemy sends the whole batch as one executemany.
    values = {c: data.get(c) for c in ("account_no", "name", "phone", "category", "gas", *ADDRESS_COLUMNS, "note")}
    values.update(district_id=district_ids[data["district"]], status=rules.CustomerStatus.active.value,
                  version=1, address=rules.format_address(*(data.get(c) for c in ADDRESS_COLUMNS)))
    return values


def _meter_values(data: dict, customer_id: int, today) -> dict:
    # As services.create_meter + install_meter: installed today unless a date is given, start reading 0.
    values = {c: data.get(c) for c in ("serial_no", "size", "accuracy_class", "kind", "location", "maker",
                                       "made_on", "first_verified_on")}
    values.update(customer_id=customer_id, installed_on=data.get("installed_on") or today,
                  start_reading=data.get("start_reading") or Decimal(0), digits=data.get("digits") or 5,
                  status=rules.MeterStatus.installed.value, version=1)
    return values
