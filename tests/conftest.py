"""Test fixtures: one app per session, a clean database for every test, on SQLite or PostgreSQL.

Set TEST_DATABASE_URL (postgresql://…) to run the whole suite on PostgreSQL; otherwise a SQLite file
in a temporary folder is used. The schema is created once; after each test every table is emptied,
so each test starts from a fresh database without paying for a new schema.
"""
import os
import re
from datetime import date

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from fieldsvc import cache, create_app
from fieldsvc.core import demo
from fieldsvc.extensions import db as _db
from tests import factories

DEMO_PASSWORD = demo.DEMO_PASSWORD


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def make_test_config(url: str, instance_path) -> dict:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": str(instance_path),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SECRET_KEY": "test-secret",
    }
    if url.startswith("postgresql"):
        # A test's commits need not wait for the disk: a crash loses only test data.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True,
                                               "connect_args": {"options": "-c synchronous_commit=off"}}
    return config


class FreshGClient(FlaskClient):
    """A test client whose every request gets a fresh `g`.

    Tests keep one app context pushed (so test code and requests share the session), and Flask reuses
    it for each test-client request. Flask-Login (the user) and Flask-Babel (the locale) cache in `g`,
    so without this a second client in a test would act as whoever made the first request. In
    production every request has its own app context, hence its own `g`: this restores that.
    """

    def open(self, *args, **kwargs):
        if not has_app_context():  # e.g. a thread: the request pushes its own context and `g`
            return super().open(*args, **kwargs)
        g.__dict__.clear()
        try:
            return super().open(*args, **kwargs)
        finally:
            g.__dict__.clear()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(make_test_config(_database_url(tmp_path_factory), tmp_path_factory.mktemp("instance")))
    app.test_client_class = FreshGClient
    with app.app_context():
        _db.drop_all()
        _drop_alembic_version()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


def _drop_alembic_version():
    with _db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


BULK_ROWS = 500


def _empty_all_tables():
    """DELETE, children first, then (PostgreSQL) every id sequence back to 1, as SQLite's rowids are.
    TRUNCATE of a hundred tables costs 0.3–3 s a test on PostgreSQL (it swaps the files of every table);
    deleting the few rows a test wrote costs milliseconds. The foreign-key triggers are switched off for the
    DELETE (every table is emptied anyway): with them, a test that made 30,000 orders took 90 s to clean."""
    _db.session.remove()
    with _db.engine.begin() as conn:
        postgresql = conn.dialect.name == "postgresql"
        if postgresql and _superuser(conn):
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        elif postgresql:  # without the right to switch triggers off, TRUNCATE is the fast way
            names = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        bulk = [table.name for table in reversed(_db.metadata.sorted_tables)
                if conn.execute(table.delete()).rowcount >= BULK_ROWS]
        if postgresql and bulk:
            # A bulk test's tables get fresh files: emptied by DELETE they keep their pages, the next ANALYZE
            # finds no live row in them, and the planner then expects none in the next test's thousands.
            conn.execute(text("TRUNCATE " + ", ".join(f'"{name}"' for name in bulk) + " CASCADE"))
        if postgresql:
            # Asked each time: a migration test may have dropped and rebuilt the schema.
            conn.execute(text("SELECT setval(quote_ident(sequence_schema) || '.' || quote_ident(sequence_name), "
                              "1, false) FROM information_schema.sequences "
                              "WHERE sequence_schema = current_schema()"))


def _superuser(conn) -> bool:
    return bool(conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar())


@pytest.fixture(autouse=True)
def _fresh_database(request):
    """Every test that touches the app starts from empty tables."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        yield
        _empty_all_tables()
        cache.invalidate()  # the tables were emptied under the ORM's nose: drop what pages kept


@pytest.fixture(autouse=True)
def _rate_limits_off():
    """The limiter is one extension object shared by every app built in the session: a test that builds
    an app with limits on must not leave them on for the tests after it."""
    yield
    from fieldsvc.extensions import limiter
    if limiter.enabled and getattr(limiter, "_storage", None) is not None:
        limiter.reset()  # forget the counts, so the next app that switches limits on starts clean
    limiter.enabled = False


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(app):
    """The test-data builders of tests/factories.py (make.customer(), make.meter(), make.jpeg(), …)."""
    return factories


@pytest.fixture
def staff(app):
    """The demo districts and staff (one user per role code, plus field crews). Returns {username: User}."""
    return factories.staff(date(2026, 11, 28))


@pytest.fixture
def login(app):
    """login(username) → a test client logged in as that user (password fieldsvc-demo)."""
    def _login(username: str, password: str = DEMO_PASSWORD):
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, f"login as {username} failed"
        return client
    return _login


@pytest.fixture
def api(app):
    """api(username) → (client, headers) with a bearer token for that user."""
    def _api(username: str, password: str = DEMO_PASSWORD):
        client = app.test_client()
        response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert response.status_code == 200, response.json
        return client, {"Authorization": f"Bearer {response.json['token']}"}
    return _api


def slug(text_: str) -> str:
    return re.sub(r"\W+", "_", text_).strip("_")
