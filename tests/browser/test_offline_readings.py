"""Offline on the route: 20 readings entered with no signal wait in the outbox, survive a reload, and reach
the server exactly once when the signal returns (the service worker replays them; the server is idempotent).
Each keeps the time the reader typed it, and the phone's copy of a stop says how old its data is."""
import re
from datetime import UTC, datetime

import pytest

from tests.browser.conftest import log_in
from tests.browser.offline_data import (
    field_reading_count,
    field_readings,
    make_route,
    outbox_settled,
    wait_for_cached,
)

READER = "meter_reader3"
STOPS = 20


@pytest.fixture
def route(live_server):
    """A route of READER with STOPS meters, each with 6 months of 30 m³ readings; returns (id, last values)."""
    return make_route(live_server.app, READER, STOPS)


def test_twenty_readings_offline_arrive_once(browser, base_url, live_server, route):
    route_id, lasts = route
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en", is_mobile=True)
    page = context.new_page()
    log_in(page, base_url, READER)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # controlled by the worker from here on
    page.goto(f"{base_url}/outbox")
    page.goto(f"{base_url}/readings/routes/{route_id}")  # with signal: the day's stops are kept on the phone
    assert page.url.endswith(f"/readings/routes/{route_id}")
    assert page.locator(".as-of").is_hidden()  # fresh from the server: nothing to say
    assert wait_for_cached(page, f"/readings/routes/{route_id}/stops/", STOPS) >= STOPS

    context.set_offline(True)
    started = datetime.now(UTC)
    for seq in range(1, STOPS + 1):
        page.goto(f"{base_url}/readings/routes/{route_id}/stops/{seq}")
        if seq == 1:  # the phone's copy says when it was fetched
            assert re.fullmatch(r"Data as of (\d+-\d\d )?\d\d:\d\d", page.locator(".as-of").inner_text())
        page.fill("#f-value", str(lasts[seq - 1] + 25 + seq % 5))
        page.click(".reading-form button[type=submit]")
        # kept on the phone: on to the next stop (after the last one, back on the route)
        page.wait_for_url(f"{base_url}/readings/routes/{route_id}" + (f"/stops/{seq + 1}" if seq < STOPS else ""))
    typed = datetime.now(UTC)
    page.goto(f"{base_url}/outbox")  # still offline: the outbox page and its 20 forms are there
    page.wait_for_selector("#outbox-list li[data-client-id]")
    assert page.locator("#outbox-list li[data-client-id]").count() == STOPS
    assert field_reading_count(live_server.app, route_id) == 0
    page.wait_for_timeout(1500)  # the signal returns a while later

    context.set_offline(False)
    back_online = datetime.now(UTC)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#outbox-list li[data-client-id]").first.wait_for(state="detached", timeout=60000)
    assert page.locator("#outbox-list li[data-client-id]").count() == 0
    readings = field_readings(live_server.app, route_id)
    assert len(readings) == STOPS
    # Each reading has the time it was typed on the phone, not the time it reached the server.
    assert all(started.replace(microsecond=0) <= r.read_at <= typed for r in readings), \
        [(r.read_at, started, typed) for r in readings]
    assert max(r.read_at for r in readings) < back_online
    assert outbox_settled(page)["count"] == 0  # sending again (the outbox now idle) sends nothing more
    assert field_reading_count(live_server.app, route_id) == STOPS
    context.close()
