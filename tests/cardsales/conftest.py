"""Card-sales test data: tariffs, two outlets, a second clerk, customers with IC-card meters and cards
(made through the real services), and API/page clients in English."""
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from werkzeug.security import generate_password_hash

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.cardsales.models import Outlet
from fieldsvc.cardsales.services import cards
from fieldsvc.cardsales.writer import SimulatedWriter
from fieldsvc.customers import services as customers
from fieldsvc.readings.services import billing
from tests.conftest import DEMO_PASSWORD

EN = {"Accept-Language": "en"}


class World:
    def __init__(self, app, db, staff):
        self.app, self.db, self.staff = app, db, staff
        self.clerk, self.director = staff["card_clerk"], staff["director"]
        self.n = 0
        billing.seed_tariffs()
        self.outlets = [Outlet(code="YT01", name="城东营业厅", active=True), Outlet(code="YT02", name="城西营业厅", active=True)]
        db.session.add_all(self.outlets)
        self.clerk2 = User(username="card_clerk2", role="card_clerk", name="孙小梅", active=True, session_token="c2" * 16,
                           password_hash=generate_password_hash(DEMO_PASSWORD, method=app.config["PASSWORD_HASH_METHOD"]))
        db.session.add(self.clerk2)
        db.session.flush()

    def meter(self, customer, serial=None):
        self.n += 1
        return customers.create_meter(self.director, {
            "serial_no": serial or f"IC{self.n:06d}", "size": "G2.5", "accuracy_class": "1.5", "kind": "ic_card",
            "location": "indoor", "customer_id": customer.id, "installed_on": clock.today() - timedelta(days=400)})

    def card(self, category="residential", card_no=None):
        """A customer with an IC-card meter and an active card. Returns the card account."""
        self.n += 1
        customer = customers.create_customer(self.director, {
            "account_no": f"6{self.n:07d}", "name": f"购气户{self.n}", "category": category, "gas": "NG",
            "district": "D01", "estate": "阳光花园", "building": "2", "unit": "1", "room": f"{self.n:03d}"})
        meter = self.meter(customer)
        return cards.issue_card(self.clerk, meter.id, card_no or f"{88000000 + self.n:08d}")


@pytest.fixture(autouse=True)
def _reset_simulator():
    SimulatedWriter.reset()
    yield
    SimulatedWriter.reset()


@pytest.fixture
def en_request(app):
    with app.test_request_context(headers=EN, method="POST"):
        yield


@pytest.fixture
def world(app, db, staff, en_request):
    w = World(app, db, staff)
    db.session.commit()
    return w


@pytest.fixture
def api_en(api):
    """api_en(username) → (client, headers) in English."""
    def _api(username):
        client, headers = api(username)
        return client, {**headers, **EN}
    return _api


@pytest.fixture
def login_en(login):
    def _login(username):
        client = login(username)
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client
    return _login


def new_id() -> str:
    return str(uuid.uuid4())


def sell(client, headers, account, volume=20, method="cash", paid=None, ref=None, **extra):
    body = {"account_id": account.id, "volume_m3": volume, "payment_method": method, **extra}
    if paid is not None:
        body["amount_paid"] = paid
    if ref is not None:
        body["payment_ref"] = ref
    return client.post("/api/v1/card-sales", headers=headers, json=body)


def complete(client, headers, sale_id):
    """Write and confirm with the simulated reader; returns the confirmed sale JSON."""
    written = client.post(f"/api/v1/card-sales/{sale_id}/write", headers=headers, json={})
    assert written.status_code == 200 and written.json["status"] == "written", written.json
    confirmed = client.post(f"/api/v1/card-sales/{sale_id}/confirm", headers=headers, json={})
    assert confirmed.status_code == 200 and confirmed.json["status"] == "confirmed", confirmed.json
    return confirmed.json


D = Decimal
