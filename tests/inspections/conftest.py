"""Fixtures of the inspection tests: staff, customers with appliances, picture bytes, a signature."""

import pytest

from fieldsvc.customers.models import Customer
from tests import factories


@pytest.fixture
def en_request(app):
    """Services translate their messages, which needs a request (the user's language): English here."""
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        yield


def make_customer(db, account_no: str, gas: str = "NG", category: str = "residential", appliances=(),
                  district=None) -> Customer:
    return factories.customer(account_no, gas=gas, category=category, appliances=appliances, district=district)


@pytest.fixture
def customer(staff, db, app):
    """An NG household with a 2-year-old stove."""
    return make_customer(db, "61000001", appliances=[("stove", 730)])


def jpeg_bytes(color=(200, 30, 30), size=(64, 48)) -> bytes:
    return factories.jpeg(size, color)


signature_data_url = factories.signature_data_url


@pytest.fixture
def jpeg():
    return jpeg_bytes


@pytest.fixture
def signature_url():
    return signature_data_url()
