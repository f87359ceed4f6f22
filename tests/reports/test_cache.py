"""Closed months' trend figures kept in report_figure_cache (reports.cache): used while fresh, recomputed
after REPORTS_TREND_CACHE_SECONDS, never for the running month; the same numbers as the live queries."""
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import event, select, update

from fieldsvc import clock
from fieldsvc.extensions import db as _db
from fieldsvc.models import utcnow
from fieldsvc.reports import cache, queries, services
from fieldsvc.reports.models import FigureCache
from tests.reports.conftest import local

MONTHS = [(2025, 9), (2025, 10), (2025, 11)]


def _count(fn) -> tuple[object, int]:
    """fn's result and the SQL statements it ran (a transaction's BEGIN not counted)."""
    n = 0

    def before(conn, cursor, statement, *args):
        nonlocal n
        n += statement.strip().upper() != "BEGIN"
    event.listen(_db.engine, "before_cursor_execute", before)
    try:
        return fn(), n
    finally:
        event.remove(_db.engine, "before_cursor_execute", before)


def test_trend_matches_the_live_queries(known_month):
    a = known_month.a.id
    for district in (a, None, known_month.b.id):
        trend = cache.trend(MONTHS, district)
        orders, readings = queries.orders_by_month(MONTHS, district), queries.reading_trend(MONTHS, district)
        assert trend == {k: {"orders": orders[k], "readings": readings[k]} for k in orders}
    assert cache.trend(MONTHS, a)["2025-10"] == {"orders": 7, "readings": {"stops": 5, "read": 3,
                                                                           "rate": Decimal("60.0")}}


def test_closed_months_are_kept_per_district_and_read_back_in_one_query(known_month, db):
    a = known_month.a.id
    cache.trend(MONTHS, a)
    cache.trend(MONTHS, None)
    rows = db.session.execute(select(FigureCache.month, FigureCache.district_id, FigureCache.payload)
                              .order_by(FigureCache.district_id, FigureCache.month)).all()
    assert [(m, d) for m, d, _ in rows] == [("2025-09", 0), ("2025-10", 0), ("2025-11", 0),
                                            ("2025-09", a), ("2025-10", a), ("2025-11", a)]
    assert rows[4].payload == {"orders": 7, "stops": 5, "read": 3}
    db.session.commit()
    trend, n = _count(lambda: cache.trend(MONTHS, a))
    assert n == 1 and trend["2025-10"]["readings"]["rate"] == Decimal("60.0")


def test_a_kept_month_is_stale_until_it_expires(known_month, db, app):
    a = known_month.a.id
    assert cache.trend(MONTHS, a)["2025-10"]["orders"] == 7
    known_month.order(known_month.a, "repair", "new", local(date(2025, 10, 20)), 240)  # a late record
    db.session.commit()
    assert cache.trend(MONTHS, a)["2025-10"]["orders"] == 7  # kept: up to the TTL old
    db.session.execute(update(FigureCache).values(
        computed_at=utcnow() - timedelta(seconds=app.config["REPORTS_TREND_CACHE_SECONDS"] + 1)))
    assert cache.trend(MONTHS, a)["2025-10"]["orders"] == 8  # expired: recomputed and kept again
    assert db.session.execute(select(FigureCache.payload).where(FigureCache.month == "2025-10",
                                                                FigureCache.district_id == a)).scalar_one()["orders"] == 8


def test_the_running_month_is_never_kept(known_month, db, app):
    today = clock.today()
    months = services.last_months(today.year, today.month, 2)
    _, cold = _count(lambda: cache.trend(months, None))
    kept = db.session.execute(select(FigureCache.month)).scalars().all()
    assert kept == [queries.month_key(*months[0])]
    trend, warm = _count(lambda: cache.trend(months, None))
    assert warm == 4 and cold == 5  # warm: the kept month's SELECT + the running month's 3 queries
    assert list(trend) == [queries.month_key(*m) for m in months]


def test_no_cache_when_switched_off(known_month, db, app):
    kept = app.config["REPORTS_TREND_CACHE_SECONDS"]
    app.config["REPORTS_TREND_CACHE_SECONDS"] = 0
    try:
        cache.trend(MONTHS, None)
        assert db.session.execute(select(FigureCache.id)).first() is None
    finally:
        app.config["REPORTS_TREND_CACHE_SECONDS"] = kept


def test_two_writers_of_the_same_month_both_succeed(known_month, db):
    row = {"figure_set": cache.TREND, "version": cache.TREND_VERSION, "month": "2025-10", "district_id": 0,
           "payload": {"orders": 1, "stops": 0, "read": 0}, "computed_at": utcnow()}
    cache._upsert([row])
    cache._upsert([{**row, "payload": {"orders": 2, "stops": 0, "read": 0}}])
    assert db.session.execute(select(FigureCache.payload)).scalars().all() == [{"orders": 2, "stops": 0, "read": 0}]
