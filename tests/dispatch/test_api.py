"""The work-order API (API.md): create (idempotent), list, read, assign, transition; 404/409/422."""
import uuid

import pytest


@pytest.fixture
def chief_api(staff, api):
    return api("station_chief")


def _create(chief_api, customers, **extra):
    client, headers = chief_api
    body = {"type": "repair", "customer_id": customers[0].id, "description": "热水器打不着", **extra}
    return client.post("/api/v1/work-orders", headers=headers, json=body)


def test_create_and_read(chief_api, customers):
    response = _create(chief_api, customers, priority="urgent")
    assert response.status_code == 201
    order = response.json
    assert {k: order[k] for k in ("type", "customer_id", "priority", "status", "assignee_id", "version")} == {
        "type": "repair", "customer_id": customers[0].id, "priority": "urgent", "status": "new",
        "assignee_id": None, "version": 1}
    assert order["due_at"].endswith("+00:00") or "+" in order["due_at"]
    client, headers = chief_api
    assert client.get(f"/api/v1/work-orders/{order['id']}", headers=headers).json == order


def test_create_is_idempotent_by_client_id(chief_api, customers):
    client_id = str(uuid.uuid4())
    first = _create(chief_api, customers, client_id=client_id)
    again = _create(chief_api, customers, client_id=client_id)
    other = _create(chief_api, customers, client_id=client_id, description="别的事")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert again.json["id"] == first.json["id"]
    client, headers = chief_api
    assert client.get("/api/v1/work-orders", headers=headers).json["total"] == 1


@pytest.mark.parametrize(("body", "field"), [
    ({"type": "lunch"}, "type"),
    ({"priority": "asap"}, "priority"),
    ({"description": ""}, "description"),
    ({"customer_id": 99999}, "customer_id"),
    ({"assignee_id": 99999}, "assignee_id"),
])
def test_bad_input_is_422_naming_the_field(chief_api, customers, body, field):
    response = _create(chief_api, customers, **body)
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_create_with_assignee_of_the_wrong_role(chief_api, customers, staff):
    response = _create(chief_api, customers, assignee_id=staff["pipe_fitter"].id)
    assert response.status_code == 422 and "assignee_id" in response.json["errors"]
    response = _create(chief_api, customers, assignee_id=staff["repair_tech"].id)
    assert response.status_code == 201 and response.json["status"] == "assigned"


def test_assign_then_stale_version_409(chief_api, customers, staff, api):
    order = _create(chief_api, customers).json
    client, headers = chief_api
    url = f"/api/v1/work-orders/{order['id']}/assign"
    ok = client.post(url, headers=headers, json={"assignee_id": staff["repair_tech"].id, "version": 1})
    assert ok.status_code == 200 and ok.json["version"] == 2 and ok.json["assignee_id"] == staff["repair_tech"].id
    other, other_headers = api("station_chief2")
    stale = other.post(url, headers=other_headers, json={"assignee_id": staff["repair_tech2"].id, "version": 1})
    assert stale.status_code == 409
    assert staff["station_chief"].name in stale.json["error"]


def test_transitions_and_illegal_409(chief_api, customers, staff, api):
    order = _create(chief_api, customers, type="pressure_check", assignee_id=staff["repair_tech"].id).json
    tech, headers = api("repair_tech")
    url = f"/api/v1/work-orders/{order['id']}/transition"
    illegal = tech.post(url, headers=headers, json={"to": "on_site", "version": order["version"]})
    assert illegal.status_code == 409
    version = order["version"]
    for step in ("accepted", "en_route", "on_site"):
        response = tech.post(url, headers=headers, json={"to": step, "version": version, "lat": 31.23,
                                                         "lng": 121.47})
        assert response.status_code == 200, response.json
        assert response.json["status"] == step
        version = response.json["version"]
    done = tech.post(url, headers=headers, json={"to": "completed", "version": version,
                                                 "work_notes": "灶前压力2000Pa", "results": {"static_pa": 2100}})
    assert done.status_code == 200 and done.json["completed_at"]


