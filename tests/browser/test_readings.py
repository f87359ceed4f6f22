"""A meter reader works five stops on a 360×740 phone — an ordinary reading, a register rollover, a spike
confirmed with a reason and a photo, nobody home (estimate), another reading — then the station chief
approves the flagged ones and the cycle's export contains all five."""
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.customers import services as customers
from fieldsvc.extensions import db
from fieldsvc.readings import rules
from fieldsvc.readings.models import Reading
from fieldsvc.readings.services import billing, routes
from tests import factories
from tests.browser.conftest import log_in

READER = "meter_reader2"
# What each of the five stops is about.
PLAN = ["ordinary", "rollover", "spike", "nobody_home", "ordinary"]


def _photo() -> bytes:
    return factories.jpeg((64, 48), (90, 120, 160))


@pytest.fixture(scope="module")
def route(live_server):
    """Five meters with 6 months of history (30 m³ a month) on a route of READER; returns (id, last values)."""
    tag = uuid.uuid4().hex[:6].upper()
    with live_server.app.app_context():
        billing.seed_tariffs()
        users = {u.username: u for u in db.session.execute(select(User)).scalars()}
        director, chief = users["director"], users["station_chief"]
        meters, lasts = [], []
        for i, what in enumerate(PLAN):
            customer = customers.create_customer(director, {
                "account_no": f"B{tag}{i}", "name": f"浏览器{i}", "category": "residential", "gas": "NG",
                "district": "D02", "estate": "测试花园", "building": "8", "unit": "1", "room": f"10{i}"})
            start = Decimal(99_790) if what == "rollover" else Decimal(1000)
            # Installed one period before the history starts, at its first value: the span from installation
            # to the first reading is a period like any other (RULES.md §3).
            meter = customers.create_meter(director, {
                "serial_no": f"BR{tag}{i}", "size": "G2.5", "accuracy_class": "1.5", "kind": "diaphragm",
                "location": "indoor", "customer_id": customer.id, "start_reading": start - 30,
                "installed_on": clock.today() - timedelta(days=30 * 7 + 2)})
            rows, value = [], start
            for k in range(6):
                at = clock.now() - timedelta(days=30 * (6 - k) + 2)
                value += 30
                rows.append(dict(meter_id=meter.id, customer_id=customer.id, cycle=rules.cycle_of(at.date()),
                                 read_at=at, read_on=at.date(), value=value, kind="actual", consumption_m3=Decimal(30),
                                 anomalies="", status="accepted", source="import"))
            db.session.execute(insert(Reading), rows)
            meters.append(meter)
            lasts.append(value)
        route = routes.create_route(chief, {"name": f"浏览器册{tag}", "district_id": meters[0].customer.district_id,
                                            "reader_id": users[READER].id})
        routes.add_stops(chief, route, [m.serial_no for m in meters])
        db.session.commit()
        return route.id, lasts


def _reading_ids(live_server, route_id) -> list[int]:
    with live_server.app.app_context():
        stmt = select(Reading.id).where(Reading.route_id == route_id, Reading.source == "field").order_by(Reading.id)
        return list(db.session.execute(stmt).scalars())


def test_reader_works_five_stops_chief_approves_export_has_them(browser, base_url, live_server, route):
    route_id, lasts = route
    reader = browser.new_context(viewport={"width": 360, "height": 740}, locale="en", is_mobile=True, has_touch=True)
    page = reader.new_page()
    log_in(page, base_url, READER)
    page.goto(f"{base_url}/readings/routes/{route_id}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("text=Continue reading")
    page.wait_for_url(f"{base_url}/readings/routes/{route_id}/stops/1")

    # 1 — an ordinary reading; the live hint shows the consumption.
    value = page.locator("#f-value")
    assert value.get_attribute("inputmode") == "decimal"
    assert value.bounding_box()["height"] >= 44
    value.fill(str(lasts[0] + 31))
    assert "Used: 31" in page.locator("#consumption-hint").inner_text()
    page.click(".reading-form button[type=submit]")
    page.wait_for_url(f"{base_url}/readings/routes/{route_id}/stops/2")

    # 2 — the register rolled over: 99,970 → 25 is 55 m³, accepted and flagged.
    page.fill("#f-value", "25")
    page.click(".reading-form button[type=submit]")
    page.wait_for_url(f"{base_url}/readings/routes/{route_id}/stops/3")
    assert "Flagged for the station chief" in page.locator(".flash-success").inner_text()

    # 3 — a spike: refused in plain words with the typed value kept; confirmed with a reason and a photo.
    typed = str(lasts[2] + 400)
    page.fill("#f-value", typed)
    page.click(".reading-form button[type=submit]")
    assert page.locator(".refusal").is_visible()
    assert "more than 3 times" in page.locator(".refusal").inner_text()
    assert page.input_value("#f-value") == typed
    page.check("#f-confirm")
    page.fill("#f-reason", "New water heater, register read twice")
    page.set_input_files("#f-photo", files=[{"name": "register.jpg", "mimeType": "image/jpeg", "buffer": _photo()}])
    page.click(".reading-form button[type=submit]")
    page.wait_for_url(f"{base_url}/readings/routes/{route_id}/stops/4")

    # 4 — nobody home: an estimate from the history.
    page.click("#skip summary")
    page.check("input[name=code][value=nobody_home]")
    page.click("#skip button[type=submit]")
    page.wait_for_url(f"{base_url}/readings/routes/{route_id}/stops/5")
    assert "Nobody home: estimated at" in page.locator(".flash-success").inner_text()

    # 5 — another ordinary reading, then the route is done.
    page.fill("#f-value", str(lasts[4] + 28))
    page.click(".reading-form button[type=submit]")
    page.wait_for_url(f"{base_url}/readings/routes/{route_id}")
    assert "To read 0" in page.locator(".progress-counts").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    reader.close()

    ids = _reading_ids(live_server, route_id)
    assert len(ids) == 5
    chief = browser.new_context(viewport={"width": 360, "height": 740}, locale="en", is_mobile=True, has_touch=True)
    page = chief.new_page()
    log_in(page, base_url, "station_chief")
    page.goto(f"{base_url}/readings/review")
    flagged = [i for i in ids if page.locator(f"#reading-{i}").count()]
    assert len(flagged) == 2  # the rollover and the spike
    assert page.locator(f"#reading-{flagged[1]} a", has_text="Photo of the register").count() == 1
    for reading_id in flagged:
        page.locator(f"#reading-{reading_id} button", has_text="Approve").click()
        page.wait_for_url(f"{base_url}/readings/review")
        assert page.locator(f"#reading-{reading_id}").count() == 0

    with live_server.app.app_context():
        cycle = db.session.get(Reading, ids[0]).cycle
    export = page.request.get(f"{base_url}/readings/export/{cycle}/readings.csv")
    assert export.status == 200
    exported = {line.split(",")[0] for line in export.text().splitlines()[1:]}
    assert set(map(str, ids)) <= exported
    bills = page.request.get(f"{base_url}/readings/export/{cycle}/bills.csv").text()
    assert sum(1 for line in bills.splitlines() if f",{ids[2]}," in line) >= 1  # the spike's bill
    chief.close()
