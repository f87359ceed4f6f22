"""Issue 22 on a 360×740 phone in zh-CN: the words on the reading stop (上次读数, 上一户/下一户), the stop
after saving (the saved value, and apart from it the previous reading and range it was checked against),
and wide tables that fit the screen with their verdict in view (/cardsales/days, a bench test's results)."""
import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.core.demo import DEMO_PASSWORD
from fieldsvc.customers import services as customers
from fieldsvc.extensions import db
from fieldsvc.readings import rules
from fieldsvc.readings.models import Reading
from fieldsvc.readings.services import billing, routes
from tests.browser.conftest import PHONE, log_in

READER = "meter_reader"
START = Decimal(1150)


@pytest.fixture(scope="module")
def route(live_server):
    """Three meters of READER with six months of 30 m³, each installed one period before its history at the
    history's first value (RULES.md §3); → (route id, last value)."""
    tag = uuid.uuid4().hex[:6].upper()
    with live_server.app.app_context():
        billing.seed_tariffs()
        users = {u.username: u for u in db.session.execute(select(User)).scalars()}
        serials, value = [], START
        for i in range(3):
            customer = customers.create_customer(users["director"], {
                "account_no": f"W{tag}{i}", "name": f"用词{i}", "category": "residential", "gas": "NG",
                "district": "D02", "estate": "用词小区", "building": "3", "unit": "1", "room": f"20{i}"})
            meter = customers.create_meter(users["director"], {
                "serial_no": f"PW{tag}{i}", "size": "G2.5", "accuracy_class": "1.5", "kind": "diaphragm",
                "location": "indoor", "customer_id": customer.id, "start_reading": START,
                "installed_on": clock.today() - timedelta(days=30 * 7 + 2)})
            rows, value = [], START
            for k in range(6):
                at = clock.now() - timedelta(days=30 * (6 - k) + 2)
                value += 30
                rows.append(dict(meter_id=meter.id, customer_id=customer.id, cycle=rules.cycle_of(at.date()),
                                 read_at=at, read_on=at.date(), value=value, kind="actual",
                                 consumption_m3=Decimal(30), anomalies="", status="accepted", source="import"))
            db.session.execute(insert(Reading), rows)
            serials.append(meter.serial_no)
        route = routes.create_route(users["station_chief"], {
            "name": f"用词册{tag}", "district_id": customer.district_id, "reader_id": users[READER].id})
        routes.add_stops(users["station_chief"], route, serials)
        db.session.commit()
        route_id = route.id
        db.session.remove()
        return route_id, value


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _numbers(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def test_reading_stop_words_and_what_a_saved_reading_was_checked_against(page, base_url, route):
    route_id, last = route
    log_in(page, base_url, READER)
    stop = f"{base_url}/readings/routes/{route_id}/stops"
    page.goto(f"{stop}/2")
    facts = page.locator(".stop-card .facts")
    assert "上次读数" in facts.inner_text() and "上一页" not in page.content()
    assert f"{int(last):,}" in page.locator("#previous-reading").inner_text()
    assert page.locator("a[rel=prev]").inner_text().strip() == "‹ 上一户"
    assert page.locator("a[rel=next]").inner_text().strip() == "下一户 ›"
    low, high = _numbers(page.locator("#expected-range").inner_text())
    assert low <= last + 31 <= high
    _fits(page)

    page.fill("#f-value", str(last + 31))
    page.locator(".reading-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/stops/3$"))
    page.locator("a[rel=prev]").click()  # back to the stop just read, as the chief reviewing it would open it
    page.wait_for_url(re.compile(r".*/stops/2$"))
    saved = page.locator("#saved-reading").inner_text()
    assert f"{int(last + 31):,}" in saved and "31 m³" in saved
    assert page.locator("#h-checked").inner_text() == "核对依据"
    previous = page.locator("#previous-reading").inner_text()
    assert f"{int(last):,}" in previous and f"{int(last + 31):,}" not in previous  # not the value just saved
    assert _numbers(page.locator("#expected-range").inner_text()) == [low, high]  # the range it was checked in
    assert page.locator("#f-value").count() == 0
    _fits(page)


