"""A complaint's closed loop on 360×740 phones: a customer files it on the public web form and gets a
tracking number; the station chief (owner of the customer's district) makes the first contact and
routes it to a meter-verification order, investigates and proposes; the director approves; the chief
resolves it and the customer's status page shows it resolved; the customer confirms and the follow-up
call records the satisfaction."""
import os
import re

from tests.browser.conftest import log_in

ACCOUNT_NO = "20000008"  # a demo customer in 城南片区 (D03), the district of the demo station chief
SHOTS = os.environ.get("COMPLAINT_SHOTS")  # a folder: save screenshots of each step (for reviewing the pages)


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"complaint_{name}.png"), full_page=True)


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _submit(page, form_id):
    with page.expect_navigation():
        page.locator(f"#{form_id} button[type=submit]").click()
    assert page.locator(".flash-error").count() == 0, page.locator("main").inner_text()[:500]


def _status(page, base_url, tracking_no):
    page.goto(f"{base_url}/feedback/status/{tracking_no}")
    return page.locator("#h-status [data-status]").get_attribute("data-status")


def test_complaint_from_web_form_to_follow_up(browser, browser_context_args, base_url):
    customer = browser.new_context(**browser_context_args).new_page()

    # The customer, not logged in, files a meter-accuracy complaint.
    customer.goto(f"{base_url}/feedback")
    _fits(customer)
    customer.select_option("#f-category", "meter_accuracy")
    customer.fill("#f-description", "这两个月用气量翻倍，怀疑燃气表走快")
    customer.fill("#f-contact_name", "测试客户")
    customer.fill("#f-contact_phone", "13812345678")
    customer.fill("#f-account_no", ACCOUNT_NO)
    _shot(customer, "1_public_form")
    customer.locator("main form button[type=submit]").click()
    customer.wait_for_url(re.compile(r".*/feedback/status/TS-\d{8}-[0-9A-Z]{6}$"))
    tracking_no = customer.locator("#tracking-no").inner_text().strip()
    assert customer.url.endswith(tracking_no)
    assert customer.locator("#h-status [data-status]").get_attribute("data-status") == "received"
    assert "测试客户" not in customer.content() and "13812345678" not in customer.content()
    _fits(customer)
    _shot(customer, "2_status_received")

    # The station chief of the customer's district owns it: finds it by its number and calls back.
    chief = browser.new_context(**browser_context_args).new_page()
    log_in(chief, base_url, "station_chief")
    chief.goto(f"{base_url}/complaints/?view=all&q={tracking_no}")
    chief.locator("ul.list a.list-row").first.click()
    chief.wait_for_url(re.compile(r".*/complaints/\d+$"))
    complaint_url = chief.url
    assert chief.locator("#c-tracking").inner_text().strip() == tracking_no
    assert chief.locator("#f-order_type-contact").input_value() == "meter_verification"
    _fits(chief)
    _shot(chief, "3_chief_received")
    chief.select_option("#f-department", "metering_office")
    chief.fill("#note-contacted", "已致电客户，约定计量员上门拆表送检")
    _submit(chief, "form-contacted")
    assert chief.locator("[data-order-status]").get_attribute("data-order-status") == "new"
    assert chief.locator("#c-order").inner_text().find("#") >= 0

    # … investigates and proposes a solution for the director.
    _submit(chief, "form-investigating")
    chief.select_option("#f-cause", "meter_fault")
    chief.fill("#f-cause_detail", "在用表检查：示值误差 +4.6 %，超出最大允许误差")
    chief.fill("#f-solution_1", "免费更换燃气表，按检定误差退还多计气费")
    chief.fill("#f-compensation_1", "86.40")
    _shot(chief, "4_chief_propose")
    _submit(chief, "form-solution_proposed")
    assert chief.locator("[data-status]").first.get_attribute("data-status") == "solution_proposed"
    _fits(chief)

    # The director approves the proposed solution.
    director = browser.new_context(**browser_context_args).new_page()
    log_in(director, base_url, "director")
    director.goto(complaint_url)
    director.locator("#form-solution_approved input[name=solution_id]").first.check()
    _shot(director, "5_director_approve")
    _submit(director, "form-solution_approved")
    assert director.locator(".c-solutions .badge-ok").count() == 1
    _fits(director)

    # The chief carries it out; the customer's status page shows it resolved.
    chief.goto(complaint_url)
    chief.fill("#f-actions", "已更换燃气表，退还气费 86.40 元")
    _submit(chief, "form-resolved")
    assert _status(customer, base_url, tracking_no) == "resolved"
    _shot(customer, "6_status_resolved")

    # The customer confirms; the follow-up call records their satisfaction.
    chief.goto(complaint_url)
    _submit(chief, "form-closed")
    chief.locator("#form-followup input[name=satisfaction][value='5']").check()
    chief.fill("#f-followup-comments", "处理及时，很满意")
    _shot(chief, "7_followup")
    _submit(chief, "form-followup")
    assert chief.locator("#c-satisfaction").get_attribute("data-satisfaction") == "5"
    assert chief.locator("[data-status]").first.get_attribute("data-status") == "closed"
    _fits(chief)
    _shot(chief, "8_closed")
    assert _status(customer, base_url, tracking_no) == "closed"
