"""An emergency from the call to done, on 360×740 phones: the chief creates and assigns it; the technician
accepts, goes on site (GPS from the browser), completes with a photo and a drawn signature; the board
then shows it done within its 30-minute target."""
import re

from tests import factories
from tests.browser.conftest import log_in

ACCOUNT_NO = "20000077"  # a demo customer


def _jpeg() -> bytes:
    return factories.jpeg((640, 480), (180, 60, 40))


def _move(page, to: str):
    page.locator(f"form.wo-move:has(input[name=to][value={to}]) button[type=submit]").click()


def test_emergency_call_to_done(browser, browser_context_args, base_url):
    chief_ctx = browser.new_context(**browser_context_args)
    chief = chief_ctx.new_page()
    log_in(chief, base_url, "station_chief")

    # The chief takes the call.
    chief.goto(f"{base_url}/dispatch/new")
    chief.select_option("#f-type", "emergency")
    chief.select_option("#f-priority", "urgent")
    chief.fill("#f-description", "厨房有燃气味，用户已开窗")
    chief.fill("#f-account_no", ACCOUNT_NO)
    chief.locator("main button[type=submit]").click()
    chief.wait_for_url(re.compile(r".*/dispatch/orders/\d+$"))
    order_id = int(chief.url.rsplit("/", 1)[1])
    assert chief.evaluate("document.documentElement.scrollWidth") <= 360

    # … assigns it to 王磊 on the board, where it is pinned with its live clock.
    chief.goto(f"{base_url}/dispatch/")
    row = chief.locator(f"#wo-{order_id}")
    assert row.locator(".since").is_visible()
    assert chief.locator("#h-emergencies").is_visible()
    value = row.locator("select[name=assignee_id] option", has_text="王磊").get_attribute("value")
    row.locator("select[name=assignee_id]").select_option(value)
    row.locator("button[type=submit]").click()
    chief.wait_for_url(re.compile(r".*/dispatch/.*"))
    assert "王磊" in chief.locator(f"#wo-{order_id} .wo-meta").inner_text()
    assert chief.evaluate("document.documentElement.scrollWidth") <= 360

    # The technician, on a phone that shares its position.
    tech_ctx = browser.new_context(**browser_context_args, permissions=["geolocation"],
                                   geolocation={"latitude": 31.230416, "longitude": 121.473701})
    tech = tech_ctx.new_page()
    log_in(tech, base_url, "repair_tech")
    tech.goto(f"{base_url}/dispatch/jobs")
    tech.locator(f"a[href='/dispatch/orders/{order_id}']").click()
    tech.wait_for_url(f"{base_url}/dispatch/orders/{order_id}")
    assert tech.locator("a.tel").first.is_visible()
    for step in ("accepted", "en_route", "on_site"):
        _move(tech, step)
        tech.wait_for_selector(f".badge-status-{step}")
    assert "31.230416" in tech.locator("#h-history + .timeline").inner_text()

    # Completion: the emergency's results, a photo, the customer's signature drawn with a finger.
    tech.locator(f"a[href='/dispatch/orders/{order_id}/complete']").click()
    tech.wait_for_url(f"{base_url}/dispatch/orders/{order_id}/complete")
    tech.select_option("#f-leak_found", "true")
    tech.fill("#f-leak_location", "灶具进气软管接头")
    tech.select_option("#f-gas_state", "restored")
    tech.fill("#f-work_notes", "更换软管及卡箍，检漏合格后恢复供气")
    tech.set_input_files("#f-photos", files=[{"name": "leak.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}])
    tech.wait_for_selector(".wo-previews img")
    pad = tech.locator("canvas.sig-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    tech.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    tech.mouse.down()
    for i in range(1, 12):
        tech.mouse.move(box["x"] + 20 + i * 22, box["y"] + box["height"] / 2 + (15 if i % 2 else -15))
    tech.mouse.up()
    assert tech.input_value("#f-signature").startswith("data:image/png;base64,")
    assert tech.evaluate("document.documentElement.scrollWidth") <= 360
    tech.locator("#complete-form button[type=submit]").click()
    tech.wait_for_url(f"{base_url}/dispatch/jobs")

    tech.goto(f"{base_url}/dispatch/orders/{order_id}")
    assert tech.locator(".wo-photos img").count() == 1
    assert tech.locator("img.wo-signature").evaluate("img => img.complete && img.naturalWidth > 0")

    # The board shows it done within target.
    chief.goto(f"{base_url}/dispatch/")
    done = chief.locator(f"#wo-{order_id}")
    assert done.locator(".badge-status-completed").is_visible()
    assert done.locator(".badge-ok").is_visible()  # "within target"
    chief_ctx.close()
    tech_ctx.close()