def _token(api, base_url, username) -> dict:
    response = api.post(f"{base_url}/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
    assert response.ok, response.text()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _post(api, url, headers, body) -> dict:
    response = api.post(url, data=body, headers=headers)
    assert response.status in (200, 201), response.text()
    return response.json()


def _first_column_in_view(page, table: str) -> None:
    """The table scrolls sideways, not the page; scrolled to its end, the first column is still on screen."""
    wrap = page.locator(f"{table} >> xpath=..")
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")  # it does have more to show sideways
    wrap.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    box = page.locator(f"{table} tbody tr").first.locator(":scope > :first-child").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_wide_tables_fit_a_phone_with_the_verdict_in_view(browser, browser_context_args, base_url):
    ctx = browser.new_context(**browser_context_args)
    page = ctx.new_page()
    log_in(page, base_url, "director")
    page.goto(f"{base_url}/cardsales/days")
    _fits(page)
    table = page.locator("table.cs-days")
    assert table.locator("tbody tr").count() > 0  # the demo city's closed days
    headers = table.locator("thead th")
    assert [h.inner_text() for h in headers.all()][:2] == ["日期", "差额"]
    line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
    for i in range(headers.count()):  # a header on one line, not a character a line
        assert headers.nth(i).bounding_box()["height"] < 2 * line + 16
    assert table.locator("tbody tr").first.bounding_box()["height"] < 2 * line + 16
    verdict = table.locator("tbody tr").first.locator("td").first.bounding_box()
    assert verdict["x"] + verdict["width"] <= PHONE["width"]  # the difference is seen without scrolling
    _first_column_in_view(page, "table.cs-days")
    ctx.close()

    # The API from a context without a session (a signed-in page would need the form's CSRF token).
    api_ctx = browser.new_context()
    api, tag = api_ctx.request, uuid.uuid4().hex[:8].upper()
    head, tech = _token(api, base_url, "metering_head"), _token(api, base_url, "metering_tech")
    bench = _post(api, f"{base_url}/api/v1/equipment", head, {
        "name": f"钟罩式标准装置 {tag}", "serial_no": f"EQ-{tag}", "calibration_cert": f"JZ-{tag}",
        "calibration_expires_on": (date.today() + timedelta(days=300)).isoformat()})
    _post(api, f"{base_url}/api/v1/equipment/{bench['id']}/approve", head, {})  # new equipment waits for the head
    meter = _post(api, f"{base_url}/api/v1/meters", head, {
        "serial_no": f"PT-{tag}", "size": "G2.5", "accuracy_class": "1.5", "kind": "diaphragm",
        "location": "indoor"})
    test = _post(api, f"{base_url}/api/v1/meter-tests", tech, {
        "meter_id": meter["id"], "verification": "initial", "equipment_id": bench["id"], "temperature_c": "20.5",
        "humidity_pct": "55", "leak_test_ok": True, "pressure_loss_pa": "150",
        "points": [{"flow_m3h": f, "reference_l": "100.000", "indicated_l": i}
                   for f, i in (("0.025", "103.500"), ("0.8", "100.300"), ("4", "99.800"))]})
    api_ctx.close()

    ctx = browser.new_context(**browser_context_args)
    page = ctx.new_page()
    log_in(page, base_url, "metering_tech")
    page.goto(f"{base_url}/metering/tests/{test['id']}")
    _fits(page)
    results = page.locator("table.m-results")
    assert results.locator("thead th").first.inner_text() == "结果"
    verdicts = results.locator("tbody tr > :first-child")  # the point and its verdict, pinned
    assert [re.sub(r"\s+", " ", v.inner_text()).strip() for v in verdicts.all()] == ["1 不合格", "2 合格", "3 合格"]
    for i in range(verdicts.count()):
        box = verdicts.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    error = results.locator("tbody tr").first.locator("td").first.bounding_box()
    assert error["x"] + error["width"] <= PHONE["width"]  # and the error it failed on
    _first_column_in_view(page, "table.m-results")
    ctx.close()
