"""Issue #25: each key page's SQL statements, pinned, so a page that starts asking more fails here.

Counted the way `bench.run` counts them and the way production runs them: on the small demo, every request in
its own app context (a gunicorn worker keeps nothing from one request's session to the next), after a write
(the short-lived cache emptied: fieldsvc/cache.py), BEGIN and savepoints not counted."""
import threading

import pytest
from sqlalchemy import event, text

from bench.pages import KEY_PAGES
from fieldsvc import cache, clock
from fieldsvc.core import demo
from fieldsvc.extensions import db

# Today's counts; the ceiling is 10 for every one. Lower a figure when a page gets cheaper.
PINNED = {
    "healthz (stack limit)": 1,
    "login page": 0,
    "home · director": 9,
    "customer search": 3,
    "customer page": 6,
    "chief's board": 9,
    "technician's jobs": 2,
    "reader's route stop": 4,
    "metering lab": 4,
    "director dashboard": 8,
}


def _get_in_own_context(client, path: str):
    """The request runs in a thread: no app context of the test's to borrow, as in a worker process."""
    out = {}
    worker = threading.Thread(target=lambda: out.setdefault("response", client.get(path)))
    worker.start()
    worker.join()
    return out["response"]


@pytest.fixture
def demo_ids(app):
    demo.seed("small", clock.today())
    db.session.commit()
    return {
        "customer_id": db.session.execute(text("SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET 250")).scalar(),
        "route_id": db.session.execute(text(
            "SELECT r.id FROM routes r JOIN users u ON u.id = r.reader_id WHERE u.username = 'meter_reader' "
            "ORDER BY r.id LIMIT 1")).scalar(),
    }


def test_every_key_page_is_pinned():
    assert {name for name, _user, _path in KEY_PAGES} == set(PINNED)
    assert max(PINNED.values()) <= 10


def test_each_key_page_asks_no_more_statements_than_pinned(app, demo_ids, login):
    seen = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            seen.append(" ".join(statement.split())[:120])

    clients, counts, listing = {}, {}, {}
    for name, user, path in KEY_PAGES:
        if user and user not in clients:
            clients[user] = login(user)
        client = clients.get(user) or app.test_client()
        url = path.format(**demo_ids)
        assert _get_in_own_context(client, url).status_code == 200, url  # warm-up: first use of menus, catalogs
        cache.invalidate()
        seen.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            response = _get_in_own_context(client, url)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert response.status_code == 200, url
        counts[name], listing[name] = len(seen), list(seen)
    over = {name: (n, listing[name]) for name, n in counts.items() if n > PINNED[name]}
    assert not over, over
