"""Bulk import of customers (and their meters) from the office's CSV exports; format in docs/IMPORT.md.

Every row goes through the API's own schemas (CustomerIn, MeterIn), so the import accepts exactly what
the API would. Valid rows are bulk-inserted per batch with one audit entry per batch: per-row ORM objects
and audit entries would turn a 50,000-row city export into many minutes of work.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from fieldsvc.customers.importer import columns as fmt
from fieldsvc.customers.importer.columns import read_csv
from fieldsvc.customers.importer.store import store_batch
from fieldsvc.customers.models import District
from fieldsvc.customers.schemas import CustomerIn, MeterIn
from fieldsvc.extensions import db
from fieldsvc.permissions import P, require

__all__ = ["ImportResult", "import_customers", "read_csv"]


@dataclass
class ImportResult:
    imported: int = 0          # customers created (or, in a dry run, that would be)
    meters: int = 0            # meters created and installed with them
    already_present: int = 0   # rows skipped because the account number exists
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, column, message)
    headings: dict[str, str] = field(default_factory=dict)  # column → heading as written in the file
    ignored_columns: list[str] = field(default_factory=list)
    batches: int = 0
    dry_run: bool = False

    @property
    def error_lines(self) -> int:
        return len({line for line, _col, _msg in self.errors})


@dataclass
class Row:
    line: int
    customer: dict
    meter: dict | None


@dataclass
class _Context:
    columns: dict[int, str]
    districts: dict[str, int]
    seen_accounts: dict[str, int] = field(default_factory=dict)
    seen_serials: dict[str, int] = field(default_factory=dict)
    customer_schema: CustomerIn = field(default_factory=CustomerIn)
    meter_schema: MeterIn = field(default_factory=MeterIn)


def import_customers(actor, rows: Iterable[list[str]], batch_size: int = 1000, *, dry_run: bool = False,
                     after_batch: Callable[[], None] | None = None, source: str | None = None) -> ImportResult:
    """Validate every row of `rows` (header first) and create the new customers and their meters.

    Existing account numbers are skipped and counted (re-running adds nothing); errors are collected by
    line (the header is line 1) and do not stop the good rows. Flushes per batch and calls `after_batch`
    (the CLI commits there), never commits itself. A dry run validates everything and writes nothing.
    """
    require(actor, P.customers_import)
    result = ImportResult(dry_run=dry_run)
    rows = iter(rows)
    columns = _read_header(next(rows, None), result)
    if columns is None:
        return result
    if any(col in fmt.METER_COLUMNS for col in columns.values()):
        require(actor, P.meters_edit)
    ctx = _Context(columns=columns, districts=_district_ids())
    batch: list[Row] = []
    for line, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # Excel leaves rows of empty cells below the data
        row = _validate(line, cells, ctx, result)
        if row is not None:
            batch.append(row)
        if len(batch) >= batch_size:
            store_batch(actor, batch, ctx.districts, result, source, after_batch)
            batch = []
    if batch:
        store_batch(actor, batch, ctx.districts, result, source, after_batch)
    result.errors.sort(key=lambda e: e[0])
    return result


def _read_header(header: list[str] | None, result: ImportResult) -> dict[int, str] | None:
    """Map cell positions to column names; header problems are line-1 errors and stop the import."""
    if not header or not any(h.strip() for h in header):
        result.errors.append((1, "file", _("The file is empty.")))
        return None
    columns: dict[int, str] = {}
    for i, heading in enumerate(header):
        column = fmt.column_for(heading)
        if column is None:
            if heading.strip():
                result.ignored_columns.append(heading.strip())
        elif column in result.headings:
            result.errors.append((1, column, _("This column appears twice.")))
        else:
            columns[i] = column
            result.headings[column] = heading.replace("\ufeff", "").strip()
    for column in fmt.REQUIRED_COLUMNS:
        if column not in result.headings:
            result.errors.append((1, column, _("Missing column.")))
    return None if result.errors else columns


def _district_ids() -> dict[str, int]:
    """District name and code → id, so a row names its district either way."""
    found = {}
    for district in db.session.execute(select(District)).scalars():
        found[district.name] = found[district.code] = district.id
    return found


def _load(schema, data: dict, errors: dict[str, list[str]], rename: dict[str, str] | None = None) -> dict | None:
    try:
        return schema.load(data)
    except ValidationError as exc:
        for name, messages in exc.normalized_messages().items():
            column = (rename or {}).get(name, name)
            errors.setdefault(column, []).extend(messages if isinstance(messages, list) else [str(messages)])
        return None


def _validate(line: int, cells: list[str], ctx: _Context, result: ImportResult) -> Row | None:
    """One data row → a Row ready to insert, or None with its errors added to the result."""
    values = {col: fmt.clean(col, cells[i]) for i, col in ctx.columns.items() if i < len(cells)}
    errors: dict[str, list[str]] = {}
    for column in ("account_no", "phone", "meter_serial"):
        if fmt.SCIENTIFIC.match(values.get(column, "")):
            errors.setdefault(column, []).append(
                _("Excel turned this number into scientific notation: format the column as text."))
    customer = _load(ctx.customer_schema, {c: values[c] for c in fmt.CUSTOMER_COLUMNS if c in values}, errors)
    if customer is not None:
        if customer["district"] not in ctx.districts:
            errors.setdefault("district", []).append(_("Unknown district: %(name)s", name=customer["district"]))
        if not any(customer.get(c) for c in fmt.ADDRESS_COLUMNS):
            errors.setdefault("estate", []).append(_("An address is required."))
    _check_repeat("account_no", values.get("account_no"), ctx.seen_accounts, line, errors)
    meter = None
    if any(values.get(c) for c in fmt.METER_COLUMNS):
        meter_data = {fmt.METER_COLUMNS[c]: values[c] for c in fmt.METER_COLUMNS if c in values}
        meter = _load(ctx.meter_schema, meter_data, errors, fmt.METER_ERROR_COLUMN)
        _check_repeat("meter_serial", values.get("meter_serial"), ctx.seen_serials, line, errors)
    if errors:
        result.errors.extend((line, col, msg) for col, messages in errors.items() for msg in messages)
        return None
    return Row(line, customer, meter)


def _check_repeat(column: str, value: str | None, seen: dict[str, int], line: int, errors: dict) -> None:
    """The first row with a value wins; later ones in the same file are errors naming it."""
    if not value:
        return
    if value in seen:
        errors.setdefault(column, []).append(_("Same as line %(line)d.", line=seen[value]))
    else:
        seen[value] = line


