"""Customer change requests and complaint penalties on 360×740 phones: the counter requests a transfer
(过户) with a photo of the new owner's ID document, the district's chief approves it and the customer's
name changes; the list searches and exports; the director sees the penalty section of a complaint."""
import os

from sqlalchemy import select

from fieldsvc.complaints.models import ComplaintPenalty
from fieldsvc.customers.models import Customer, District
from fieldsvc.extensions import db
from tests import factories
from tests.browser.conftest import log_in

SHOTS = os.environ.get("CHANGE_SHOTS")  # a folder: save screenshots of each step (for reviewing the pages)


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"changes_{name}.png"), full_page=True)


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _customer(app) -> tuple[int, str, str]:
    """An active residential customer of 城南片区 (D03, the demo station chief's district) no other test uses."""
    with app.app_context():
        row = db.session.execute(
            select(Customer).join(District, District.id == Customer.district_id)
            .where(District.code == "D03", Customer.status == "active", Customer.category == "residential")
            .order_by(Customer.id).offset(11).limit(1)).scalar_one()
        return row.id, row.account_no, row.name


def test_transfer_requested_at_the_counter_and_approved_by_the_chief(browser, browser_context_args, base_url,
                                                                      live_server, tmp_path):
    customer_id, account_no, old_name = _customer(live_server.app)
    photo = tmp_path / "id.jpg"
    photo.write_bytes(factories.jpeg((400, 260)))

    clerk = browser.new_context(**browser_context_args).new_page()
    log_in(clerk, base_url, "card_clerk")
    clerk.goto(f"{base_url}/customers/{customer_id}/edit")
    assert clerk.locator("#f-name").count() == 0  # the name is not edited on the form any more
    _fits(clerk)
    _shot(clerk, "0_edit_form")
    clerk.goto(f"{base_url}/customer-changes/new?customer_id={customer_id}&kind=transfer")
    _fits(clerk)
    clerk.fill("#f-new_name", "浏览器测试户主")
    clerk.fill("#f-new_phone", "13987654321")
    clerk.set_input_files("#f-id_photo", str(photo))
    _shot(clerk, "1_request_form")
    with clerk.expect_navigation():
        clerk.locator("main form button[type=submit]").click()
    assert "/customer-changes/" in clerk.url and clerk.locator(".flash-error").count() == 0
    _fits(clerk)
    _shot(clerk, "2_requested")
    change_url = clerk.url

    chief = browser.new_context(**browser_context_args).new_page()
    log_in(chief, base_url, "station_chief")
    chief.goto(f"{base_url}/customer-changes/?q={account_no}")
    _fits(chief)
    _shot(chief, "3_list")
    chief.goto(change_url)
    _fits(chief)
    _shot(chief, "4_decide")
    with chief.expect_navigation():
        chief.locator("form[action$='/approve'] button[type=submit]").click()
    assert chief.locator(".flash-success").count() == 1
    chief.goto(f"{base_url}/customers/{customer_id}")
    assert "浏览器测试户主" in chief.locator("main").inner_text() and old_name not in chief.locator("h2").first.inner_text()


def test_the_director_sees_the_penalty_section(browser, browser_context_args, base_url, live_server):
    with live_server.app.app_context():
        complaint_id = db.session.execute(select(ComplaintPenalty.complaint_id)).scalars().first()
    assert complaint_id is not None, "the demo city has one penalty"
    director = browser.new_context(**browser_context_args).new_page()
    log_in(director, base_url, "director")
    director.goto(f"{base_url}/complaints/{complaint_id}")
    assert director.locator("#c-penalties").count() == 1
    _fits(director)
    director.locator("#c-penalties").scroll_into_view_if_needed()
    _shot(director, "5_penalties")
    director.goto(f"{base_url}/customer-changes/?status=approved")
    _fits(director)
    _shot(director, "6_approved")
    chief = browser.new_context(**browser_context_args).new_page()
    log_in(chief, base_url, "station_chief")
    chief.goto(f"{base_url}/complaints/{complaint_id}")
    assert chief.locator("#c-penalties").count() == 0
