"""`flask readings import FILE.csv`: reading history from the previous system (docs/READINGS.md).

Columns: meter_serial (表号), read_at (抄表日期: a date, or a date and time), value (读数), optional
kind (actual | estimated | self). Rows are appended to each meter's history in time order with the
consumption worked out from the row before (rollover included; a value going backwards is kept with
consumption 0 and the code `negative`). History is not billed again: the old system billed it.
A row at or before the meter's last reading on file is skipped when it is already there (re-runs are
safe) and refused otherwise. Good rows are imported even when others have errors (listed by line).

Fast path: meters and the readings already on file are loaded in a few chunked queries, the rows
are inserted with executemany in batches, one audit entry per batch.
"""
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import insert, select

from fieldsvc import audit, clock
from fieldsvc.customers.models import Meter
from fieldsvc.extensions import db
from fieldsvc.permissions import P, require
from fieldsvc.readings import rules
from fieldsvc.readings.models import Reading, RouteStop
from fieldsvc.readings.services.history import LIVE

COLUMNS = ("meter_serial", "read_at", "value", "kind")
ALIASES = {"表号": "meter_serial", "燃气表号": "meter_serial", "serial_no": "meter_serial",
           "抄表日期": "read_at", "抄表时间": "read_at", "日期": "read_at", "read_on": "read_at",
           "读数": "value", "本次读数": "value", "表底数": "value",
           "类型": "kind", "抄表类型": "kind"}
KIND_ALIASES = {"": "actual", "实抄": "actual", "估抄": "estimated", "自报": "self"}
IMPORT_KINDS = {"actual", "estimated", "self"}
_DATE = re.compile(r"^(\d{4})[./-](\d{1,2})[./-](\d{1,2})$")
CHUNK = 500
NOON = time(12, 0)  # a date without a time: read at midday (after an installation that morning)


@dataclass
class ImportResult:
    imported: int = 0
    already_present: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


@dataclass
class _Row:
    line: int
    meter: tuple  # (id, customer_id, digits, start_reading, installed_on)
    read_at: datetime
    value: Decimal
    kind: str


def _header(cells: list[str]) -> dict[str, int] | None:
    names = [ALIASES.get(c.strip().lower(), ALIASES.get(c.strip(), c.strip().lower())) for c in cells]
    index = {n: i for i, n in enumerate(names) if n in COLUMNS}
    return index if all(c in index for c in COLUMNS[:3]) else None


def _parse_time(text: str) -> datetime:
    zone = clock.zone()
    match = _DATE.match(text)
    if match:
        y, m, d = (int(x) for x in match.groups())
        return datetime(y, m, d, NOON.hour, tzinfo=zone)
    moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _meters(serials: set[str]) -> dict[str, tuple]:
    found, serials = {}, sorted(serials)
    for start in range(0, len(serials), CHUNK):
        stmt = (select(Meter.serial_no, Meter.id, Meter.customer_id, Meter.digits, Meter.start_reading,
                       Meter.installed_on).where(Meter.serial_no.in_(serials[start:start + CHUNK])))
        for serial, *rest in db.session.execute(stmt):
            found[serial] = tuple(rest)
    return found


def _on_file(meter_ids: list[int]) -> tuple[dict[int, tuple], set[tuple[int, datetime]], dict[int, int]]:
    """Per meter: the last live reading (read_at, value), every (meter, read_at) on file, its route."""
    last, present, routes = {}, set(), {}
    for start in range(0, len(meter_ids), CHUNK):
        chunk = meter_ids[start:start + CHUNK]
        stmt = (select(Reading.meter_id, Reading.read_at, Reading.value, Reading.status)
                .where(Reading.meter_id.in_(chunk)).order_by(Reading.read_at))
        for meter_id, read_at, value, status in db.session.execute(stmt):
            present.add((meter_id, read_at))
            if status in LIVE:
                last[meter_id] = (read_at, value)
        routes.update(db.session.execute(select(RouteStop.meter_id, RouteStop.route_id)
                                         .where(RouteStop.meter_id.in_(chunk))).all())
    return last, present, routes


