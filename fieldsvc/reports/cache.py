"""The dashboards' 12-month trends with closed months' figures kept in `report_figure_cache`.

Choice and staleness rule:
- Only closed months (ended before today's business month) are kept; the running month is always
  computed live, and so is everything else on the dashboard, the KPI API and the monthly report.
- A kept row is used for `REPORTS_TREND_CACHE_SECONDS` (env FIELDSVC_REPORTS_TREND_CACHE_SECONDS; default
  3600 s; 0 keeps nothing) after it was computed, then
  recomputed on the next view. A late change to a closed month's records (a reading recorded or sent
  back, a route changed today — the plan of past months starts from today's routes) therefore shows in
  the trend within that time; nothing is invalidated on write, because bulk paths (the readings import)
  write without the ORM and would slip past any hook.
- Rows are keyed by (figure set, version, month, district): changing a trend figure's definition bumps
  TREND_VERSION and old rows are simply no longer read.
Costs: one SELECT of the kept months; for the months missing or expired, one GROUP BY for the orders and
two for the readings, whatever their number, and one upsert. Warm, the dashboard's trend costs the SELECT
and the running month's three queries — none when the dashboard's period is that whole month, whose
figures it already has (`known`). Cold (every month missing) at city size: ≈ 1.5 s on SQLite, 0.8 s on
PostgreSQL for the whole company, once per expiry and district filter. The dashboard reads the kept months
of both figure sets (its two trends and the year to date) in one SELECT (`prefetch`, passed as `kept`).
"""
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select

from fieldsvc import clock
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.reports import queries
from fieldsvc.reports.models import FigureCache

TREND = "trend"
TREND_VERSION = 1


def seconds() -> int:
    """How long a kept month is used (REPORTS_TREND_CACHE_SECONDS in fieldsvc/config.py; 0 keeps nothing)."""
    return int(current_app.config["REPORTS_TREND_CACHE_SECONDS"])


def closed(year: int, month: int, today: date | None = None) -> bool:
    today = today or clock.today()
    return (year, month) < (today.year, today.month)


