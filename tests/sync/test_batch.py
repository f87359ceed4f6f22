"""POST /api/v1/sync: many queued records in one request, each with its own outcome, never twice."""
import uuid

from fieldsvc.customers.models import Appliance
from tests import factories


def _customer(db, account_no="81000001"):
    return factories.customer(account_no, name="批量", address="批量路1号").id


def _item(customer_id, kind="stove", client_id=None):
    return {"client_id": client_id or str(uuid.uuid4()), "kind": "appliance",
            "data": {"customer_id": customer_id, "kind": kind, "brand": "华帝"}}


def test_batch_applies_each_item_and_a_resend_creates_nothing(staff, api, db):
    customer_id = _customer(db)
    client, headers = api("station_chief")
    items = [_item(customer_id) for _ in range(120)]
    first = client.post("/api/v1/sync", json={"items": items}, headers=headers)
    assert first.status_code == 200
    assert [r["status"] for r in first.json["results"]] == [201] * 120
    again = client.post("/api/v1/sync", json={"items": items}, headers=headers)
    assert [r["status"] for r in again.json["results"]] == [200] * 120
    assert [r["id"] for r in again.json["results"]] == [r["id"] for r in first.json["results"]]
    assert db.session.query(Appliance).filter_by(customer_id=customer_id).count() == 120


def test_one_bad_item_does_not_sink_the_batch(staff, api, db):
    customer_id = _customer(db)
    client, headers = api("station_chief")
    reused = str(uuid.uuid4())
    client.post("/api/v1/sync", json={"items": [_item(customer_id, client_id=reused)]}, headers=headers)
    items = [_item(customer_id), _item(customer_id, kind="rocket"), _item(999999),
             _item(customer_id, kind="water_heater", client_id=reused),
             {"client_id": str(uuid.uuid4()), "kind": "teleport", "data": {}}, _item(customer_id)]
    results = client.post("/api/v1/sync", json={"items": items}, headers=headers).json["results"]
    assert [r["status"] for r in results] == [201, 422, 404, 409, 422, 201]
    assert "kind" in results[1]["errors"]
    assert db.session.query(Appliance).filter_by(customer_id=customer_id).count() == 3


def test_permissions_apply_per_item(staff, api, db):
    customer_id = _customer(db)
    client, headers = api("meter_reader")  # may not record appliances
    results = client.post("/api/v1/sync", json={"items": [_item(customer_id)]}, headers=headers).json["results"]
    assert results[0]["status"] == 403


def test_batch_size_bounds(staff, api, db):
    client, headers = api("station_chief")
    assert client.post("/api/v1/sync", json={"items": []}, headers=headers).status_code == 422
    too_many = [_item(1) for _ in range(201)]
    assert client.post("/api/v1/sync", json={"items": too_many}, headers=headers).status_code == 422
    assert client.post("/api/v1/sync", json={"items": [_item(1)]}).status_code == 401
