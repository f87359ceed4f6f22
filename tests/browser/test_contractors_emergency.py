"""Contractors and emergency plans on a 360×740 phone: the plan page's call list is tap-to-call, an expired
licence is refused when a chief issues a permit (the form keeps what was typed), every page fits."""
import os
from datetime import date

from tests.browser.conftest import log_in

SHOTS = os.environ.get("SHOTS_DIR")  # set to keep screenshots for a look


def _fits(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name


def test_repair_tech_opens_the_leak_plan_and_can_call(page, base_url):
    log_in(page, base_url, "repair_tech")
    page.goto(f"{base_url}/management/emergency-plans")
    _fits(page, "eplans")
    page.click("text=户内燃气泄漏应急预案")
    _fits(page, "eplan")
    tel = page.locator("a.em-tel").first
    assert tel.get_attribute("href").startswith("tel:")
    box = tel.bounding_box()
    style = tel.evaluate("e => [getComputedStyle(e).minHeight, getComputedStyle(e).display, e.offsetHeight]")
    assert box["height"] >= 44, (box, style)  # a thumb's target
    assert page.locator("a.em-tel[href='tel:119']").count() == 1
    page.locator(".list a").first.click()  # the demo drill
    _fits(page, "drill")
    assert page.locator(".mg-nc").count() == 2  # each action is a nonconformity


def test_expired_licence_blocks_a_permit_on_the_page(page, base_url):
    log_in(page, base_url, "station_chief")
    page.goto(f"{base_url}/contractors")
    _fits(page, "contractors")
    page.click("text=诚达防腐安装工程队")
    _fits(page, "contractor")
    assert page.locator(".ct-licence-expired").count() == 1
    page.goto(f"{base_url}/contractors/permits/new")
    page.select_option("#f-contractor_id", label="诚达防腐安装工程队 · JZ-防腐-2022-0456")
    page.fill("#f-address", "幸福小区3栋2单元501")
    page.fill("#f-work", "引入管防腐刷漆")
    today = date.today().isoformat()
    page.fill("#f-valid_from", today)
    page.fill("#f-valid_to", today)
    page.click("button[type=submit]")
    page.wait_for_selector("#e-contractor_id")
    assert "JZ-防腐-2022-0456" in page.locator("#e-contractor_id").inner_text()  # the licence named
    assert page.input_value("#f-address") == "幸福小区3栋2单元501"
    _fits(page, "permit-refused")
    page.goto(f"{base_url}/contractors/permits")
    _fits(page, "permits")
    page.locator(".list a").first.click()
    _fits(page, "permit")