def _upsert(rows: list[dict]) -> None:
    """Insert or refresh rows; two instances writing the same month at once both succeed."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(FigureCache).values(rows)
    stmt = stmt.on_conflict_do_update(index_elements=["figure_set", "version", "month", "district_id"],
                                      set_={"payload": stmt.excluded.payload,
                                            "computed_at": stmt.excluded.computed_at})
    db.session.execute(stmt)


def _fresh_since(ttl: int):
    return FigureCache.computed_at >= utcnow() - timedelta(seconds=ttl)


def prefetch(district_id: int | None, trend_months: list[tuple[int, int]],
             sales_months_: list[tuple[int, int]]) -> dict[str, dict]:
    """The kept rows `trend` and `sales_months` would read for these months, in ONE SELECT (the dashboard
    asks for both trends and the year to date: three SELECTs otherwise). Same rule as theirs: closed
    months only, this version, fresh within the TTL. Pass the result as their `kept`; they add the closed
    months they compute to it, as a second SELECT would have found them after the upsert.
    → {TREND: {"2026-10": payload}, SALES: {"2026-10": {field: Decimal}}}"""
    from decimal import Decimal
    today = clock.today()
    ttl = seconds()
    wanted = {TREND: (TREND_VERSION, [queries.month_key(y, m) for y, m in trend_months if closed(y, m, today)]),
              SALES: (SALES_VERSION, [queries.month_key(y, m) for y, m in sales_months_ if closed(y, m, today)])}
    kept: dict[str, dict] = {TREND: {}, SALES: {}}
    asked = [and_(FigureCache.figure_set == name, FigureCache.version == version, FigureCache.month.in_(keys))
             for name, (version, keys) in wanted.items() if keys]
    if not asked or ttl <= 0:
        return kept
    stmt = (select(FigureCache.figure_set, FigureCache.month, FigureCache.payload)
            .where(or_(*asked), FigureCache.district_id == (district_id or 0), _fresh_since(ttl)))
    for name, month, payload in db.session.execute(stmt).all():
        kept[name][month] = payload if name == TREND else {f: Decimal(payload[f]) for f in SALES_FIELDS}
    return kept


def trend(months: list[tuple[int, int]], district_id: int | None, known: dict | None = None,
          kept: dict | None = None) -> dict[str, dict]:
    """Work orders created and 抄表率 per month (oldest first), closed months from the cache when fresh.
    `known`: months whose figures the caller has already computed (the dashboard's period when it is one
    whole month): {"2026-11": {"orders": n, "stops": n, "read": n}}, used as they are and not queried.
    → {"2026-11": {"orders": n, "readings": {"stops", "read", "rate"}}}. Writes (flushes) the rows it
    computed for closed months; the caller commits. `kept`: what `prefetch` read (no SELECT here then)."""
    keys = {(y, m): queries.month_key(y, m) for y, m in months}
    today = clock.today()
    ttl = seconds()
    closed_keys = [k for (y, m), k in keys.items() if closed(y, m, today)]
    shared = None if kept is None else kept.setdefault(TREND, {})
    kept = {}
    if shared is not None:
        kept = {k: shared[k] for k in closed_keys if k in shared}
    elif closed_keys and ttl > 0:
        stmt = (select(FigureCache.month, FigureCache.payload)
                .where(FigureCache.figure_set == TREND, FigureCache.version == TREND_VERSION,
                       FigureCache.district_id == (district_id or 0), FigureCache.month.in_(closed_keys),
                       _fresh_since(ttl)))
        kept = dict(db.session.execute(stmt).all())
    kept.update(known or {})  # live figures of the same definition: they win over a kept row
    missing = [ym for ym, k in keys.items() if k not in kept]
    if missing:
        orders = queries.orders_by_month(missing, district_id)
        readings = queries.reading_trend(missing, district_id)
        fresh = {k: {"orders": orders[k], "stops": readings[k]["stops"], "read": readings[k]["read"]}
                 for k in (keys[ym] for ym in missing)}
        now = utcnow()
        rows = [{"figure_set": TREND, "version": TREND_VERSION, "month": k, "district_id": district_id or 0,
                 "payload": payload, "computed_at": now}
                for k, payload in fresh.items() if k in closed_keys]
        if rows and ttl > 0:
            _upsert(rows)
            if shared is not None:
                shared.update({row["month"]: row["payload"] for row in rows})
        kept.update(fresh)
    return {k: {"orders": kept[k]["orders"],
                "readings": {"stops": kept[k]["stops"], "read": kept[k]["read"],
                             "rate": queries.rate(kept[k]["read"], kept[k]["stops"])}}
            for k in keys.values()}


# --- gas sold per month (reports.sales): the sales trend and the year to date ---------------------------
#
# The same rule as the trend above, in its own figure set: closed months kept for the TTL, the running
# month (and any later one) always live. Payload: decimal strings, so volumes and yuan read back exactly.

SALES = "sales"
SALES_VERSION = 1
SALES_FIELDS = ("billed_m3", "billed_amount", "card_m3", "card_amount")


def sales_months(months: list[tuple[int, int]], district_id: int | None,
                 known: dict | None = None, kept: dict | None = None) -> dict[str, dict]:
    """reports.sales.month_sums of each month (oldest first), closed months from the cache when fresh.
    `known`: months the caller has already summed (the dashboard's period when it is one whole month),
    used as they are. Costs one SELECT of the kept months and, for the months missing or running, one
    statement and one upsert; `kept`: what `prefetch` read (no SELECT here then).
    → {"2026-11": {"billed_m3", "billed_amount", "card_m3", "card_amount"}}"""
    from decimal import Decimal

    from fieldsvc.reports import sales
    keys = {(y, m): queries.month_key(y, m) for y, m in months}
    today = clock.today()
    ttl = seconds()
    closed_keys = [k for (y, m), k in keys.items() if closed(y, m, today)]
    shared = None if kept is None else kept.setdefault(SALES, {})
    kept = {}
    if shared is not None:
        kept = {k: shared[k] for k in closed_keys if k in shared}
    elif closed_keys and ttl > 0:
        stmt = (select(FigureCache.month, FigureCache.payload)
                .where(FigureCache.figure_set == SALES, FigureCache.version == SALES_VERSION,
                       FigureCache.district_id == (district_id or 0), FigureCache.month.in_(closed_keys),
                       _fresh_since(ttl)))
        kept = {k: {f: Decimal(v[f]) for f in SALES_FIELDS} for k, v in db.session.execute(stmt).all()}
    kept.update(known or {})
    missing = [ym for ym, k in keys.items() if k not in kept]
    if missing:
        fresh = sales.month_sums(missing, district_id)
        now = utcnow()
        rows = [{"figure_set": SALES, "version": SALES_VERSION, "month": k, "district_id": district_id or 0,
                 "payload": {f: str(v[f]) for f in SALES_FIELDS}, "computed_at": now}
                for k, v in fresh.items() if k in closed_keys]
        if rows and ttl > 0:
            _upsert(rows)
            if shared is not None:
                shared.update({k: v for k, v in fresh.items() if k in closed_keys})
        kept.update(fresh)
    return {k: kept[k] for k in keys.values()}


def _same_day_last_year(day: date) -> date:
    return day.replace(year=day.year - 1) if (day.month, day.day) != (2, 29) else date(day.year - 1, 2, 28)


def _ytd_bounds(end: date) -> tuple[date, date, int]:
    """(the judging day, the same day a year earlier, the last whole month counted) of a year to date."""
    end = queries.as_of(end)
    whole = end == queries.month_end(end.year, end.month)
    return end, _same_day_last_year(end), end.month if whole else end.month - 1


def ytd_months(end: date) -> list[tuple[int, int]]:
    """The whole months `sales_year_to_date` reads through `sales_months` (for `prefetch`)."""
    end, _last_day, upto = _ytd_bounds(end)
    return [(y, m) for y in (end.year - 1, end.year) for m in range(1, upto + 1)]


def ytd_ranges(end: date) -> list[tuple[date, date]]:
    """The part-month `sales_year_to_date` adds to the whole months, a year ago and now (for reports.sales
    `sums`), or none when the judging day closes its month."""
    end, last_day, upto = _ytd_bounds(end)
    if upto == end.month:
        return []
    return [(last_day.replace(day=1), last_day), (end.replace(day=1), end)]


def sales_year_to_date(end: date, district_id: int | None, kept: dict | None = None,
                       part: list[dict] | None = None) -> dict:
    """Gas sold (billed + IC card, m³) from 1 January to `end`, against 1 January to the same day a year
    earlier; a period still running counts to today (against the same days a year earlier). Whole months
    come from `sales_months` (closed ones kept; `kept` as there); a day inside a month adds that month's
    days up to it, and a year earlier, with one more statement — none when the caller has summed
    `ytd_ranges` already (`part`: reports.sales.sums of them).
    → {"year", "to", "m3", "last_year_to", "last_year_m3", "change_pct"}"""
    from decimal import Decimal

    from fieldsvc.reports import sales
    end, last_day, upto = _ytd_bounds(end)
    months = sales_months(ytd_months(end), district_id, kept=kept)
    this = sum((sales.total_m3(months[queries.month_key(end.year, m)]) for m in range(1, upto + 1)), Decimal(0))
    before = sum((sales.total_m3(months[queries.month_key(end.year - 1, m)]) for m in range(1, upto + 1)),
                 Decimal(0))
    ranges = ytd_ranges(end)
    if ranges:
        last_year, this_year = part if part is not None else sales.sums(ranges, district_id)
        this += sales.total_m3(this_year)
        before += sales.total_m3(last_year)
    return {"year": end.year, "to": end, "m3": this, "last_year_to": last_day, "last_year_m3": before,
            "change_pct": sales.change_pct(this, before)}
