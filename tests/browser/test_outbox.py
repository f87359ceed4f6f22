"""Offline: a form submitted without signal waits on the phone, survives a reload, and arrives exactly once;
a form whose client_id the server already took with other content is shown as a conflict to resolve."""
import uuid

from fieldsvc.customers.models import Appliance, Customer
from fieldsvc.extensions import db
from tests.browser.conftest import log_in
from tests.browser.offline_data import outbox_settled


def _appliances(app, account_no):
    with app.app_context():
        customer = db.session.query(Customer).filter_by(account_no=account_no).one()
        count = db.session.query(Appliance).filter_by(customer_id=customer.id, brand="离线品牌").count()
        db.session.remove()
        return customer.id, count


def test_offline_form_reaches_server_once(page, context, base_url, live_server):
    customer_id, before = _appliances(live_server.app, "20000077")
    log_in(page, base_url, "station_chief")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    form_url = f"{base_url}/customers/{customer_id}/appliances/new"
    page.goto(f"{base_url}/outbox")  # opened once with signal: it stays readable offline
    page.goto(form_url)
    context.set_offline(True)
    page.select_option("#f-kind", "water_heater")
    page.fill("#f-brand", "离线品牌")
    page.click("form[data-offline] button[type=submit]")
    page.wait_for_url(f"{base_url}/outbox")
    page.wait_for_selector("#outbox-list li[data-client-id]")
    page.reload()  # still offline: the page and the kept form are both still there
    page.wait_for_selector("#outbox-list li[data-client-id]")
    assert _appliances(live_server.app, "20000077")[1] == before
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#outbox-list li[data-client-id]").wait_for(state="detached", timeout=15000)
    assert _appliances(live_server.app, "20000077")[1] == before + 1
    assert outbox_settled(page)["count"] == 0  # sending again (the outbox now idle) sends nothing more
    assert _appliances(live_server.app, "20000077")[1] == before + 1


# --- the same client_id with different content: a conflict the user sees and resolves, never dropped ------

def _brand_count(app, customer_id, brand):
    with app.app_context():
        count = db.session.query(Appliance).filter_by(customer_id=customer_id, brand=brand).count()
        db.session.remove()
        return count


def _submit(page, form_url, brand, client_id):
    page.goto(form_url)
    page.select_option("#f-kind", "stove")
    page.fill("#f-brand", brand)
    page.evaluate("""(id) => {
        const input = document.createElement('input');
        input.type = 'hidden'; input.name = 'client_id'; input.value = id;
        document.querySelector('form[data-offline]').appendChild(input);
    }""", client_id)
    page.click("form[data-offline] button[type=submit]")


def test_conflict_is_shown_and_resolved_not_dropped(page, context, base_url, live_server):
    customer_id, _ = _appliances(live_server.app, "20000078")
    tag = uuid.uuid4().hex[:6]
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    log_in(page, base_url, "station_chief")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.goto(f"{base_url}/outbox")
    form_url = f"{base_url}/customers/{customer_id}/appliances/new"
    # Sent with signal: the server has these two forms under their client_ids.
    for client_id, brand in ((first, f"甲{tag}"), (second, f"乙{tag}")):
        _submit(page, form_url, brand, client_id)
        page.wait_for_url(f"{base_url}/customers/{customer_id}")
    # The same client_ids come again from the phone, with other content (as after editing a sent form).
    page.goto(form_url)
    context.set_offline(True)
    for client_id, brand in ((first, f"丙{tag}"), (second, f"丁{tag}")):
        _submit(page, form_url, brand, client_id)
        page.wait_for_url(f"{base_url}/outbox")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#outbox-list li[data-state=conflict] >> nth=1", timeout=30000)

    # Shown as conflicts, with the server's words and what was typed; nothing taken, nothing dropped.
    page.reload()
    conflicts = page.locator("#outbox-list li[data-state=conflict]")
    conflicts.nth(1).wait_for()
    assert conflicts.count() == 2
    mine = page.locator(f"#outbox-list li[data-client-id='{first}']")
    assert "不同内容" in mine.locator(".outbox-message").inner_text()  # "…sent with different content…"
    assert f"丙{tag}" in mine.locator(".outbox-details").inner_text()
    assert _brand_count(live_server.app, customer_id, f"丙{tag}") == 0
    assert _brand_count(live_server.app, customer_id, f"甲{tag}") == 1

    page.on("dialog", lambda dialog: dialog.accept())
    # Resolve one by keeping it: it goes to the server as a new record, beside the first one.
    mine.locator(".outbox-send-new").click()
    mine.wait_for(state="detached", timeout=15000)
    outbox_settled(page)
    assert _brand_count(live_server.app, customer_id, f"丙{tag}") == 1
    assert _brand_count(live_server.app, customer_id, f"甲{tag}") == 1
    # … and the other by discarding it: the server's record stays as it is.
    other = page.locator(f"#outbox-list li[data-client-id='{second}']")
    other.locator(".outbox-discard").click()
    other.wait_for(state="detached")
    assert outbox_settled(page)["count"] == 0
    page.locator("#outbox-list li[data-client-id]").first.wait_for(state="detached")
    assert page.locator("#outbox-list li[data-client-id]").count() == 0
    assert _brand_count(live_server.app, customer_id, f"丁{tag}") == 0
    assert _brand_count(live_server.app, customer_id, f"乙{tag}") == 1
