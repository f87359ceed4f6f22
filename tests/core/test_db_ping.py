"""PostgreSQL: a pooled connection that sat idle is checked before use, and one the server dropped meanwhile
is replaced, not handed to a request (fieldsvc/db.py ping_when_idle); a busy connection is not pinged."""
import os
import time

import pytest
from sqlalchemy import create_engine, event, text

from fieldsvc.config import normalise_db_url
from fieldsvc.db import ping_when_idle

URL = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL.startswith("postgresql"), reason="PostgreSQL only")


@pytest.fixture
def engine():
    engine = create_engine(normalise_db_url(URL), pool_size=1, max_overflow=0)
    ping_when_idle(engine, idle_seconds=0.2)
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    engine.statements = statements
    yield engine
    engine.dispose()


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


def _terminate(pid: int) -> None:
    other = create_engine(normalise_db_url(URL))
    with other.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    other.dispose()


def test_a_connection_in_steady_use_is_not_pinged(engine):
    first = _backend_pid(engine)
    engine.statements.clear()
    assert _backend_pid(engine) == first
    assert engine.statements == ["SELECT pg_backend_pid()"]  # no SELECT 1 before it


def test_an_idle_connection_the_server_dropped_is_replaced(engine):
    first = _backend_pid(engine)
    _terminate(first)
    time.sleep(0.3)
    second = _backend_pid(engine)  # no error: the ping found it dead and the pool connected anew
    assert second != first
