"""The registers as JSON: {"items", "total"} with paging, each record's own visibility, 401/403/404."""
from datetime import timedelta

from fieldsvc.management.services import incidents
from fieldsvc.models import utcnow


def test_policies_api(staff, api, make_policy, db):
    make_policy(number="ZD-AQ-001", applies_to=("repair_tech",))
    make_policy(number="ZD-AQ-002", applies_to=("repair_tech",))
    draft = make_policy(number="ZD-AQ-003", applies_to=("repair_tech",), in_force=False)
    client, headers = api("repair_tech")
    body = client.get("/api/v1/policies?per_page=1", headers=headers).json
    assert body["total"] == 2 and [p["number"] for p in body["items"]] == ["ZD-AQ-001"]
    item = body["items"][0]
    assert item["status"] == "in_force" and item["in_force"]["label"] == "V1" and item["owner"]["role"] == "safety_officer"
    assert [v["status"] for v in item["versions"]] == ["in_force"]
    assert client.get(f"/api/v1/policies/{draft.id}", headers=headers).status_code == 404
    officer, officer_headers = api("safety_officer")
    assert officer.get(f"/api/v1/policies/{draft.id}", headers=officer_headers).json["status"] == "draft"
    assert officer.get("/api/v1/policies?page=0", headers=officer_headers).status_code == 422


def test_incidents_api(staff, api, emergency, db):
    order = emergency()
    incident = incidents.create_incident(staff["station_chief"], {
        "title": "泄漏", "kind": "gas_leak", "occurred_at": utcnow() - timedelta(hours=1), "location": "幸福小区",
        "description": "软管破裂", "work_order_id": order.id})
    db.session.commit()
    client, headers = api("safety_officer")
    body = client.get("/api/v1/incidents", headers=headers).json
    assert body["total"] == 1 and body["items"][0]["work_order_ids"] == [order.id]
    one = client.get(f"/api/v1/incidents/{incident.id}", headers=headers).json
    assert one["number"] == incident.number and one["report_url"].endswith("/report.pdf")
    assert client.get("/api/v1/incidents/999999", headers=headers).status_code == 404
    clerk, clerk_headers = api("card_clerk")
    assert clerk.get("/api/v1/incidents", headers=clerk_headers).status_code == 403
    assert client.get("/api/v1/incidents").status_code == 401


def test_vehicles_api(staff, api, make_vehicle, db):
    vehicle = make_vehicle(next_service_km=20000)
    client, headers = api("repair_tech")
    body = client.get("/api/v1/vehicles", headers=headers).json
    assert body["total"] == 1
    item = body["items"][0]
    assert item["plate"] == vehicle.plate and item["maintenance"] == "overdue" and item["driver"]["name"]
    assert item["last_check"] is None
    assert client.get(f"/api/v1/vehicles/{vehicle.id}", headers=headers).json["odometer_km"] == 20000
    reader, reader_headers = api("meter_reader")
    assert reader.get("/api/v1/vehicles", headers=reader_headers).status_code == 403
