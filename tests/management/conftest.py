"""Fixtures of the management tests: staff, a request (services translate their messages), helpers that
make a policy in force, an emergency order and a vehicle through the services."""
from datetime import timedelta

import pytest

from fieldsvc import clock
from fieldsvc.customers.models import Customer, District
from fieldsvc.dispatch.services import orders
from fieldsvc.management.services import policies, vehicles

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def en_request(app):
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        yield


@pytest.fixture
def make_policy(staff, db, en_request):
    """make_policy(owner="safety_officer", applies_to=[...], in_force=True) → a policy; in force when asked,
    approved by the director through the state table."""
    def _make(number="ZD-AQ-001", owner="safety_officer", applies_to=("repair_tech", "pipe_fitter"), in_force=True,
              summary="入户维修作业前必须检漏。"):
        today = clock.today()
        policy = policies.create_policy(staff[owner], {
            "number": number, "title": "户内维修安全操作规程", "applies_to": list(applies_to), "summary": summary,
            "effective_on": today, "review_on": today + timedelta(days=365)})
        if in_force:
            bring_into_force(staff, policy.versions[-1])
        db.session.commit()
        return policy
    return _make


def bring_into_force(staff, version, owner=None):
    owner = owner or version.policy.owner
    policies.transition(owner, version, "submitted")
    policies.transition(staff["director"], version, "approved")
    policies.transition(owner, version, "in_force")
    return version


@pytest.fixture
def customer(staff, db):
    district = db.session.query(District).order_by(District.code).first()
    row = Customer(account_no="61000001", name="王小明", category="residential", gas="NG", district_id=district.id,
                   phone="13800000001", estate="幸福小区", building="3", unit="2", floor="5", room="501",
                   address="幸福小区 3栋 2单元 5层 501室")
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def emergency(staff, customer, db, en_request):
    """emergency(type="emergency", assignee=None) → an order made by the station chief through dispatch."""
    def _make(type_="emergency", assignee=None):
        chief = staff["station_chief"]
        order = orders.create_order(chief, {"type": type_, "customer_id": customer.id, "priority": "urgent",
                                            "description": "厨房燃气味浓，用户已开窗"})
        if assignee:
            orders.assign(chief, order.id, staff[assignee].id, order.version)
            for to in ("accepted", "en_route", "on_site"):
                orders.transition(staff[assignee], order.id, to, order.version)
        db.session.commit()
        return order
    return _make


@pytest.fixture
def make_vehicle(staff, db, en_request):
    def _make(plate="沪A·12345", driver="repair_tech", **extra):
        data = {"plate": plate, "model": "五菱荣光 面包车", "odometer_km": 20000,
                "driver_id": staff[driver].id if driver else None, **extra}
        vehicle = vehicles.create_vehicle(staff["station_chief"], data)
        db.session.commit()
        return vehicle
    return _make