def _validate(line: int, cells: list[str], index: dict, meters: dict, result: ImportResult) -> _Row | None:
    def cell(name):
        i = index.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""
    serial, errors = cell("meter_serial"), []
    meter = meters.get(serial)
    if meter is None:
        errors.append(_("meter_serial: no meter has the serial number %(serial)s.", serial=serial or "—"))
    try:
        read_at = _parse_time(cell("read_at"))
    except ValueError:
        read_at = None
        errors.append(_("read_at: not a date (YYYY-MM-DD) or a date and time."))
    try:
        value = Decimal(cell("value"))
        if not value.is_finite() or value < 0 or (meter and value >= rules.register_limit(meter[2])):
            raise InvalidOperation
    except InvalidOperation:
        value = None
        errors.append(_("value: not a register value."))
    kind = KIND_ALIASES.get(cell("kind"), cell("kind").lower())
    if kind not in IMPORT_KINDS:
        errors.append(_("kind: must be actual, estimated or self."))
    if read_at and read_at > clock.now():
        errors.append(_("read_at: in the future."))
    if errors:
        result.errors.extend((line, e) for e in errors)
        return None
    return _Row(line, meter, read_at, value, kind)


def import_history(actor, rows: list[list[str]], batch_size: int = 5000, source: str | None = None,
                   after_batch: Callable | None = None) -> ImportResult:
    """Import reading history rows (the first row is the header); flushes, the caller commits."""
    require(actor, P.billing_export)
    result = ImportResult()
    index = _header(rows[0]) if rows else None
    if index is None:
        result.errors.append((1, _("The header must name the columns meter_serial, read_at and value.")))
        return result
    meters = _meters({r[index["meter_serial"]].strip() for r in rows[1:] if len(r) > index["meter_serial"]})
    good = [row for n, cells in enumerate(rows[1:], start=2) if any(c.strip() for c in cells)
            if (row := _validate(n, cells, index, meters, result)) is not None]
    by_meter: dict[int, list[_Row]] = defaultdict(list)
    for row in good:
        by_meter[row.meter[0]].append(row)
    last, present, routes = _on_file(sorted(by_meter))
    values = []
    for meter_id, meter_rows in by_meter.items():
        values.extend(_consumptions(meter_id, sorted(meter_rows, key=lambda r: r.read_at), last, present,
                                    routes, actor, result))
    for start in range(0, len(values), batch_size):
        batch = values[start:start + batch_size]
        db.session.execute(insert(Reading), batch)
        audit.record(actor, "reading.import", "system", None, rows=len(batch), source=source)
        result.imported += len(batch)
        if after_batch:
            after_batch()
    return result


def _consumptions(meter_id, rows, last, present, routes, actor, result) -> list[dict]:
    out = []
    _id, customer_id, digits, start_reading, installed_on = rows[0].meter
    previous = last.get(meter_id)
    if previous is None:
        start_at = rules.start_of_day(installed_on, clock.zone()) if installed_on else None
        previous = (start_at, start_reading or Decimal(0))
    for row in rows:
        if (meter_id, row.read_at) in present:
            result.already_present += 1
            continue
        if previous[0] is not None and row.read_at <= previous[0]:
            result.errors.append((row.line, _("read_at: not after the meter's previous reading.")))
            continue
        consumption, code = rules.raw_consumption(row.value, previous[1], digits)
        if code == rules.Code.negative:
            consumption = Decimal(0)
        read_on = clock.business_date(row.read_at)
        out.append({"meter_id": meter_id, "customer_id": customer_id, "route_id": routes.get(meter_id),
                    "cycle": rules.cycle_of(read_on), "read_at": row.read_at, "read_on": read_on,
                    "value": row.value, "kind": row.kind, "consumption_m3": consumption,
                    "anomalies": code or "", "status": "accepted", "source": "import",
                    "recorded_by": getattr(actor, "id", None), "created_at": clock.now()})
        present.add((meter_id, row.read_at))
        previous = (row.read_at, row.value)
    return out
