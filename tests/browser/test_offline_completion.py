"""Offline at the customer's: a job completed with no signal — results, a photo and the customer's signature —
waits in the outbox, survives a reload, and is completed exactly once when the signal returns, with the photo
and the signature stored."""
import uuid

import pytest
from sqlalchemy import func, select

from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer
from fieldsvc.dispatch.models import Completion, WorkOrder, WorkOrderEvent
from fieldsvc.dispatch.services import orders
from fieldsvc.extensions import db
from fieldsvc.uploads import Upload
from tests import factories
from tests.browser.conftest import log_in
from tests.browser.offline_data import outbox_settled

TECH = "repair_tech3"  # 孙涛: no other browser test works with this technician's jobs
ACCOUNT_NO = "20000091"


def _jpeg() -> bytes:
    return factories.jpeg((800, 600), (40, 120, 200))


@pytest.fixture
def on_site_order(live_server):
    """A repair order of TECH, accepted and on site (done with signal, through the services)."""
    app = live_server.app
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        users = {u.username: u for u in db.session.execute(select(User)).scalars()}
        customer = db.session.execute(select(Customer).filter_by(account_no=ACCOUNT_NO)).scalar_one()
        order = orders.create_order(users["station_chief"], {
            "type": "repair", "customer_id": customer.id, "description": f"离线完工 {uuid.uuid4().hex[:6]}"})
        orders.assign(users["station_chief"], order.id, users[TECH].id, order.version)
        for to in ("accepted", "en_route", "on_site"):
            orders.transition(users[TECH], order.id, to, order.version)
        db.session.commit()
        order_id = order.id
        db.session.remove()
    return order_id


def _counts(live_server, order_id) -> dict:
    with live_server.app.app_context():
        one = db.session.execute
        counts = {
            "status": one(select(WorkOrder.status).where(WorkOrder.id == order_id)).scalar_one(),
            "completions": one(select(func.count(Completion.id)).where(Completion.work_order_id == order_id)).scalar_one(),
            "completed_events": one(select(func.count(WorkOrderEvent.id)).where(
                WorkOrderEvent.work_order_id == order_id, WorkOrderEvent.to_status == "completed")).scalar_one(),
            "photos": one(select(func.count(Upload.id)).where(
                Upload.entity == "work_order", Upload.entity_id == order_id, Upload.purpose == "photo")).scalar_one(),
            "signatures": one(select(func.count(Upload.id)).where(
                Upload.entity == "work_order", Upload.entity_id == order_id,
                Upload.purpose == "signature")).scalar_one(),
        }
        completion = one(select(Completion).where(Completion.work_order_id == order_id)).scalar_one_or_none()
        counts["signature_linked"] = bool(completion and completion.signature_id)
        counts["notes"] = completion.work_notes if completion else None
        db.session.remove()
        return counts


def _sign(page):
    pad = page.locator("canvas.sig-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(box["x"] + 20 + i * 22, box["y"] + box["height"] / 2 + (15 if i % 2 else -15))
    page.mouse.up()


def _cached(page, path: str) -> bool:
    return page.evaluate("""async (path) => {
        for (const key of await caches.keys()) {
            if (!key.startsWith('pages-')) continue;
            const cache = await caches.open(key);
            if ((await cache.keys()).some((r) => new URL(r.url).pathname === path)) return true;
        }
        return false;
    }""", path)


def test_job_completed_offline_with_photo_and_signature_arrives_once(browser, base_url, live_server, on_site_order):
    order_id = on_site_order
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en", is_mobile=True,
                                  has_touch=True, permissions=["geolocation"],
                                  geolocation={"latitude": 31.2304, "longitude": 121.4737})
    page = context.new_page()
    log_in(page, base_url, TECH)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # controlled by the worker from here on
    page.goto(f"{base_url}/outbox")
    page.goto(f"{base_url}/dispatch/jobs")  # with signal: the day's jobs (and their completion forms) are kept
    assert page.url == f"{base_url}/dispatch/jobs"  # still logged in (the dropped-session race: tests/auth)
    complete_path = f"/dispatch/orders/{order_id}/complete"
    for _ in range(100):
        if _cached(page, f"/dispatch/orders/{order_id}") and _cached(page, complete_path):
            break
        page.wait_for_timeout(200)
    assert _cached(page, complete_path)

    context.set_offline(True)
    page.goto(f"{base_url}/dispatch/orders/{order_id}")  # from the phone's copy, which says how old it is
    assert page.locator(".as-of").is_visible() and "Data as of" in page.locator(".as-of").inner_text()
    page.locator(f"a[href='{complete_path}']").click()
    page.wait_for_url(f"{base_url}{complete_path}")
    page.fill("#f-fault_found", "点火针积碳")
    page.fill("#f-work_notes", "清理点火针，试火正常")
    page.set_input_files("#f-photos", files=[{"name": "stove.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}])
    page.wait_for_selector(".wo-previews img")
    _sign(page)
    assert page.input_value("#f-signature").startswith("data:image/png;base64,")
    page.locator("#complete-form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/outbox")
    page.wait_for_selector("#outbox-list li[data-client-id]")
    page.reload()  # still offline: the outbox page and the kept completion (photo included) are still there
    page.wait_for_selector("#outbox-list li[data-client-id]")
    assert page.locator("#outbox-list li[data-client-id]").count() == 1
    kept = page.evaluate("""() => OutboxDB.all().then((items) => items.map((i) => i.fields
        .filter(([, v]) => typeof v !== 'string').map(([n, v]) => [n, v.size])))""")
    assert kept[0] and kept[0][0][0] == "photos" and kept[0][0][1] > 1000
    assert _counts(live_server, order_id)["completions"] == 0

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#outbox-list li[data-client-id]").first.wait_for(state="detached", timeout=60000)
    after = _counts(live_server, order_id)
    assert after["status"] == "completed"
    assert (after["completions"], after["completed_events"], after["photos"], after["signatures"]) == (1, 1, 1, 1)
    assert after["signature_linked"] and after["notes"] == "清理点火针，试火正常"
    assert outbox_settled(page)["count"] == 0  # sending again (the outbox now idle) sends nothing more
    again = _counts(live_server, order_id)
    assert (again["completions"], again["completed_events"], again["photos"], again["signatures"]) == (1, 1, 1, 1)

    page.goto(f"{base_url}/dispatch/orders/{order_id}")
    assert page.locator(".wo-photos img").count() == 1
    assert page.locator("img.wo-signature").evaluate("img => img.complete && img.naturalWidth > 0")
    context.close()