def test_completing_a_repair_by_api_needs_signature_or_reason(chief_api, customers, staff, api):
    order = _create(chief_api, customers, assignee_id=staff["repair_tech"].id).json
    tech, headers = api("repair_tech")
    url = f"/api/v1/work-orders/{order['id']}/transition"
    version = order["version"]
    for step in ("accepted", "en_route", "on_site"):
        version = tech.post(url, headers=headers, json={"to": step, "version": version}).json["version"]
    refused = tech.post(url, headers=headers, json={"to": "completed", "version": version})
    assert refused.status_code == 422 and "signature" in refused.json["errors"]
    done = tech.post(url, headers=headers, json={"to": "completed", "version": version,
                                                 "no_signature_reason": "老人不会写字"})
    assert done.status_code == 200


@pytest.mark.parametrize(("body", "field"), [
    ({"to": "accepted"}, "version"),
    ({"to": "flying", "version": 2}, "to"),
    ({"to": "en_route", "version": 2, "lat": 91, "lng": 0}, "lat"),
    ({"to": "en_route", "version": 2, "lat": 31}, "lng"),
])
def test_transition_bad_input_422(chief_api, customers, staff, api, body, field):
    order = _create(chief_api, customers, assignee_id=staff["repair_tech"].id).json
    tech, headers = api("repair_tech")
    response = tech.post(f"/api/v1/work-orders/{order['id']}/transition", headers=headers, json=body)
    assert response.status_code == 422 and field in response.json["errors"]


def test_technician_lists_only_own_and_gets_404_for_others(chief_api, customers, staff, api):
    mine = _create(chief_api, customers, assignee_id=staff["repair_tech"].id).json
    theirs = _create(chief_api, customers, assignee_id=staff["repair_tech2"].id).json
    tech, headers = api("repair_tech")
    listing = tech.get("/api/v1/work-orders", headers=headers).json
    assert [o["id"] for o in listing["items"]] == [mine["id"]] and listing["total"] == 1
    assert tech.get(f"/api/v1/work-orders/{theirs['id']}", headers=headers).status_code == 404
    assert tech.get("/api/v1/work-orders/99999", headers=headers).status_code == 404
    response = tech.post(f"/api/v1/work-orders/{theirs['id']}/transition", headers=headers,
                         json={"to": "accepted", "version": theirs["version"]})
    assert response.status_code == 404


def test_list_filters(chief_api, customers, staff):
    _create(chief_api, customers, type="emergency")
    _create(chief_api, customers, assignee_id=staff["repair_tech"].id)
    client, headers = chief_api
    assert client.get("/api/v1/work-orders?type=emergency", headers=headers).json["total"] == 1
    assert client.get("/api/v1/work-orders?status=assigned", headers=headers).json["total"] == 1
    assert client.get(f"/api/v1/work-orders?assignee_id={staff['repair_tech'].id}",
                      headers=headers).json["total"] == 1
    assert client.get("/api/v1/work-orders?status=flying", headers=headers).status_code == 422


@pytest.mark.parametrize(("role", "status"), [("repair_tech", 403), ("card_clerk", 403), ("meter_reader", 403)])
def test_who_may_create(customers, api, role, status):
    client, headers = api(role)
    response = client.post("/api/v1/work-orders", headers=headers, json={
        "type": "repair", "customer_id": customers[0].id, "description": "x"})
    assert response.status_code == status


def test_card_clerk_cannot_list(staff, api):
    client, headers = api("card_clerk")
    assert client.get("/api/v1/work-orders", headers=headers).status_code == 403


def test_openapi_lists_work_orders(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"/api/v1/work-orders", "/api/v1/work-orders/{order_id}", "/api/v1/work-orders/{order_id}/assign",
            "/api/v1/work-orders/{order_id}/transition"} <= set(paths)
