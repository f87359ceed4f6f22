"""Issue #22, item 2, at 360 px in zh-CN: the route and a job go on without signal. 继续抄表 opens the next
stop from the phone's copy; a reading saved offline lands on the next stop saying it waits on the phone, and
the outbox names the address. A technician accepts a job and sets off without signal: both moves arrive, in
order, each once."""
import re

import pytest
from sqlalchemy import select

from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer
from fieldsvc.dispatch.models import WorkOrder, WorkOrderEvent
from fieldsvc.dispatch.services import orders
from fieldsvc.extensions import db
from fieldsvc.readings.models import Route, RouteStop
from tests.browser.conftest import PHONE, log_in
from tests.browser.offline_data import field_readings, make_route, outbox_settled, wait_for_cached

READER = "meter_reader3"
TECH = "repair_tech2"  # no other browser test moves this technician's jobs
STOPS = 4


def _phone(browser, **extra):
    return browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, **extra)


def _addresses(app, route_id) -> list[str]:
    with app.app_context():
        route = db.session.get(Route, route_id)
        stops = db.session.execute(select(RouteStop).where(RouteStop.route_id == route.id)
                                   .order_by(RouteStop.seq)).scalars()
        addresses = [s.meter.customer.address for s in stops]
        db.session.remove()
        return addresses


def test_route_goes_on_offline_to_the_next_stop(browser, base_url, live_server):
    route_id, lasts = make_route(live_server.app, READER, STOPS)
    addresses = _addresses(live_server.app, route_id)
    context = _phone(browser)
    page = context.new_page()
    log_in(page, base_url, READER)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.goto(f"{base_url}/outbox")
    route_url = f"{base_url}/readings/routes/{route_id}"
    page.goto(route_url)
    assert page.url == route_url  # still logged in
    assert wait_for_cached(page, f"/readings/routes/{route_id}/stops/", STOPS) >= STOPS

    context.set_offline(True)
    page.click(f"a[href='/readings/routes/{route_id}/next']")  # 继续抄表, without signal
    page.wait_for_url(f"{route_url}/stops/1")
    assert page.locator("#saved-offline").is_hidden()
    page.fill("#f-value", str(lasts[0] + 27))
    page.click(".reading-form button[type=submit]")
    page.wait_for_url(f"{route_url}/stops/2")  # on along the route, not to the outbox
    assert page.locator("#saved-offline").is_visible()
    assert addresses[1] in page.locator("#h-address").inner_text()

    page.goto(route_url)  # the phone's copy of the route: 继续抄表 skips the stop that waits in the outbox
    page.click(f"a[href='/readings/routes/{route_id}/next']")
    page.wait_for_url(f"{route_url}/stops/2")
    page.goto(f"{base_url}/outbox")
    entry = page.locator("#outbox-list li[data-client-id]")
    entry.first.wait_for()
    assert entry.count() == 1
    assert addresses[0] in entry.first.locator("strong").inner_text()  # the address, not only 第 1 / 4 户
    assert field_readings(live_server.app, route_id) == []

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    entry.first.wait_for(state="detached", timeout=30000)
    assert outbox_settled(page)["count"] == 0
    readings = field_readings(live_server.app, route_id)
    assert [r.value for r in readings] == [lasts[0] + 27]
    context.close()


@pytest.fixture
def assigned_order(live_server):
    app = live_server.app
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        users = {u.username: u for u in db.session.execute(select(User)).scalars()}
        customer = db.session.execute(select(Customer).filter_by(account_no="20000092")).scalar_one_or_none() \
            or db.session.execute(select(Customer).order_by(Customer.id.desc())).scalars().first()
        order = orders.create_order(users["station_chief"], {
            "type": "repair", "customer_id": customer.id, "description": "离线接单出发"})
        orders.assign(users["station_chief"], order.id, users[TECH].id, order.version)
        db.session.commit()
        order_id, version = order.id, order.version
        db.session.remove()
    return order_id, version


def _order(app, order_id):
    with app.app_context():
        order = db.session.get(WorkOrder, order_id)
        events = db.session.execute(select(WorkOrderEvent.to_status).where(
            WorkOrderEvent.work_order_id == order_id).order_by(WorkOrderEvent.id)).scalars().all()
        result = (order.status, order.version, events)
        db.session.remove()
        return result


def test_technician_accepts_and_sets_off_offline_both_arrive(browser, base_url, live_server, assigned_order):
    order_id, version = assigned_order
    context = _phone(browser, permissions=["geolocation"], geolocation={"latitude": 31.2304, "longitude": 121.4737})
    page = context.new_page()
    log_in(page, base_url, TECH)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    order_url = f"{base_url}/dispatch/orders/{order_id}"
    page.goto(order_url)  # with signal: the job's page is kept on the phone
    assert page.url == order_url
    assert page.locator("form[data-offline-after]").first.is_hidden()

    context.set_offline(True)
    page.goto(order_url)
    page.locator("form.wo-move:has(input[name=to][value=accepted]) button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/dispatch/orders/{order_id}$"))
    assert page.locator("#saved-offline").is_visible()
    on_my_way = page.locator("form[data-offline-after=accepted] button[type=submit]")
    on_my_way.wait_for(state="visible")
    on_my_way.click()
    page.wait_for_url(re.compile(rf"/dispatch/orders/{order_id}$"))
    page.locator("form[data-offline-after=en_route] button[type=submit]").wait_for(state="visible")
    assert _order(live_server.app, order_id)[0] == "assigned"

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    for _ in range(3):
        if outbox_settled(page)["count"] == 0:
            break
    status, now, events = _order(live_server.app, order_id)
    assert (status, now) == ("en_route", version + 2)
    assert events[-2:] == ["accepted", "en_route"] and events.count("en_route") == 1
    assert outbox_settled(page)["count"] == 0  # sending again sends nothing more
    assert _order(live_server.app, order_id) == (status, now, events)
    context.close()
