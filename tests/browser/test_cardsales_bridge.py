"""The card-bridge flow in real Chromium: the sale page fetches a (fake) bridge on 127.0.0.1 to write
and read the card, reports both to the server, and the sale ends confirmed; the page's CSP lets it
reach exactly the bridge. Also the live quote and the change as the clerk types."""
import re
import threading
from datetime import date, timedelta

import pytest
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from fieldsvc import create_app
from fieldsvc.cardsales.models import CardSale, Outlet
from fieldsvc.cardsales.services import cards
from fieldsvc.core import demo
from fieldsvc.customers import services as customers
from fieldsvc.extensions import db
from fieldsvc.readings.services import billing
from tests import factories
from tests.conftest import make_test_config

pytestmark = pytest.mark.browser


def fake_bridge(origin_holder: dict) -> Flask:
    """A card bridge as docs/CARD_BRIDGE.md describes it, with one in-memory card."""
    bridge = Flask("fake_bridge")
    cards_ = {}

    @bridge.after_request
    def cors(response):
        response.headers["Access-Control-Allow-Origin"] = origin_holder["origin"]
        response.headers["Access-Control-Allow-Methods"] = "GET, POST"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Allow-Private-Network"] = "true"
        return response

    @bridge.route("/v1/cards/write", methods=["POST", "OPTIONS"])
    def write():
        if request.method == "OPTIONS":
            return "", 204
        p = request.get_json()
        cards_[p["card_no"]] = {"card_no": p["card_no"], "purchase_seq": p["purchase_seq"],
                                "volume_m3": p["volume_m3"], "meter_serial": p["meter_serial"]}
        return jsonify(ok=True, writer_ref="FAKE-1")

    @bridge.route("/v1/cards/read", methods=["POST", "OPTIONS"])
    def read():
        if request.method == "OPTIONS":
            return "", 204
        card = cards_.get(request.get_json()["card_no"])
        return (jsonify(card), 200) if card else (jsonify(ok=False, message="no card"), 409)

    return bridge


class Served:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    origin = {"origin": ""}
    bridge = Served(fake_bridge(origin))
    folder = tmp_path_factory.mktemp("bridge")
    config = make_test_config(f"sqlite:///{folder / 'live.db'}", folder / "instance")
    config.update(WTF_CSRF_ENABLED=True, TESTING=False, CARDSALES_WRITER="bridge", CARDSALES_BRIDGE_URL=bridge.url)
    app = create_app(config)
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        db.create_all()
        staff = factories.staff(date.today())
        billing.seed_tariffs()
        db.session.add(Outlet(code="YT01", name="城东营业厅", active=True))
        customer = customers.create_customer(staff["director"], {
            "account_no": "61000001", "name": "桥接测试", "category": "residential", "gas": "NG",
            "district": "D01", "estate": "阳光花园", "building": "1", "unit": "1", "room": "101"})
        meter = customers.create_meter(staff["director"], {
            "serial_no": "ICB00001", "size": "G2.5", "accuracy_class": "1.5", "kind": "ic_card", "location": "indoor",
            "customer_id": customer.id, "installed_on": date.today() - timedelta(days=30)})
        account_id = cards.issue_card(staff["card_clerk"], meter.id, "66000001").id
        db.session.commit()
    server = Served(app)
    origin["origin"] = server.url
    yield {"app": app, "url": server.url, "account_id": account_id, "bridge": bridge.url}
    server.server.shutdown()
    bridge.server.shutdown()


def test_bridge_write_and_confirm_in_chromium(desk, browser):
    base = desk["url"]
    # The session's Chromium (tests/browser/conftest.py), on a desktop-sized page.
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="en-US")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/login")
    page.fill("#f-username", "card_clerk")
    page.fill("#f-password", demo.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base}/cardsales/cards/{desk['account_id']}")
    page.fill("#f-volume_m3", "20")
    page.wait_for_selector(".cs-live:not([hidden])")
    assert "20 m³" in page.inner_text(".cs-live") and "52.20" in page.inner_text(".cs-live")
    page.click(".cs-quote button[type=submit]")
    page.fill("#f-amount_paid", "60")
    assert page.inner_text("[data-change]") == "Change ¥7.80"
    page.click("form[data-pay-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/cardsales/sales/\d+$"))
    csp = page.evaluate("() => fetch(location.href).then(r => r.headers.get('content-security-policy'))")
    assert f"connect-src 'self' {desk['bridge']}" in csp
    page.click("[data-bridge-run]")
    page.wait_for_selector(".badge-ok", timeout=15000)
    assert "Confirmed" in page.inner_text("#h-sale")
    page.close()
    with desk["app"].app_context():
        sale = db.session.query(CardSale).one()
        assert (sale.status, sale.writer, sale.writer_ref, sale.purchase_seq) == ("confirmed", "bridge", "FAKE-1", 1)
    assert not [e for e in errors if "Content Security Policy" in e], errors
