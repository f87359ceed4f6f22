"""A meter reader reports a hazard with a photo from the phone; the safety officer turns it into a register
line scored by LEC; it shows in the risk matrix picture."""
import re

from tests import factories
from tests.browser.conftest import log_in

L, E, C = "6", "3", "15"  # D = 270: grade 2 (orange), significant


def _jpeg() -> bytes:
    return factories.jpeg((800, 600), (200, 120, 40))


def _cell_count(page, base_url) -> int:
    page.goto(f"{base_url}/hse/matrix")
    cell = page.locator(f'svg .cell[data-l="{L}"][data-c="{C}"]')
    return int(cell.get_attribute("data-count"))


def test_reported_hazard_reaches_the_matrix(browser, base_url):
    phone = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
    reader = browser.new_context(**phone).new_page()
    log_in(reader, base_url, "meter_reader")
    reader.goto(f"{base_url}/hse/report")
    reader.fill("#f-description", "楼道立管锈蚀严重，支架松动")
    reader.fill("#f-location", "幸福小区 3栋 2单元 楼道")
    reader.set_input_files("#f-photo", files=[{"name": "riser.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}])
    reader.locator("form button[type=submit]").last.click()
    reader.wait_for_url(re.compile(r"/hse/observations/\d+$"))
    observation_url = reader.url
    assert reader.locator("img.hse-photo").count() == 1
    assert reader.evaluate("document.documentElement.scrollWidth") <= 360

    officer = browser.new_context(**phone).new_page()
    log_in(officer, base_url, "safety_officer")
    before = _cell_count(officer, base_url)
    officer.goto(observation_url)
    officer.locator('a[href*="/hse/hazards/new?observation_id="]').click()
    assert "楼道立管锈蚀严重" in officer.input_value("#f-description")
    officer.select_option("#f-unit", index=1)
    if not officer.input_value("#f-activity"):
        officer.fill("#f-activity", "抄表")
    officer.select_option("#f-accident_type", index=1)
    officer.select_option("#f-l", L)
    officer.select_option("#f-e", E)
    officer.select_option("#f-c", C)
    assert "270" in officer.locator("[data-lec-result]").inner_text()  # shown live, before saving
    officer.locator("form[data-lec] button[type=submit]").last.click()
    officer.wait_for_url(re.compile(r"/hse/hazards/\d+$"))
    assert "270" in officer.content()
    assert _cell_count(officer, base_url) == before + 1
