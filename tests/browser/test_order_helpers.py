"""Issue #20, item 2, on a 360×740 phone in zh-CN: the chief creates a purge-and-ignite (置换通气) for a new
customer with the district's meter reader as helper, as the form suggests; the meter reader finds it in their
jobs marked as helping, opens it (also without signal, from the phone's copy) and sees no move buttons."""
import re

from sqlalchemy import select

from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer
from tests.browser.conftest import PHONE, log_in
from tests.browser.offline_data import wait_for_cached

READER = "meter_reader2"  # the other browser tests use meter_reader and meter_reader3
TECH = "repair_tech"  # an added job only lowers them in the rankings other browser tests check


def _phone(browser):
    return browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)


def _people(app):
    """The reader, the technician and a customer of the reader's district (from the live server's database)."""
    from fieldsvc.extensions import db
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_([READER, TECH])))}
        reader, tech = users[READER], users[TECH]
        customer = db.session.scalars(select(Customer).where(Customer.district_id == reader.district_id)
                                      .order_by(Customer.id.desc())).first()
        found = (reader.id, reader.name, tech.id, customer.account_no)
        db.session.remove()
        return found


def _narrow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_meter_reader_helps_on_a_purge(browser, base_url, live_server):
    reader_id, reader_name, tech_id, account_no = _people(live_server.app)

    chief_ctx = _phone(browser)
    chief = chief_ctx.new_page()
    log_in(chief, base_url, "station_chief")
    chief.goto(f"{base_url}/dispatch/new?type=purge_ignition")
    chief.fill("#f-description", "新装用户置换通气点火")
    chief.fill("#f-account_no", account_no)
    chief.locator("#f-account_no").blur()
    # The form names the district's meter reader as the helper to take (board.js redraws the block).
    chief.wait_for_selector("[data-suggested-helpers]")
    assert reader_name in chief.locator("[data-suggested-helpers]").inner_text()
    chief.select_option("#f-assignee_id", str(tech_id))
    chief.check(f"#new-helper-{reader_id}")
    assert _narrow(chief)
    chief.locator("main form button[type=submit]").last.click()
    chief.wait_for_url(re.compile(r".*/dispatch/orders/\d+$"))
    order_id = int(chief.url.rsplit("/", 1)[1])
    assert reader_name in chief.locator(".wo-helpers").inner_text()
    chief_ctx.close()

    # The meter reader's phone: the job is in their list, marked as helping; its page has no moves.
    context = _phone(browser)
    page = context.new_page()
    log_in(page, base_url, READER)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # controlled by the worker from here on
    page.goto(f"{base_url}/dispatch/jobs")
    job = page.locator(f"li.wo:has(a[href='/dispatch/orders/{order_id}'])")
    assert job.locator(".badge-helping").is_visible()
    assert "置换通气" in job.inner_text() or "通气" in job.inner_text()
    assert _narrow(page)
    assert wait_for_cached(page, f"/dispatch/orders/{order_id}", 1) >= 1
    job.locator("a.wo-head").click()
    page.wait_for_url(f"{base_url}/dispatch/orders/{order_id}")
    assert reader_name in page.locator(".wo-helpers").inner_text()
    assert page.locator("form.wo-move").count() == 0
    assert page.locator(".wo-actions").count() == 0
    assert _narrow(page)

    # Without signal the job and its list still open from the phone's copy.
    context.set_offline(True)
    try:
        page.goto(f"{base_url}/dispatch/orders/{order_id}")
        assert page.locator(".wo-helpers").is_visible()
        assert page.locator("form.wo-move").count() == 0
    finally:
        context.set_offline(False)
    context.close()
