"""Fixtures of the dispatch tests: staff, two customers, and a helper to make orders through the service."""
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from PIL import Image

from fieldsvc import clock
from fieldsvc.customers import services as customer_services
from fieldsvc.customers.models import Customer, District
from fieldsvc.dispatch.services import orders


@pytest.fixture
def en_request(app):
    """Services translate their messages, which needs a request (the user's language): English here."""
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        yield


@pytest.fixture
def customers(staff, db):
    district = db.session.query(District).order_by(District.code).first()
    rows = [Customer(account_no=f"5100000{i}", name=name, category="residential", gas="NG",
                     district_id=district.id, phone=f"1380000000{i}", estate="幸福小区", building="3",
                     unit="2", floor="5", room=f"50{i}", address=f"幸福小区 3栋 2单元 5层 50{i}室")
            for i, name in ((1, "王小明"), (2, "李四"))]
    db.session.add_all(rows)
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
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def signature_data_url() -> str:
    import base64
    out = io.BytesIO()
    img = Image.new("LA", (120, 40), (0, 0))
    for x in range(10, 110):
        img.putpixel((x, 20 + (x % 7)), (0, 255))
    img.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
