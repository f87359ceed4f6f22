"""The server goes down in the middle of a sync and comes back on the same address: the phone's outbox tries
again by itself, and every reading is on the server exactly once (counted rows).

The shared live_server must never stop, so this test runs its own server (tests/sync/restartable.py) on a
fixed port and its own SQLite file. The crash is the worst moment: the 5th replayed reading is committed,
then the connection is cut before the answer leaves and the server stops. The phone never heard that the
5th arrived, so it sends it again after the restart; the server answers it as a repeat."""
import pytest
from sqlalchemy import func, select

from fieldsvc.extensions import db
from fieldsvc.readings.models import Reading
from tests.browser.conftest import log_in
from tests.browser.offline_data import field_reading_count, make_route, outbox_settled, wait_for_cached
from tests.sync.restartable import RestartableServer, make_app

READER = "meter_reader2"
STOPS = 12
CRASH_AFTER = 5


@pytest.fixture
def own_server(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, TESTING=False)  # the browser goes through CSRF like a user
    server = RestartableServer(app)
    server.start()
    yield server
    server.stop()


def _is_reading_post(environ) -> bool:
    return environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"].endswith("/read")


def _outbox(page) -> int:
    return page.evaluate("OutboxDB.all().then((items) => items.length)")


def _wait_outbox(page, count: int, timeout_ms: int) -> int:
    for _ in range(timeout_ms // 250):
        if _outbox(page) == count:
            break
        page.wait_for_timeout(250)
    return _outbox(page)


def _meters_read_twice(app, route_id) -> int:
    with app.app_context():
        twice = db.session.execute(select(func.count()).select_from(
            select(Reading.meter_id).where(Reading.route_id == route_id, Reading.source == "field")
            .group_by(Reading.meter_id).having(func.count(Reading.id) > 1).subquery())).scalar_one()
        db.session.remove()
        return twice


def test_server_restarted_mid_sync_loses_and_duplicates_nothing(browser, own_server):
    server, base_url = own_server, own_server.base_url
    route_id, lasts = make_route(server.app, READER, STOPS)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en", is_mobile=True)
    page = context.new_page()
    log_in(page, base_url, READER)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # controlled by the worker from here on
    page.goto(f"{base_url}/outbox")
    page.goto(f"{base_url}/readings/routes/{route_id}")
    assert wait_for_cached(page, f"/readings/routes/{route_id}/stops/", STOPS) >= STOPS

    context.set_offline(True)
    for seq in range(1, STOPS + 1):
        page.goto(f"{base_url}/readings/routes/{route_id}/stops/{seq}")
        page.fill("#f-value", str(lasts[seq - 1] + 28))
        page.click(".reading-form button[type=submit]")
        # kept on the phone: on to the next stop (after the last one, back on the route)
        page.wait_for_url(f"{base_url}/readings/routes/{route_id}" + (f"/stops/{seq + 1}" if seq < STOPS else ""))
    page.goto(f"{base_url}/outbox")
    page.wait_for_selector("#outbox-list li[data-client-id]")
    assert _outbox(page) == STOPS

    # Back online; the server will die right after committing the 5th reading, before answering it.
    server.crash_after_requests(CRASH_AFTER, _is_reading_post)
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    assert server.crashed.wait(60), "the sync never reached the 5th reading"
    # 4 confirmed and removed; the 5th arrived but the phone does not know it; 7 not sent yet.
    assert _wait_outbox(page, STOPS - (CRASH_AFTER - 1), 10000) == STOPS - (CRASH_AFTER - 1)
    assert field_reading_count(server.app, route_id) == CRASH_AFTER
    page.wait_for_timeout(1500)  # the server is down: nothing leaves the phone, nothing is lost
    assert _outbox(page) == STOPS - (CRASH_AFTER - 1)
    assert page.locator("#outbox-list li[data-state=pending]").count() == STOPS - (CRASH_AFTER - 1)

    server.start()  # same address; no user action: the outbox tries again by itself
    assert _wait_outbox(page, 0, 45000) == 0
    assert field_reading_count(server.app, route_id) == STOPS
    assert _meters_read_twice(server.app, route_id) == 0
    assert outbox_settled(page)["count"] == 0  # and sending again (the outbox now idle) sends nothing more
    assert field_reading_count(server.app, route_id) == STOPS
    context.close()
