"""The instruments API (API.md "Additions"): list, register (idempotent), read, checks; 403/404/422."""
import uuid
from datetime import timedelta

import pytest

from fieldsvc import clock


def _register(client, headers, **extra):
    body = {"kind": "manometer", "serial_no": "YL-2026-001", "calibrated_on": clock.today().isoformat(),
            **extra}
    return client.post("/api/v1/instruments", headers=headers, json=body)


def test_register_list_read_and_check(api, staff, db):
    client, headers = api("safety_officer")
    response = _register(client, headers, holder_id=staff["repair_tech"].id, client_id=str(uuid.uuid4()))
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["kind"], body["serial_no"], body["holder_id"], body["status"]) == (
        "manometer", "YL-2026-001", staff["repair_tech"].id, "in_service")
    assert body["due_state"] == "ok" and body["calibration_due"] > body["calibrated_on"]
    listed = client.get("/api/v1/instruments?q=yl-2026", headers=headers).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]
    on = (clock.today() - timedelta(days=1)).isoformat()
    check = client.post(f"/api/v1/instruments/{body['id']}/checks", headers=headers,
                        json={"kind": "calibration", "on": on, "ok": True, "note": "复检合格"})
    assert check.status_code == 201, check.json
    assert check.json["on"] == on and check.json["previous_due"] == body["calibration_due"]
    item = client.get(f"/api/v1/instruments/{body['id']}", headers=headers).json
    assert item["calibrated_on"] == on and [c["kind"] for c in item["checks"]] == ["calibration"]


def test_repeated_client_id(api, staff, db):
    client, headers = api("station_chief")
    key = str(uuid.uuid4())
    first = _register(client, headers, client_id=key)
    again = _register(client, headers, client_id=key)
    assert (first.status_code, again.status_code) == (201, 200) and first.json["id"] == again.json["id"]
    other = _register(client, headers, client_id=key, serial_no="YL-OTHER")
    assert other.status_code == 409


def test_holders_see_their_own_and_bump_test_it(api, staff, db):
    chief, chief_headers = api("station_chief")
    detector = _register(chief, chief_headers, kind="gas_detector", serial_no="JC-1",
                         holder_id=staff["meter_reader"].id).json
    other = _register(chief, chief_headers, serial_no="YL-2", holder_id=staff["repair_tech"].id).json
    reader, headers = api("meter_reader")
    listed = reader.get("/api/v1/instruments", headers=headers).json
    assert [i["id"] for i in listed["items"]] == [detector["id"]]
    assert reader.get(f"/api/v1/instruments/{other['id']}", headers=headers).status_code == 404
    done = reader.post(f"/api/v1/instruments/{detector['id']}/checks", headers=headers,
                       json={"kind": "bump_test", "ok": True})
    assert done.status_code == 201 and done.json["by_id"] == staff["meter_reader"].id
    refused = reader.post(f"/api/v1/instruments/{detector['id']}/checks", headers=headers,
                          json={"kind": "calibration", "ok": True})
    assert refused.status_code == 403
    hidden = reader.post(f"/api/v1/instruments/{other['id']}/checks", headers=headers,
                         json={"kind": "damage", "note": "x"})
    assert hidden.status_code == 404
    assert _register(reader, headers, serial_no="YL-3").status_code == 403
    clerk, clerk_headers = api("card_clerk")
    assert clerk.get("/api/v1/instruments", headers=clerk_headers).status_code == 403


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "thermometer"}, "kind"),
    ({"kind": {"a": 1}}, "kind"),
    ({"serial_no": ""}, "serial_no"),
    ({"serial_no": ["YL"]}, "serial_no"),
    ({"serial_no": "x" * 41}, "serial_no"),
    ({"calibrated_on": "2026-13-45"}, "calibrated_on"),
    ({"calibrated_on": "0000-00-00"}, "calibrated_on"),
    ({"calibrated_on": "9999-12-31"}, "calibrated_on"),
    ({"calibration_due": 20270101}, "calibration_due"),
    ({"holder_id": "abc"}, "holder_id"),
    ({"holder_id": 10**20}, "holder_id"),
    ({"holder_id": {"id": 1}}, "holder_id"),
    ({"serial_no": "YL\x00"}, "serial_no"),
])
def test_register_hostile_input_422(api, staff, db, body, field):
    client, headers = api("safety_officer")
    response = _register(client, headers, **body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "repair"}, "kind"),
    ({"kind": "bump_test", "ok": "perhaps"}, "ok"),
    ({"kind": "bump_test", "ok": {"x": 1}}, "ok"),
    ({"kind": "damage", "on": "2026-02-30"}, "on"),
    ({"kind": "damage", "note": ["x"]}, "note"),
    ({"kind": "calibration", "ok": True, "calibration_due": "1999-01-01"}, "calibration_due"),
    ({"kind": "bump_test", "ok": True}, "kind"),  # a manometer has no gas sensor
])
def test_check_hostile_input_422(api, staff, db, body, field):
    client, headers = api("safety_officer")
    instrument = _register(client, headers).json
    response = client.post(f"/api/v1/instruments/{instrument['id']}/checks", headers=headers, json=body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


def test_query_hostile_input(api, staff, db):
    client, headers = api("safety_officer")
    assert client.get("/api/v1/instruments?page=0", headers=headers).status_code == 422
    assert client.get("/api/v1/instruments?kind=x", headers=headers).status_code == 422
    assert client.get("/api/v1/instruments/99999999999", headers=headers).status_code == 404
