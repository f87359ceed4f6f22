"""A household safety inspection on 360×740 phones, around the whole rectification loop: the repair
technician finds an aged hose (grade B) with a photo and the customer's signature; the chief assigns
the rectification order; the pipe fitter sees it with its deadline, goes on site and completes it with
before/after photos; the safety officer's re-check closes it; the customer's archive tells the story."""
import re
from datetime import date, timedelta

from fieldsvc.customers.models import Appliance, Customer, District
from fieldsvc.extensions import db
from tests import factories
from tests.browser.conftest import log_in

ACCOUNT_NO = "29900501"  # this test's own customer (the live server is shared)


def _jpeg(color=(180, 60, 40)) -> bytes:
    return factories.jpeg((640, 480), color)


def _customer(app) -> int:
    with app.app_context():
        existing = db.session.query(Customer).filter_by(account_no=ACCOUNT_NO).one_or_none()
        if existing:
            return existing.id
        district = db.session.query(District).order_by(District.code).first()
        customer = Customer(account_no=ACCOUNT_NO, name="安检测试户", category="residential", gas="NG",
                            district_id=district.id, phone="13900000501", estate="翠湖苑", building="8", unit="1",
                            floor="3", room="301", address="翠湖苑 8栋 1单元 3层 301室")
        db.session.add(customer)
        db.session.flush()
        db.session.add(Appliance(customer_id=customer.id, kind="stove", brand="华帝", flame_failure=True,
                                 sold_on=date.today() - timedelta(days=700)))
        db.session.commit()
        return customer.id


