"""Offline: a form submitted without signal waits on the phone, survives a reload, and arrives exactly once."""
from fieldsvc.customers.models import Appliance, Customer
from fieldsvc.extensions import db
from tests.browser.conftest import log_in


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
    page.click("#outbox-sync")  # sending again sends nothing more
    page.wait_for_timeout(500)
    assert _appliances(live_server.app, "20000077")[1] == before + 1
