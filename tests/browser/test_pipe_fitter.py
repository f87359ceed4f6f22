"""A pipe fitter's indoor pipe check on a 360×740 phone in zh-CN (issue #20): the form offers only the
meter, pipe and valve sections; a refused form keeps what was typed; the signed check opens a grade B
hazard in the same loop; the archive takes the fitter's facility data."""
import re
from datetime import date, timedelta

from fieldsvc.customers.models import Appliance, Customer, District
from fieldsvc.extensions import db
from tests.browser.conftest import log_in

ACCOUNT_NO = "29900620"  # this test's own customer (the live server is shared)


def _customer(app) -> int:
    with app.app_context():
        existing = db.session.query(Customer).filter_by(account_no=ACCOUNT_NO).one_or_none()
        if existing:
            return existing.id
        district = db.session.query(District).order_by(District.code).first()
        customer = Customer(account_no=ACCOUNT_NO, name="管道检查测试户", category="residential", gas="NG",
                            district_id=district.id, phone="13900000620", estate="翠湖苑", building="9", unit="2",
                            floor="5", room="502", address="翠湖苑 9栋 2单元 5层 502室")
        db.session.add(customer)
        db.session.flush()
        db.session.add(Appliance(customer_id=customer.id, kind="stove", brand="老板", flame_failure=True,
                                 sold_on=date.today() - timedelta(days=500)))
        db.session.commit()
        return customer.id


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


def test_pipe_fitter_checks_the_indoor_pipes(browser, browser_context_args, base_url, live_server):
    customer_id = _customer(live_server.app)
    ctx = browser.new_context(**browser_context_args)
    page = ctx.new_page()
    log_in(page, base_url, "pipe_fitter")

    page.goto(f"{base_url}/inspections/?q={ACCOUNT_NO}")
    page.locator(f"a[href='/inspections/new/{customer_id}']").click()
    page.wait_for_url(f"{base_url}/inspections/new/{customer_id}")
    assert page.locator("[data-scope=indoor_pipe]").is_visible()
    assert page.locator(".chk[data-item=pipe_corrosion]").count() == 1
    assert page.locator(".chk[data-item=hose_aged]").count() == 0  # the kitchen is the household inspection's
    assert page.locator("input[name=outcome][value=nobody_home]").count() == 0
    _fits(page)

    # A corroded riser, judged grade B, sent without the customer's signature: refused, the note kept.
    page.locator(".chk[data-item=pipe_corrosion] label.seg-bad").click()
    page.locator(".chk[data-item=pipe_corrosion] details").evaluate("d => d.open = true")
    page.select_option("#f-grade_pipe_corrosion", "B")
    page.fill("#f-note_pipe_corrosion", "立管锈蚀严重，需更换")
    page.locator("#inspection-form button[type=submit]").click()
    page.wait_for_selector(".flash-error, .insp-errors")
    assert page.url.endswith(f"/inspections/new/{customer_id}")
    assert page.input_value("#f-note_pipe_corrosion") == "立管锈蚀严重，需更换"
    assert page.locator(".chk[data-item=pipe_corrosion] input[value=hazard]").is_checked()
    _fits(page)

    # Signed: recorded as a pipe check, the hazard opened in the same loop.
    _sign(page)
    page.locator("#inspection-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/inspections/\d+$"))
    assert page.locator("[data-scope=indoor_pipe]").is_visible()
    assert page.locator("#h-hazards + ul a").count() == 1
    _fits(page)

    # The archive: the fitter records where the meter is and what the pipe is made of.
    page.goto(f"{base_url}/inspections/customers/{customer_id}")
    _fits(page)
    page.locator(f"a[href='/inspections/customers/{customer_id}/facility']").click()
    page.select_option("#f-meter_location", "kitchen")
    page.select_option("#f-pipe_material", "galvanised")
    page.fill("#f-facility_note", "表前阀手柄锈死")
    _fits(page)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/inspections/customers/{customer_id}")
    assert "表前阀手柄锈死" in page.locator("#facility").inner_text()
    _fits(page)
    ctx.close()
