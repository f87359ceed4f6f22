"""Fixtures of the dispatch tests: staff, two customers, and a helper to make orders through the service."""
from datetime import timedelta
from decimal import Decimal

import pytest

from fieldsvc import clock
from fieldsvc.customers import services as customer_services
from fieldsvc.dispatch.services import orders
from tests import factories


@pytest.fixture
def en_request(app):
    """Services translate their messages, which needs a request (the user's language): English here."""
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        yield


@pytest.fixture
def customers(staff, db):
    rows = [factories.customer(f"5100000{i}", name=name, phone=f"1380000000{i}", room=f"50{i}",
                               address=f"幸福小区 3栋 2单元 5层 50{i}室", commit=False)
            for i, name in ((1, "王小明"), (2, "李四"))]
    db.session.commit()
    return rows


@pytest.fixture
def make_order(staff, customers, db, en_request):
    """make_order(type, assignee=None, status="assigned") → an order created through the services; with an
    assignee it is assigned and moved by that technician up to `status` (accepted, en_route, on_site)."""
    def _make(type_="repair", assignee: str | None = None, status: str = "assigned", customer=None, **extra):
        chief = staff["station_chief"]
        data = {"type": type_, "customer_id": (customer or customers[0]).id, "description": "燃气灶打不着火",
                **extra}
        order = orders.create_order(chief, data)
        if assignee:
            orders.assign(chief, order.id, staff[assignee].id, order.version)
            tech = staff[assignee]
            for to in ("accepted", "en_route", "on_site"):
                if status == order.status:
                    break
                orders.transition(tech, order.id, to, order.version)
        db.session.commit()
        return order
    return _make


@pytest.fixture
def meters(staff, customers, db, en_request):
    """The first customer has meter M-OLD installed 400 days ago; M-NEW and M-SPARE wait in stock."""
    from fieldsvc.readings.services import billing
    billing.seed_tariffs()  # the old meter's final reading is billed
    director = staff["director"]
    made = {}
    for serial in ("M-OLD", "M-NEW", "M-SPARE"):
        made[serial] = customer_services.create_meter(director, {
            "serial_no": serial, "size": "G2.5", "accuracy_class": "1.5", "kind": "diaphragm", "location": "indoor"})
    customer_services.install_meter(director, made["M-OLD"], customers[0], clock.today() - timedelta(days=400),
                                    Decimal("100"))
    db.session.commit()
    return made


@pytest.fixture
def jpeg():
    return jpeg_bytes


@pytest.fixture
def signature_url():
    return signature_data_url()


def jpeg_bytes(color=(200, 30, 30), size=(64, 48)) -> bytes:
    return factories.jpeg(size, color)


signature_data_url = factories.signature_data_url
