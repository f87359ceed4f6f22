"""Complaints through /api/v1: API.md shapes, idempotency, who sees what, the state table (409), follow-up."""
import uuid

import pytest

NEW = {"channel": "hotline", "category": "meter_accuracy", "description": "燃气表走得快",
       "contact_name": "王小明", "contact_phone": "13800000001"}


def test_create_returns_the_api_md_fields(staff, customers, api):
    client, headers = api("meter_reader")
    response = client.post("/api/v1/complaints", json={**NEW, "customer_id": customers[0].id}, headers=headers)
    assert response.status_code == 201, response.json
    body = response.json
    assert {"id", "tracking_no", "status", "owner_id", "first_contact_due", "resolve_due"} <= set(body)
    assert body["status"] == "received" and body["owner_id"] == staff["meter_reader"].id
    assert body["tracking_no"].startswith("TS-") and body["customer_id"] == customers[0].id
    assert "+" in body["first_contact_due"] or body["first_contact_due"].endswith("Z")
    read = client.get(f"/api/v1/complaints/{body['id']}", headers=headers)
    assert read.status_code == 200 and read.json["tracking_no"] == body["tracking_no"]


def test_client_id_makes_create_idempotent(staff, customers, api):
    client, headers = api("station_chief")
    payload = {**NEW, "client_id": str(uuid.uuid4())}
    first = client.post("/api/v1/complaints", json=payload, headers=headers)
    second = client.post("/api/v1/complaints", json=payload, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json["id"] == second.json["id"]
    other = client.post("/api/v1/complaints", json={**payload, "description": "别的"}, headers=headers)
    assert other.status_code == 409
    assert client.get("/api/v1/complaints", headers=headers).json["total"] == 1


@pytest.mark.parametrize("field, value", [
    ("channel", "fax"), ("category", "weather"), ("contact_phone", "call me"), ("description", ""),
    ("contact_name", None), ("customer_id", 999999), ("customer_id", 0), ("district_id", 0),
    ("district_id", 2**40), ("customer_id", -1),
])
def test_bad_input_is_422_naming_the_field(staff, customers, api, field, value):
    client, headers = api("station_chief")
    payload = {**NEW, field: value} if value is not None else {k: v for k, v in NEW.items() if k != field}
    response = client.post("/api/v1/complaints", json=payload, headers=headers)
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_lists_follow_the_role(staff, customers, api):
    tech, tech_headers = api("repair_tech")
    fitter, fitter_headers = api("pipe_fitter")
    mine = tech.post("/api/v1/complaints", json={**NEW, "channel": "field"}, headers=tech_headers).json
    theirs = fitter.post("/api/v1/complaints", json={**NEW, "channel": "field"}, headers=fitter_headers).json
    listed = tech.get("/api/v1/complaints", headers=tech_headers).json
    assert [c["id"] for c in listed["items"]] == [mine["id"]] and listed["total"] == 1
    assert tech.get(f"/api/v1/complaints/{theirs['id']}", headers=tech_headers).status_code == 404
    stats, stats_headers = api("statistician")
    assert stats.get("/api/v1/complaints", headers=stats_headers).json["total"] == 2
    assert stats.get("/api/v1/complaints?category=billing", headers=stats_headers).json["total"] == 0
    assert stats.get("/api/v1/complaints?status=weird", headers=stats_headers).status_code == 422


def test_unauthenticated_is_401(app):
    assert app.test_client().get("/api/v1/complaints").status_code == 401
    assert app.test_client().post("/api/v1/complaints", json=NEW).status_code == 401


def _move(client, headers, cid, to, **data):
    return client.post(f"/api/v1/complaints/{cid}/transition", json={"to": to, **data}, headers=headers)


def test_the_loop_through_the_api(staff, customers, api):
    chief, h = api("station_chief")
    director, dh = api("director")
    cid = chief.post("/api/v1/complaints", json={**NEW, "customer_id": customers[0].id}, headers=h).json["id"]
    r = _move(chief, h, cid, "contacted", department="metering_office", order_type="meter_verification")
    assert r.status_code == 200, r.json
    assert r.json["work_order_id"] and r.json["work_order_status"] == "new"
    assert _move(chief, h, cid, "investigating").status_code == 200
    r = _move(chief, h, cid, "solution_proposed", cause="meter_fault",
              solutions=[{"description": "换表退费", "compensation": 20}, {"description": "换表"}])
    assert r.status_code == 200 and len(r.json["solutions"]) == 2
    solution_id = r.json["solutions"][0]["id"]
    assert _move(chief, h, cid, "solution_approved", solution_id=solution_id).status_code == 403
    r = _move(director, dh, cid, "solution_approved", solution_id=solution_id)
    assert r.status_code == 200 and r.json["compensation"] == 20
    assert _move(chief, h, cid, "resolved", actions="已换表").status_code == 200
    assert _move(chief, h, cid, "closed").status_code == 200
    r = chief.post(f"/api/v1/complaints/{cid}/followup", json={"satisfaction": 2, "comments": "退费太慢"}, headers=h)
    assert r.status_code == 200 and r.json["status"] == "investigating" and r.json["reopen_count"] == 1


def test_illegal_transition_and_stale_version_are_409(staff, customers, api):
    chief, h = api("station_chief")
    created = chief.post("/api/v1/complaints", json=NEW, headers=h).json
    r = _move(chief, h, created["id"], "closed")
    assert r.status_code == 409 and "error" in r.json
    r = _move(chief, h, created["id"], "contacted", department="service_station", version=created["version"] + 5)
    assert r.status_code == 409
    assert _move(chief, h, created["id"], "nowhere").status_code == 422
    assert _move(chief, h, created["id"], "contacted").status_code == 422  # the department is missing
    assert _move(chief, h, 999999, "contacted", department="service_station").status_code == 404
    assert chief.get(f"/api/v1/complaints/{2**70}", headers=h).status_code == 404


def test_field_staff_cannot_move_or_call_back(staff, customers, api):
    tech, h = api("repair_tech")
    cid = tech.post("/api/v1/complaints", json={**NEW, "channel": "field"}, headers=h).json["id"]
    assert _move(tech, h, cid, "contacted", department="service_station").status_code == 403
    assert tech.post(f"/api/v1/complaints/{cid}/followup", json={"satisfaction": 5}, headers=h).status_code == 403


def test_openapi_documents_the_complaint_routes(app):
    spec = app.test_client().get("/api/v1/openapi.json").json
    for path in ("/api/v1/complaints", "/api/v1/complaints/{complaint_id}",
                 "/api/v1/complaints/{complaint_id}/transition", "/api/v1/complaints/{complaint_id}/followup"):
        assert path in spec["paths"]
