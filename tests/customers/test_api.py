"""Customers and meters through /api/v1: API.md shapes, errors, idempotency, permissions."""
import uuid

import pytest

NEW_CUSTOMER = {"account_no": "30000001", "name": "王小明", "phone": "13800000000", "category": "residential",
                "gas": "NG", "district": "城东片区", "address": "幸福小区 3栋 2单元 502室"}


def test_create_and_read_customer(staff, api):
    client, headers = api("station_chief")
    created = client.post("/api/v1/customers", json=NEW_CUSTOMER, headers=headers)
    assert created.status_code == 201, created.json
    body = created.json
    assert {k: body[k] for k in NEW_CUSTOMER} == NEW_CUSTOMER
    read = client.get(f"/api/v1/customers/{body['id']}", headers=headers)
    assert read.status_code == 200 and read.json["account_no"] == "30000001"


def test_missing_fields_422_in_api_format(staff, api):
    client, headers = api("station_chief")
    response = client.post("/api/v1/customers", json={"name": "x"}, headers=headers)
    assert response.status_code == 422
    assert set(response.json["errors"]) >= {"account_no", "category", "gas", "district"}
    assert all(isinstance(msgs, list) and msgs for msgs in response.json["errors"].values())


@pytest.mark.parametrize("field, value", [
    ("category", "palace"), ("gas", "H2"), ("district", "Atlantis"), ("account_no", "x" * 21),
])
def test_bad_values_422_name_the_field(staff, api, field, value):
    client, headers = api("station_chief")
    response = client.post("/api/v1/customers", json={**NEW_CUSTOMER, field: value}, headers=headers)
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_malformed_json_400(staff, api):
    client, headers = api("station_chief")
    response = client.post("/api/v1/customers", data="{not json", headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert "error" in response.json


def test_duplicate_account_is_rejected(staff, api):
    client, headers = api("station_chief")
    assert client.post("/api/v1/customers", json=NEW_CUSTOMER, headers=headers).status_code == 201
    again = client.post("/api/v1/customers", json=NEW_CUSTOMER, headers=headers)
    assert again.status_code == 409  # API.md: a duplicate unique key is a conflict
    assert set(again.json) == {"error"}


def test_client_id_makes_create_idempotent(staff, api, db):
    from fieldsvc.customers.models import Customer
    client, headers = api("station_chief")
    payload = {**NEW_CUSTOMER, "client_id": str(uuid.uuid4())}
    first = client.post("/api/v1/customers", json=payload, headers=headers)
    second = client.post("/api/v1/customers", json=payload, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json["id"] == second.json["id"]
    assert db.session.query(Customer).count() == 1
    other = client.post("/api/v1/customers", json={**payload, "name": "李四"}, headers=headers)
    assert other.status_code == 409


def test_search_by_each_key(staff, api):
    client, headers = api("station_chief")
    created = client.post("/api/v1/customers", json=NEW_CUSTOMER, headers=headers).json
    client.post("/api/v1/meters", json={"serial_no": "QX123456", "customer_id": created["id"], "size": "G2.5",
                                        "accuracy_class": "1.5", "kind": "diaphragm", "location": "indoor"},
                headers=headers)
    for q in ("30000001", "王小明", "13800000000", "幸福小区", "QX1234"):
        found = client.get("/api/v1/customers", query_string={"q": q}, headers=headers).json
        assert found["total"] == 1 and found["items"][0]["id"] == created["id"], q
    assert client.get("/api/v1/customers", query_string={"q": "nomatch"}, headers=headers).json["total"] == 0


def test_list_pagination_bounds(staff, api):
    client, headers = api("director")
    assert client.get("/api/v1/customers?per_page=201", headers=headers).status_code == 422
    assert client.get("/api/v1/customers?page=0", headers=headers).status_code == 422
    assert client.get("/api/v1/customers?per_page=200", headers=headers).status_code == 200


def test_patch_with_stale_version_409(staff, api):
    client, headers = api("station_chief")
    created = client.post("/api/v1/customers", json=NEW_CUSTOMER, headers=headers).json
    ok = client.patch(f"/api/v1/customers/{created['id']}", json={"note": "改为白天联系", "version": created["version"]},
                      headers=headers)
    assert ok.status_code == 200 and ok.json["version"] == created["version"] + 1
    stale = client.patch(f"/api/v1/customers/{created['id']}", json={"note": "x", "version": created["version"]},
                         headers=headers)
    assert stale.status_code == 409


def test_unknown_id_404(staff, api):
    client, headers = api("director")
    assert client.get("/api/v1/customers/999999", headers=headers).status_code == 404
    assert client.get("/api/v1/meters/999999", headers=headers).status_code == 404


def test_anonymous_401_and_role_403(staff, client, api):
    assert client.get("/api/v1/customers").status_code == 401
    assert client.get("/api/v1/customers").json == {"error": client.get("/api/v1/customers").json["error"]}
    reader, headers = api("meter_reader")
    assert reader.post("/api/v1/customers", json=NEW_CUSTOMER, headers=headers).status_code == 403
    assert reader.get("/api/v1/customers", headers=headers).status_code == 200


def test_meter_lifecycle(staff, api):
    client, headers = api("metering_tech")
    meter = client.post("/api/v1/meters", json={"serial_no": "S1", "size": "G4", "accuracy_class": "1.0",
                                                "kind": "smart", "location": "outdoor"}, headers=headers)
    assert meter.status_code == 201
    assert meter.json["customer_id"] is None and meter.json["status"] == "in_stock"
    assert meter.json["start_reading"] == 0 and meter.json["digits"] == 5
    chief, chief_headers = api("station_chief")
    customer = chief.post("/api/v1/customers", json=NEW_CUSTOMER, headers=chief_headers).json
    installed = client.patch(f"/api/v1/meters/{meter.json['id']}", json={"customer_id": customer["id"]},
                             headers=headers)
    assert installed.status_code == 200 and installed.json["status"] == "installed"
    removed = client.patch(f"/api/v1/meters/{meter.json['id']}", json={"customer_id": None}, headers=headers)
    assert removed.json["status"] == "removed" and removed.json["customer_id"] is None


def test_meter_bad_size_422(staff, api):
    client, headers = api("metering_tech")
    response = client.post("/api/v1/meters", json={"serial_no": "S2", "size": "G3", "accuracy_class": "2",
                                                   "kind": "diaphragm", "location": "indoor"}, headers=headers)
    assert response.status_code == 422
    assert {"size", "accuracy_class"} <= set(response.json["errors"])


def test_session_auth_write_needs_csrf_header(app, staff):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf-token" content="')[1].split('"')[0]
        client.post("/login", data={"username": "station_chief", "password": "fieldsvc-demo", "csrf_token": token})
        without = client.post("/api/v1/customers", json=NEW_CUSTOMER)
        assert without.status_code == 400
        with_header = client.post("/api/v1/customers", json=NEW_CUSTOMER, headers={"X-CSRFToken": token})
        assert with_header.status_code == 201
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_openapi_document_lists_the_contract(client):
    spec = client.get("/api/v1/openapi.json").json
    for path in ("/api/v1/auth/token", "/api/v1/me", "/api/v1/users", "/api/v1/customers",
                 "/api/v1/customers/{customer_id}", "/api/v1/meters", "/api/v1/meters/{meter_id}"):
        assert path in spec["paths"], path
    assert "CustomerIn" in spec["components"]["schemas"]
