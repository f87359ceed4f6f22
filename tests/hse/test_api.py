"""API.md: POST/GET /api/v1/hse/hazards and /aspects — shapes, 422 naming the field, 403, idempotency."""
import uuid

import pytest

from fieldsvc.hse import rules
from fieldsvc.permissions import Role

WRITERS = {"safety_officer", "director"}
UNIT_HEADS = {"station_chief", "metering_head"}  # their own unit's lines (tests/hse/test_units.py)


def test_hazard_create_returns_the_assessment(staff, api, hazard_payload):
    client, headers = api("safety_officer")
    response = client.post("/api/v1/hse/hazards", json=hazard_payload(), headers=headers)
    assert response.status_code == 201, response.json
    body = response.json
    assert {k: body[k] for k in ("d", "grade", "colour", "significant")} == \
        {"d": 360, "grade": 1, "colour": "red", "significant": True}
    assert isinstance(body["id"], int)
    listed = client.get("/api/v1/hse/hazards", headers=headers).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]


@pytest.mark.parametrize("l,e,c,d,grade,colour,significant", [
    ("1", "1", "15", 15, 5, "blue", False),
    ("1", "2", "15", 30, 4, "blue", False),
    ("1", "6", "15", 90, 3, "yellow", False),
    ("6", "2", "15", 180, 2, "orange", True),
    ("0.5", "0.5", "1", 0.25, 5, "blue", False),
])
def test_hazard_grades_through_the_api(staff, api, hazard_payload, l, e, c, d, grade, colour, significant):  # noqa: E741
    client, headers = api("director")
    body = client.post("/api/v1/hse/hazards", json=hazard_payload(l=l, e=e, c=c), headers=headers).json
    assert (body["d"], body["grade"], body["colour"], body["significant"]) == (d, grade, colour, significant)


@pytest.mark.parametrize("criterion", rules.DIRECT_CRITERIA)
def test_direct_criterion_through_the_api(staff, api, hazard_payload, criterion):
    client, headers = api("safety_officer")
    body = client.post("/api/v1/hse/hazards", json=hazard_payload(l="1", e="1", c="1", direct_criteria=[criterion]),
                       headers=headers).json
    assert (body["grade"], body["significant"], body["direct_criteria"]) == (5, True, [criterion])


def test_numbers_as_json_numbers_are_accepted(staff, api, hazard_payload):
    client, headers = api("safety_officer")
    body = client.post("/api/v1/hse/hazards", json=hazard_payload(l=0.5, e=6, c=15), headers=headers).json
    assert body["d"] == 45 and body["grade"] == 4


@pytest.mark.parametrize("field,value", [("l", "4"), ("e", 5), ("c", "2"), ("l", "abc"), ("c", None), ("e", "")])
def test_invalid_factor_is_422_naming_the_field(staff, api, hazard_payload, field, value):
    client, headers = api("safety_officer")
    response = client.post("/api/v1/hse/hazards", json=hazard_payload(**{field: value}), headers=headers)
    assert response.status_code == 422
    assert list(response.json["errors"]) == [field]


@pytest.mark.parametrize("missing", ["activity", "description", "accident_type", "l", "e", "c"])
def test_missing_field_is_422(staff, api, hazard_payload, missing):
    client, headers = api("safety_officer")
    payload = hazard_payload()
    del payload[missing]
    response = client.post("/api/v1/hse/hazards", json=payload, headers=headers)
    assert response.status_code == 422 and missing in response.json["errors"]


def test_unknown_accident_type_and_criterion_are_422(staff, api, hazard_payload):
    client, headers = api("safety_officer")
    response = client.post("/api/v1/hse/hazards", json=hazard_payload(accident_type="meteor"), headers=headers)
    assert response.status_code == 422 and "accident_type" in response.json["errors"]
    response = client.post("/api/v1/hse/hazards", json=hazard_payload(direct_criteria=["ugly"]), headers=headers)
    assert response.status_code == 422 and "direct_criteria" in response.json["errors"]


