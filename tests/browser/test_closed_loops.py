"""A closed loop on a 360×740 phone (RULES.md §5): the repair technician completes a meter replacement on
site; the old meter goes out with a billed final reading and the new one comes in with its start reading,
without anybody keying the swap in again. A serial not in stock is refused at its field, in Chinese, and
what was typed stays in the form."""
import uuid
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.customers import services as customers
from fieldsvc.customers.models import Meter
from fieldsvc.dispatch.services import orders
from fieldsvc.extensions import db
from fieldsvc.readings import rules
from fieldsvc.readings.models import Bill, Reading
from fieldsvc.readings.services import billing
from tests.browser.conftest import log_in

LAST_READING = Decimal(280)  # the old meter: 100 when fitted 400 days ago, then 30 m³ a month


def _seed(app) -> dict:
    """A customer in the chief's district with one meter and six months of readings, a meter in stock,
    and a meter_replacement order on site with the repair technician."""
    tag = uuid.uuid4().hex[:6].upper()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        billing.seed_tariffs()
        users = {u.username: u for u in db.session.execute(select(User)).scalars()}
        director, chief, tech = users["director"], users["station_chief"], users["repair_tech"]
        customer = customers.create_customer(director, {
            "account_no": f"L{tag}", "name": f"换表{tag}", "category": "residential", "gas": "NG",
            "district_id": chief.district_id, "estate": "闭环小区", "building": "6", "unit": "1", "room": "302"})
        old = customers.create_meter(director, {
            "serial_no": f"OLD{tag}", "size": "G2.5", "accuracy_class": "1.5", "kind": "diaphragm",
            "location": "indoor", "customer_id": customer.id, "start_reading": Decimal(100),
            "installed_on": clock.today() - timedelta(days=400)})
        new = customers.create_meter(director, {
            "serial_no": f"NEW{tag}", "size": "G2.5", "accuracy_class": "1.5", "kind": "diaphragm",
            "location": "indoor"})
        rows, value = [], LAST_READING - 6 * 30
        for k in range(6):
            at = clock.now() - timedelta(days=30 * (6 - k) + 2)
            value += 30
            rows.append(dict(meter_id=old.id, customer_id=customer.id, cycle=rules.cycle_of(at.date()),
                             read_at=at, read_on=at.date(), value=value, kind="actual", consumption_m3=Decimal(30),
                             anomalies="", status="accepted", source="import"))
        db.session.execute(insert(Reading), rows)
        order = orders.create_order(chief, {"type": "meter_replacement", "customer_id": customer.id,
                                            "description": "表计走字不准，更换燃气表"})
        orders.assign(chief, order.id, tech.id, order.version)
        for to in ("accepted", "en_route", "on_site"):
            orders.transition(tech, order.id, to, order.version)
        db.session.commit()
        seeded = {"customer_id": customer.id, "order_id": order.id, "old_id": old.id, "new_id": new.id,
                  "old_serial": old.serial_no, "new_serial": new.serial_no}
        db.session.remove()
        return seeded


def _fill(page, new_serial: str):
    page.fill("#f-old_reading", "310")
    page.fill("#f-new_serial", new_serial)
    page.fill("#f-new_reading", "0.5")
    page.fill("#f-work_notes", "拆旧表，装新表，检漏合格")
    page.fill("#f-no_signature_reason", "用户不在家，邻居代为开门")


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_meter_replacement_on_the_phone_swaps_the_meters(browser, browser_context_args, base_url, live_server):
    s = _seed(live_server.app)
    complete_url = f"{base_url}/dispatch/orders/{s['order_id']}/complete"

    tech_ctx = browser.new_context(**browser_context_args)
    tech = tech_ctx.new_page()
    log_in(tech, base_url, "repair_tech")
    tech.goto(complete_url)
    # The results come first, before notes, parts, photos and signature.
    assert tech.locator("#complete-form fieldset").first.locator("#f-old_reading").count() == 1
    _fits(tech)

    # A serial that is not in stock: refused at the field, in Chinese; what was typed is still there.
    _fill(tech, "NOPE-" + s["new_serial"])
    tech.locator("#complete-form button[type=submit]").click()
    tech.wait_for_selector("#e-new_serial")
    assert "没有此表号的在库燃气表" in tech.locator("#e-new_serial").inner_text()
    assert tech.get_attribute("#f-new_serial", "aria-invalid") == "true"
    assert tech.input_value("#f-new_serial") == "NOPE-" + s["new_serial"]
    assert tech.input_value("#f-old_reading") == "310"
    assert tech.input_value("#f-new_reading") == "0.5"
    assert tech.input_value("#f-work_notes") == "拆旧表，装新表，检漏合格"
    assert tech.input_value("#f-no_signature_reason") == "用户不在家，邻居代为开门"
    _fits(tech)
    with live_server.app.app_context():
        assert db.session.get(Meter, s["old_id"]).status == "installed"
        assert db.session.get(Meter, s["new_id"]).status == "in_stock"
        db.session.remove()

    # The right serial: the job is done.
    tech.fill("#f-new_serial", s["new_serial"])
    tech.locator("#complete-form button[type=submit]").click()
    tech.wait_for_url(f"{base_url}/dispatch/jobs")
    tech_ctx.close()

    # The station chief sees the new meter on the customer page and the old one's removal on the timeline.
    chief_ctx = browser.new_context(**browser_context_args)
    chief = chief_ctx.new_page()
    log_in(chief, base_url, "station_chief")
    chief.goto(f"{base_url}/customers/{s['customer_id']}")
    meters = chief.locator("section[aria-labelledby=h-meters]").inner_text()
    assert s["new_serial"] in meters and s["old_serial"] not in meters
    timeline = chief.locator("section[aria-labelledby=h-timeline] .timeline").inner_text()
    removal = next(line for line in timeline.splitlines() if s["old_serial"] in line and "310" in line)
    assert "m³" in removal
    assert any(s["new_serial"] in line and "0.5" in line for line in timeline.splitlines())
    _fits(chief)
    chief_ctx.close()

    # In the database: the old meter's billed final reading, the new meter's start reading.
    with live_server.app.app_context():
        old, new = db.session.get(Meter, s["old_id"]), db.session.get(Meter, s["new_id"])
        assert (old.status, old.customer_id) == ("removed", None)
        assert (new.status, new.customer_id, new.installed_on, new.start_reading) == (
            "installed", s["customer_id"], clock.today(), Decimal("0.5"))
        final = db.session.execute(select(Reading).where(Reading.meter_id == old.id, Reading.kind == "final")
                                   ).scalar_one()
        assert (final.value, final.consumption_m3, final.source) == (Decimal(310), Decimal(30), "work_order")
        assert db.session.execute(select(Bill).where(Bill.reading_id == final.id)).scalar_one().amount > 0
        start = db.session.execute(select(Reading).where(Reading.meter_id == new.id)).scalar_one()
        assert (start.kind, start.value, start.source) == ("start", Decimal("0.5"), "work_order")
        db.session.remove()
