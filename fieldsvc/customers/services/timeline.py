"""A customer's timeline: every domain adds its sources on the app (registry.timeline_sources).

The page is opened by every role, so the whole timeline is one statement: each source is a SELECT of the
same columns (`line()`), all of them joined by UNION ALL, and each source turns its own rows into events.
A source that keeps only its latest rows (readings, bills) orders and limits its own SELECT. Building that
statement costs more than running it, so it is built once per language, with the customer as a parameter."""
import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import get_locale
from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    Numeric,
    Select,
    Text,
    bindparam,
    cast,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import Row
from sqlalchemy.sql.elements import BindParameter

from fieldsvc import clock, registry
from fieldsvc.customers.models import Customer
from fieldsvc.extensions import db
from fieldsvc.models import UTCDateTime
from fieldsvc.permissions import P, require


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime | date
    kind: str
    title: str
    detail: str = ""
    url: str | None = None


@dataclass(frozen=True)
class TimelineSource:
    """`rows(customer_id)`: a SELECT of `line(...)` for the bound parameter `customer_id`; `events(row)`: what
    one row says (a meter installation says installed and, later, removed: one row, two events). The rows come
    back marked with `name`, which picks whose `events` reads them."""
    name: str
    rows: Callable[[BindParameter], Select]
    events: Callable[[Row], Iterable[TimelineEvent]]


# The shared columns. Types are explicit so the UNION lines up on PostgreSQL (a bare NULL in a subquery
# would be text) and so SQLite's stored strings come back as dates and Decimals.
STRINGS = 7
NUMBERS = 3
SLOTS = {"at": UTCDateTime(), "day": Date(), "ref": Integer(), "ref2": Integer(), "flag": Boolean(),
         **{f"s{i}": Text() for i in range(1, STRINGS + 1)},
         **{f"n{i}": Numeric() for i in range(1, NUMBERS + 1)},
         "data": Text()}


def line(*, at=None, day=None, ref=None, ref2=None, flag=None, s=(), n=(), data=None) -> list:
    """The columns of one timeline row: `s` strings, `n` numbers (in order), `data` a JSON column."""
    if len(s) > STRINGS or len(n) > NUMBERS:
        raise ValueError(f"a timeline line has at most {STRINGS} strings and {NUMBERS} numbers")
    given = {"at": at, "day": day, "ref": ref, "ref2": ref2, "flag": flag,
             **{f"s{i}": v for i, v in enumerate(s, 1)}, **{f"n{i}": v for i, v in enumerate(n, 1)},
             "data": None if data is None else cast(data, Text)}
    columns = []
    for name, type_ in SLOTS.items():
        value = given.get(name)
        if value is None:
            value = cast(null(), type_)
        elif name.startswith("n"):
            value = cast(value, Numeric)  # numeric(12,3) and numeric(7,2) meet as numeric, keeping each scale
        columns.append(type_coerce(value, type_).label(name))
    return columns


def data_of(row) -> dict | list:
    """The row's JSON column, parsed ({} when there is none)."""
    return json.loads(row.data) if row.data else {}


def scaled(value, places: int) -> Decimal | None:
    """A number as its own column shows it (SQLite hands back floats; the column had `places` decimals)."""
    return None if value is None else Decimal(value).quantize(Decimal(1).scaleb(-places))


def add_timeline_source(app, *sources: TimelineSource) -> None:
    """Each domain adds what it has to say of a customer. A row names its source: names are unique."""
    registered = registry.of(app).timeline_sources
    for source in sources:
        if any(s.name == source.name for s in registered):
            raise ValueError(f"timeline source {source.name!r} is registered twice")
        registered.append(source)


def timeline(actor, customer: Customer) -> list[TimelineEvent]:
    """Everything that happened to this customer, newest first: one statement for every source."""
    require(actor, P.customers_view)
    sources = tuple(registry.of().timeline_sources)
    by_name = {s.name: s for s in sources}
    events = []
    for row in db.session.execute(_statement(sources, str(get_locale())), {"customer_id": customer.id}):
        events.extend(by_name[row.source].events(row))
    return sorted(events, key=lambda e: _sort_key(e.at), reverse=True)


@functools.cache
def _statement(sources: tuple[TimelineSource, ...], locale: str):
    """The UNION of every source (a source may name columns by language, e.g. a checklist item's label)."""
    customer_id = bindparam("customer_id", type_=Integer())
    return union_all(*(select(literal(s.name, Text).label("source"), *s.rows(customer_id).subquery().c)
                       for s in sources))


def _sort_key(at):
    if isinstance(at, datetime):
        return at.astimezone(clock.zone()).replace(tzinfo=None)
    return datetime(at.year, at.month, at.day, 23, 59)