def test_only_safety_officer_and_director_write_registers(staff, api, hazard_payload, aspect_payload):
    for role in sorted(r.value for r in Role if r.value not in WRITERS | UNIT_HEADS):  # one database: fast
        client, headers = api(role)
        assert client.post("/api/v1/hse/hazards", json=hazard_payload(), headers=headers).status_code == 403, role
        assert client.post("/api/v1/hse/aspects", json=aspect_payload(), headers=headers).status_code == 403, role
        assert client.get("/api/v1/hse/hazards", headers=headers).status_code == 200, role  # everyone may read


def test_anonymous_is_401(client):
    assert client.get("/api/v1/hse/hazards").status_code == 401


def test_idempotent_create(staff, api, hazard_payload):
    client, headers = api("safety_officer")
    key = str(uuid.uuid4())
    first = client.post("/api/v1/hse/hazards", json=hazard_payload(client_id=key), headers=headers)
    again = client.post("/api/v1/hse/hazards", json=hazard_payload(client_id=key), headers=headers)
    other = client.post("/api/v1/hse/hazards", json=hazard_payload(client_id=key, l="1"), headers=headers)
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert first.json["id"] == again.json["id"]
    assert client.get("/api/v1/hse/hazards", headers=headers).json["total"] == 1


def test_hazard_patch_reassesses_and_checks_version(staff, api, hazard_payload):
    client, headers = api("safety_officer")
    created = client.post("/api/v1/hse/hazards", json=hazard_payload(), headers=headers).json
    url = f"/api/v1/hse/hazards/{created['id']}"
    changed = client.patch(url, json={"l": "1", "version": created["version"]}, headers=headers)
    assert changed.status_code == 200 and (changed.json["d"], changed.json["grade"]) == (120, 3)
    stale = client.patch(url, json={"l": "3", "version": created["version"]}, headers=headers)
    assert stale.status_code == 409
    bad = client.patch(url, json={"c": "8"}, headers=headers)
    assert bad.status_code == 422 and list(bad.json["errors"]) == ["c"]


def test_aspect_create_pollution_and_resource(staff, api, aspect_payload):
    client, headers = api("safety_officer")
    pollution = client.post("/api/v1/hse/aspects", json=aspect_payload(a=4, b=3, c=4, d=3, e=1), headers=headers)
    assert pollution.status_code == 201
    assert {k: pollution.json[k] for k in ("total", "significant")} == {"total": 15, "significant": True}
    resource = client.post("/api/v1/hse/aspects", json=aspect_payload("resource", f=3, g=3), headers=headers)
    assert (resource.json["total"], resource.json["significant"]) == (6, False)
    assert client.get("/api/v1/hse/aspects?significant=true", headers=headers).json["total"] == 1


@pytest.mark.parametrize("kind,field,value", [
    ("pollution", "a", 6), ("pollution", "b", 2), ("pollution", "d", 4), ("pollution", "c", 0),
    ("resource", "f", 2), ("resource", "g", 4),
])
def test_aspect_score_off_scale_is_422(staff, api, aspect_payload, kind, field, value):
    client, headers = api("safety_officer")
    response = client.post("/api/v1/hse/aspects", json=aspect_payload(kind, **{field: value}), headers=headers)
    assert response.status_code == 422
    assert list(response.json["errors"]) == [field]


def test_aspect_missing_score_is_422(staff, api, aspect_payload):
    client, headers = api("safety_officer")
    payload = aspect_payload("resource")
    del payload["g"]
    response = client.post("/api/v1/hse/aspects", json=payload, headers=headers)
    assert response.status_code == 422 and list(response.json["errors"]) == ["g"]


def test_anyone_reports_an_observation(staff, api):
    client, headers = api("card_clerk")
    response = client.post("/api/v1/hse/observations", json={"kind": "hazard", "description": "Loose mat"},
                           headers=headers)
    assert response.status_code == 201 and response.json["status"] == "open"
    assert client.get("/api/v1/hse/observations", headers=headers).json["total"] == 1
    other, other_headers = api("meter_reader")
    assert other.get("/api/v1/hse/observations", headers=other_headers).json["total"] == 0  # only their own
    officer, officer_headers = api("safety_officer")
    assert officer.get("/api/v1/hse/observations", headers=officer_headers).json["total"] == 1


def test_openapi_lists_the_hse_routes(staff, client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"/api/v1/hse/hazards", "/api/v1/hse/aspects", "/api/v1/hse/nonconformities"} <= set(paths)
