"""Fixtures of the inspection tests: staff, customers with appliances, picture bytes, a signature."""
import base64
import io
from datetime import timedelta

import pytest
from PIL import Image

from fieldsvc import clock
from fieldsvc.customers.models import Appliance, Customer, District


@pytest.fixture
def en_request(app):
    """Services translate their messages, which needs a request (the user's language): English here."""
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        yield


def make_customer(db, account_no: str, gas: str = "NG", category: str = "residential", appliances=(),
                  district=None) -> Customer:
    district = district or db.session.query(District).order_by(District.code).first()
    customer = Customer(account_no=account_no, name=f"用户{account_no[-3:]}", category=category, gas=gas,
                        district_id=district.id, phone="13800000000", estate="幸福小区", building="3", unit="2",
                        floor="5", room="501", address=f"幸福小区 3栋 2单元 5层 501室 ({account_no})")
    db.session.add(customer)
    db.session.flush()
    for kind, age_days in appliances:
        db.session.add(Appliance(customer_id=customer.id, kind=kind, brand="方太", flame_failure=True,
                                 sold_on=clock.today() - timedelta(days=age_days)))
    db.session.commit()
    return customer


@pytest.fixture
def customer(staff, db, app):
    """An NG household with a 2-year-old stove."""
    return make_customer(db, "61000001", appliances=[("stove", 730)])


def jpeg_bytes(color=(200, 30, 30), size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def signature_data_url() -> str:
    out = io.BytesIO()
    img = Image.new("LA", (120, 40), (0, 0))
    for x in range(10, 110):
        img.putpixel((x, 20 + (x % 7)), (0, 255))
    img.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@pytest.fixture
def jpeg():
    return jpeg_bytes


@pytest.fixture
def signature_url():
    return signature_data_url()
