"""The station chief's review of an end-of-line sample day on a 360 px phone (zh-CN): a low reading is
turned into a follow-up pressure check with one tap, a too-long analysis is refused with the text kept,
then the day is signed off and its readings are locked."""
from datetime import date, timedelta

from sqlalchemy import select

from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer, District
from fieldsvc.dispatch.services import orders
from fieldsvc.dispatch.services.steps import new_order
from fieldsvc.extensions import db
from fieldsvc.inspections.models import SamplingOrder
from fieldsvc.inspections.services import sampling
from tests.browser.conftest import log_in

DAY = date.today() - timedelta(days=23)  # this test's own day (the live server is shared)
ACCOUNTS = (("29900701", 2150, 1350), ("29900702", 2200, 2050))  # (account, static, working): low, normal


def _sample_day(app) -> list[int]:
    """Two end-of-line customers sampled on DAY and measured: one low, one normal. Returns the sample ids."""
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}, method="POST"):
        existing = db.session.scalars(select(SamplingOrder.id).where(SamplingOrder.day == DAY)
                                      .order_by(SamplingOrder.id)).all()
        if existing:
            return list(existing)
        chief = db.session.scalars(select(User).where(User.username == "station_chief")).one()
        tech = db.session.scalars(select(User).where(User.username == "repair_tech")).one()
        district = db.session.scalars(select(District).order_by(District.code)).first()
        ids = []
        for account_no, static, working in ACCOUNTS:
            customer = Customer(account_no=account_no, name=f"末端测试户{account_no[-1]}", category="residential",
                                gas="NG", district_id=district.id, phone="13900000701",
                                address=f"滨江花园 {account_no[-1]}栋 末端")
            db.session.add(customer)
            db.session.flush()
            sampling.mark(chief, customer.id, True, "管网末端")
            order = new_order(chief, {"type": "pressure_check", "customer_id": customer.id,
                                      "description": "末端压力抽检"})
            row = SamplingOrder(day=DAY, customer_id=customer.id, work_order_id=order.id, drawn_by_id=chief.id)
            db.session.add(row)
            db.session.flush()
            orders.assign(chief, order.id, tech.id, order.version)
            for to in ("accepted", "en_route", "on_site"):
                orders.transition(tech, order.id, to, order.version)
            orders.transition(tech, order.id, "completed", order.version,
                              completion={"results": {"static_pa": static, "working_pa": working}})
            ids.append(row.id)
        db.session.commit()
        return ids


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_chief_reviews_a_sample_day(browser, browser_context_args, base_url, live_server):
    low_id, normal_id = _sample_day(live_server.app)
    ctx = browser.new_context(**browser_context_args)
    page = ctx.new_page()
    log_in(page, base_url, "station_chief")
    url = f"{base_url}/inspections/sampling?day={DAY.isoformat()}"
    page.goto(url)
    _fits(page)

    # The low reading is highlighted and offers the one-tap follow-up; the normal one does not.
    low_row = page.locator("li.list-row.is-hazard", has_text="末端测试户1")
    assert low_row.count() == 1
    assert page.locator(f"form[action*='/sampling/{normal_id}/followup']").count() == 0
    page.locator(f"form[action*='/sampling/{low_id}/followup'] button").click()
    page.wait_for_url(f"{url}")
    assert page.locator(".flash-success").count() == 1
    link = page.locator("li.list-row.is-hazard .sample-followup a")
    assert link.count() == 1 and "#" in link.inner_text()
    assert page.locator(f"form[action*='/sampling/{low_id}/followup']").count() == 0  # not twice
    _fits(page)

    # An analysis too long for the record: refused with the reason, and everything typed is still there.
    too_long = "末端动压偏低，疑似表前阀未全开。" * 130
    page.fill("#f-analysis", too_long)
    page.locator("#review button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#review .field.has-error").count() == 1
    assert page.input_value("#f-analysis") == too_long

    # The real analysis: signed off, the readings locked, the note shown.
    note = "1户动压1350 Pa 偏低，静压正常，疑似末端支管流量不足，已派复查工单。"
    page.fill("#f-analysis", note)
    page.locator("#review button[type=submit]").click()
    page.wait_for_url(f"{url}#review")
    assert page.locator("#review .badge-ok").count() == 1
    assert note in page.locator("#review .sampling-note").inner_text()
    assert page.locator("#f-analysis").count() == 0  # nothing more to sign
    _fits(page)

    # The follow-up order is a stove-front pressure check for the same customer, waiting on the board.
    page.locator("li.list-row.is-hazard .sample-followup a").click()
    page.wait_for_load_state()
    assert "末端测试户1" in page.content()
    _fits(page)
    ctx.close()