def _phone(browser, browser_context_args, base_url, username, **extra):
    ctx = browser.new_context(**browser_context_args, **extra)
    page = ctx.new_page()
    log_in(page, base_url, username)
    return page


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _sign(page):
    pad = page.locator("canvas.sig-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 20, box["y"] + box["height"] / 2 + (step % 3) * 12)
    page.mouse.up()


def test_inspection_to_closed_hazard(browser, browser_context_args, base_url, live_server):
    customer_id = _customer(live_server.app)

    # The repair technician inspects: an aged hose, with a photo; the pressure verdict shows live.
    tech = _phone(browser, browser_context_args, base_url, "repair_tech")
    tech.goto(f"{base_url}/inspections/?q={ACCOUNT_NO}")
    tech.locator(f"a[href='/inspections/new/{customer_id}']").click()
    tech.wait_for_url(f"{base_url}/inspections/new/{customer_id}")
    _fits(tech)
    tech.locator(".chk[data-item=hose_aged] label.seg-bad").click()
    assert tech.locator(".chk[data-item=hose_aged]").get_attribute("class").find("is-hazard") >= 0
    tech.fill("#f-note_hose_aged", "胶管龟裂变硬")
    tech.set_input_files("#f-photo_hose_aged", files=[{"name": "hose.jpg", "mimeType": "image/jpeg",
                                                      "buffer": _jpeg()}])
    tech.wait_for_selector("[data-previews-for='f-photo_hose_aged'] img")
    tech.fill("#f-static_pa", "2200")
    tech.fill("#f-working_pa", "1450")
    verdict = tech.locator("output.insp-verdict")
    assert verdict.get_attribute("data-verdict") == "low" and verdict.get_attribute("data-restriction") == "1"
    tech.fill("#f-working_pa", "2000")
    assert verdict.get_attribute("data-verdict") == "normal" and verdict.get_attribute("data-restriction") == "0"
    assert "B" in tech.locator("[data-found-list]").inner_text()
    _sign(tech)
    _fits(tech)
    tech.locator("#inspection-form button[type=submit]").click()
    tech.wait_for_url(re.compile(r".*/inspections/\d+$"))
    inspection_id = int(tech.url.rsplit("/", 1)[1])
    hazard_link = tech.locator("#h-hazards + ul a").first
    hazard_id = int(hazard_link.get_attribute("href").rsplit("/", 1)[1])
    assert tech.locator(".wo-signature").is_visible()
    assert tech.locator("img.insp-thumb").count() == 1
    _fits(tech)
    notice = tech.request.get(f"{base_url}/inspections/{inspection_id}/notice.pdf")
    assert notice.ok and notice.body().startswith(b"%PDF")

    # The station chief assigns the rectification order to the pipe fitter 李军.
    chief = _phone(browser, browser_context_args, base_url, "station_chief")
    chief.goto(f"{base_url}/inspections/hazards/{hazard_id}")
    order_href = chief.locator("a[href^='/dispatch/orders/']").first.get_attribute("href")
    order_id = int(order_href.rsplit("/", 1)[1])
    chief.goto(f"{base_url}{order_href}")
    value = chief.locator("#f-assignee_id option", has_text="李军").get_attribute("value")
    chief.select_option("#f-assignee_id", value)
    chief.locator("form.wo-assign button[type=submit]").click()
    chief.wait_for_selector(".badge-status-assigned")

    # The pipe fitter sees it with its deadline (15 days), goes on site, completes with before/after.
    fitter = _phone(browser, browser_context_args, base_url, "pipe_fitter", permissions=["geolocation"],
                    geolocation={"latitude": 31.2, "longitude": 121.4})
    fitter.goto(f"{base_url}/inspections/rectifications")
    row = fitter.locator(f"a[href='/inspections/hazards/{hazard_id}']")
    assert row.is_visible() and f"#{order_id}" in row.inner_text()
    _fits(fitter)
    row.click()
    fitter.wait_for_url(f"{base_url}/inspections/hazards/{hazard_id}")
    deadline = fitter.locator("dl.facts strong").inner_text()
    assert deadline  # the rectify-by date is on the page
    fitter.locator(f"a[href='/dispatch/orders/{order_id}']").last.click()
    for step in ("accepted", "en_route", "on_site"):
        fitter.locator(f"form.wo-move:has(input[name=to][value={step}]) button[type=submit]").click()
        fitter.wait_for_selector(f".badge-status-{step}")
    fitter.goto(f"{base_url}/inspections/hazards/{hazard_id}")
    fitter.set_input_files("#f-photo_before", files=[{"name": "before.jpg", "mimeType": "image/jpeg",
                                                     "buffer": _jpeg()}])
    fitter.set_input_files("#f-photo_after", files=[{"name": "after.jpg", "mimeType": "image/jpeg",
                                                    "buffer": _jpeg((40, 160, 60))}])
    fitter.wait_for_selector("[data-previews-for='f-photo_after'] img")
    fitter.fill("#f-work_notes", "更换为金属波纹管")
    fitter.locator("#rectify button[type=submit]").click()
    fitter.wait_for_selector(".badge-hz-awaiting_recheck")
    assert fitter.locator("#h-evidence").is_visible()
    _fits(fitter)

    # The safety officer re-checks and closes it.
    officer = _phone(browser, browser_context_args, base_url, "safety_officer")
    officer.goto(f"{base_url}/inspections/rechecks")
    officer.locator(f"a[href='/inspections/hazards/{hazard_id}']").click()
    officer.locator("#recheck label.seg-ok").click()
    officer.fill("#f-note", "复查合格")
    officer.locator("#recheck button[type=submit]").click()
    officer.wait_for_selector(".badge-hz-closed")
    _fits(officer)

    # The archive tells the whole story, newest first.
    officer.goto(f"{base_url}/inspections/customers/{customer_id}")
    story = officer.locator(".insp-archive").inner_text()
    for text in ("胶管龟裂变硬", "复查合格", f"#{order_id}"):
        assert text in story, text
    kinds = officer.locator(".insp-archive li").evaluate_all("els => els.map(e => e.className)")
    assert {"insp-inspection", "insp-hazard", "insp-rectification", "insp-pressure", "insp-appliance"} <= set(kinds)
    assert kinds.index("insp-rectification") < kinds.index("insp-inspection")  # newest first
    _fits(officer)
