"""The instrument register on a 360×740 phone: the safety officer's register (the demo's overdue manometer
flagged), registering a manometer for a technician, recording its calibration; the holder's home card."""
from tests.browser.conftest import log_in

SERIAL = "YL-BROWSER-360"
SHOT = "/tmp/instruments-register-360.png"


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_register_a_manometer_and_calibrate_it(page, base_url):
    log_in(page, base_url, "safety_officer")
    page.goto(f"{base_url}/instruments/")
    _fits(page)
    assert page.locator(".badge-bad").count() >= 1  # the demo's overdue manometer
    page.screenshot(path=SHOT, full_page=True)

    page.locator("a[href='/instruments/new']").click()
    page.wait_for_url(f"{base_url}/instruments/new")
    _fits(page)
    page.select_option("#f-kind", "manometer")
    page.fill("#f-serial_no", SERIAL)
    page.fill("#f-model", "数字压力计 HT-1890")
    page.select_option("#f-holder_id", page.locator("#f-holder_id option", has_text="赵勇").get_attribute("value"))
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    assert page.locator(".flash-error").count() == 0, page.locator("main").inner_text()[:500]
    assert SERIAL in page.locator("main").inner_text()
    _fits(page)

    page.locator("#h-checks ~ details summary").click()
    page.select_option("form[action$='/checks'] #f-kind", "calibration")
    page.select_option("form[action$='/checks'] #f-ok", "true")
    page.fill("form[action$='/checks'] #f-note", "市计量所检定合格-浏览器测试")
    with page.expect_navigation():
        page.locator("form[action$='/checks'] button[type=submit]").click()
    assert "市计量所检定合格-浏览器测试" in page.locator("#h-checks + ul").inner_text()
    _fits(page)


def test_the_holder_is_reminded_on_home(page, base_url):
    log_in(page, base_url, "repair_tech2")  # the demo: his manometer is due in 12 days
    card = page.locator("#h-home-instruments")
    assert card.count() == 1
    assert page.locator("section", has=card).locator(".badge-warn").count() == 1  # one due soon
    _fits(page)
