"""Database engine behaviour that must hold on every connection.

SQLite: WAL, foreign keys, a busy timeout, and write transactions opened with BEGIN IMMEDIATE so
that two concurrent writers queue on the busy timeout instead of failing with "database is locked"
when a deferred transaction tries to upgrade its lock. Read-only requests keep plain BEGIN so they
never wait for the writer (WAL lets them read alongside it). CLI commands (imports, seeding) lock up
front like writing requests, since they run beside the live app.
"""
import time

import click
from flask import has_request_context, request
from sqlalchemy import event, exc, text
from sqlalchemy.engine import Engine

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def _wants_write_lock() -> bool:
    """Writing requests and CLI commands lock up front; reads, and plain scripts and tests, do not."""
    if has_request_context():
        return request.method not in READ_METHODS
    return click.get_current_context(silent=True) is not None


def configure_engine(engine: Engine, busy_timeout_ms: int, ping_idle_seconds: float | None = None) -> None:
    if engine.dialect.name != "sqlite":
        if ping_idle_seconds is not None:  # a setting that is not a number fails here, at start-up
            ping_when_idle(engine, float(ping_idle_seconds))
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Check a pooled connection before use only when it sat idle `idle_seconds` or more (a restarted server, a
    firewall that dropped it overnight). SQLAlchemy's pool_pre_ping checks on every checkout: one more round
    trip on every page, 8 % of a technician's job list under load. A connection in steady use was alive a
    moment ago; if the server goes down mid-burst, that request fails and the pool replaces the connection."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn, record, _proxy):
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as error:  # the pool throws this one away and connects anew
            raise exc.DisconnectionError() from error


def refresh_statistics(session) -> None:
    """After a bulk load (demo city, CSV imports): PostgreSQL plans from table statistics, and until autovacuum
    catches up it takes 50,000 freshly inserted rows for a few thousand — seq scans where an index serves
    (the dispatch board took 19 ms instead of 2 at city size). SQLite is left alone on purpose: with ANALYZE
    statistics it chose a worse plan for that same board (37 ms instead of 0.2)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE"))


def sync_sequences(session, *tables: str) -> None:
    """After bulk inserts with explicit ids: move PostgreSQL's id sequences past them (SQLite needs nothing)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"COALESCE((SELECT MAX(id) FROM {table}), 1))"))
