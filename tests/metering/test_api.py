"""The metering API as API.md fixes it: equipment, meter tests, issue, documents."""
import hashlib
import re
import uuid

import pytest

from tests.metering.conftest import payload


def test_record_a_passing_test(lab, api):
    client, headers = api("metering_tech")
    response = client.post("/api/v1/meter-tests", json=payload(lab.stock, lab.bench), headers=headers)
    assert response.status_code == 201, response.json
    body = response.json
    assert set(body) >= {"id", "points", "ok", "failures"}
    assert body["ok"] is True and body["failures"] == []
    assert [(p["flow_m3h"], p["zone"], p["error_pct"], p["mpe_pct"], p["ok"]) for p in body["points"]] == [
        (0.025, "low", 0.5, 3, True), (0.8, "high", 0.3, 1.5, True), (4, "high", -0.2, 1.5, True)]


def test_record_a_failing_test_names_each_failure(lab, api):
    client, headers = api("metering_tech")
    body = payload(lab.stock, lab.bench, errors=("3.01", "1.50", "-1.51"), leak_ok=False, loss="200.1")
    response = client.post("/api/v1/meter-tests", json=body, headers=headers)
    assert response.status_code == 201
    assert response.json["ok"] is False
    assert response.json["failures"] == ["point_1", "point_3", "leak_test", "pressure_loss"]


def test_in_service_doubles_the_mpe(lab, api):
    client, headers = api("metering_tech")
    body = payload(lab.ng, lab.bench, errors=("5.99", "2.99", "-3.00"), verification="in_service")
    response = client.post("/api/v1/meter-tests", json=body, headers=headers)
    assert response.json["ok"] is True
    assert [p["mpe_pct"] for p in response.json["points"]] == [6, 3, 3]


def test_expired_equipment_is_refused(lab, api, db):
    from fieldsvc.metering.models import MeterTest
    client, headers = api("metering_tech")
    response = client.post("/api/v1/meter-tests", json=payload(lab.stock, lab.expired_bench),
                           headers={**headers, "Accept-Language": "en"})
    assert response.status_code == 422
    message = " ".join(response.json["errors"]["equipment_id"])
    assert "expired" in message and "JZ2024-0101" in message
    assert db.session.query(MeterTest).count() == 0


def test_expired_licence_is_refused(lab, api, db):
    from datetime import timedelta

    from fieldsvc import clock
    for q in lab.staff["metering_tech2"].qualifications:
        q.expires_on = clock.today() - timedelta(days=1)
    db.session.commit()
    client, headers = api("metering_tech2")
    response = client.post("/api/v1/meter-tests", json=payload(lab.stock, lab.bench),
                           headers={**headers, "Accept-Language": "en"})
    assert response.status_code == 422
    assert "licence" in " ".join(response.json["errors"]["_schema"])


@pytest.mark.parametrize("username", ["meter_reader", "station_chief", "director", "repair_tech"])
def test_other_roles_cannot_record_tests(lab, api, username):
    client, headers = api(username)
    assert client.post("/api/v1/meter-tests", json=payload(lab.stock, lab.bench), headers=headers).status_code == 403


@pytest.mark.parametrize("change, field", [
    ({"verification": "annual"}, "verification"),
    ({"temperature_c": "hot"}, "temperature_c"),
    ({"humidity_pct": "120"}, "humidity_pct"),
    ({"points": []}, "points"),
    ({"meter_id": 999999}, "meter_id"),
    ({"equipment_id": 999999}, "equipment_id"),
    ({"pressure_loss_pa": "-1"}, "pressure_loss_pa"),
])
def test_bad_input_is_422_naming_the_field(lab, api, change, field):
    client, headers = api("metering_tech")
    response = client.post("/api/v1/meter-tests", json={**payload(lab.stock, lab.bench), **change}, headers=headers)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


@pytest.mark.parametrize("point, field", [
    ({"flow_m3h": "4.5", "reference_l": "100", "indicated_l": "100"}, "flow_m3h"),     # above qmax of G2.5
    ({"flow_m3h": "0.01", "reference_l": "100", "indicated_l": "100"}, "flow_m3h"),    # below qmin
    ({"flow_m3h": "4", "reference_l": "0", "indicated_l": "100"}, "reference_l"),
    ({"flow_m3h": "4", "reference_l": "100.0001", "indicated_l": "100"}, "reference_l"),  # 4 decimals
    ({"flow_m3h": "4", "reference_l": "100"}, "indicated_l"),
])
def test_a_bad_point_is_named_by_position(lab, api, point, field):
    client, headers = api("metering_tech")
    body = payload(lab.stock, lab.bench)
    body["points"][1] = point
    response = client.post("/api/v1/meter-tests", json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["points"]["1"]


def test_client_id_makes_the_create_idempotent(lab, api, db):
    from fieldsvc.metering.models import MeterTest
    client, headers = api("metering_tech")
    body = {**payload(lab.stock, lab.bench), "client_id": str(uuid.uuid4())}
    first = client.post("/api/v1/meter-tests", json=body, headers=headers)
    second = client.post("/api/v1/meter-tests", json=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json["id"] == second.json["id"]
    assert db.session.query(MeterTest).count() == 1


def _record(client, headers, meter, bench, **kw) -> int:
    response = client.post("/api/v1/meter-tests", json=payload(meter, bench, **kw), headers=headers)
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_issue_a_certificate(lab, api):
    tech, tech_headers = api("metering_tech")
    test_id = _record(tech, tech_headers, lab.ng, lab.bench, verification="subsequent")
    head, headers = api("metering_head")
    response = head.post(f"/api/v1/meter-tests/{test_id}/issue", json={"checker_id": lab.staff["metering_tech2"].id},
                         headers=headers)
    assert response.status_code == 201, response.json
    body = response.json
    year = lab.today.year
    assert body["number"] == f"JD-{year}-000001" and body["kind"] == "certificate"
    expected = lab.today.replace(year=year + 10)  # NG household meter: 10 years − 1 day
    assert body["valid_until"] == (expected - __import__("datetime").timedelta(days=1)).isoformat()
    assert body["pdf_url"] == f"/api/v1/documents/{body['number']}.pdf"
    assert f"/verify/{body['number']}?s=" in body["verify_url"]  # signed: the QR shows meter and customer


def test_lpg_customer_gets_six_years(lab, api):
    from datetime import timedelta
    tech, tech_headers = api("metering_tech")
    test_id = _record(tech, tech_headers, lab.lpg, lab.bench, verification="subsequent")
    head, headers = api("metering_head")
    body = head.post(f"/api/v1/meter-tests/{test_id}/issue", json={"checker_id": lab.staff["metering_tech2"].id},
                     headers=headers).json
    assert body["valid_until"] == (lab.today.replace(year=lab.today.year + 6) - timedelta(days=1)).isoformat()


def test_issue_a_notice_for_a_failed_test(lab, api):
    tech, tech_headers = api("metering_tech")
    test_id = _record(tech, tech_headers, lab.stock, lab.bench, leak_ok=False)
    head, headers = api("metering_head")
    response = head.post(f"/api/v1/meter-tests/{test_id}/issue", json={"checker_id": lab.staff["metering_tech2"].id},
                         headers=headers)
    assert response.status_code == 201
    assert response.json["kind"] == "notice"
    assert response.json["number"] == f"TZ-{lab.today.year}-000001"
    assert response.json["valid_until"] is None


def test_numbers_run_per_kind_without_gaps(lab, api):
    tech, tech_headers = api("metering_tech")
    head, headers = api("metering_head")
    checker = lab.staff["metering_tech2"].id
    numbers = []
    for leak_ok in (True, False, True, True, False):
        test_id = _record(tech, tech_headers, lab.stock, lab.bench, leak_ok=leak_ok)
        numbers.append(head.post(f"/api/v1/meter-tests/{test_id}/issue", json={"checker_id": checker},
                                 headers=headers).json["number"])
    y = lab.today.year
    assert numbers == [f"JD-{y}-000001", f"TZ-{y}-000001", f"JD-{y}-000002", f"JD-{y}-000003", f"TZ-{y}-000002"]


def test_a_refused_issue_uses_no_number(lab, api):
    tech, tech_headers = api("metering_tech")
    head, headers = api("metering_head")
    test_id = _record(tech, tech_headers, lab.stock, lab.bench)
    refused = head.post(f"/api/v1/meter-tests/{test_id}/issue", json={"checker_id": lab.staff["metering_tech"].id},
                        headers=headers)
    assert refused.status_code == 422
    ok = head.post(f"/api/v1/meter-tests/{test_id}/issue", json={"checker_id": lab.staff["metering_tech2"].id},
                   headers=headers)
    assert ok.json["number"].endswith("-000001")


@pytest.mark.parametrize("checker", ["metering_tech", "metering_head", "meter_reader", None])
def test_checker_must_be_another_metering_technician(lab, api, checker):
    tech, tech_headers = api("metering_tech")
    test_id = _record(tech, tech_headers, lab.stock, lab.bench)
    head, headers = api("metering_head")
    body = {"checker_id": lab.staff[checker].id} if checker else {}
    response = head.post(f"/api/v1/meter-tests/{test_id}/issue", json=body,
                         headers={**headers, "Accept-Language": "en"})
    assert response.status_code == 422
    assert "checker" in " ".join(response.json["errors"]["checker_id"]).lower()


def test_checker_with_expired_licence_is_refused(lab, api, db):
    from datetime import timedelta

    from fieldsvc import clock
    for q in lab.staff["metering_tech3"].qualifications:
        q.expires_on = clock.today() - timedelta(days=3)
    db.session.commit()
    tech, tech_headers = api("metering_tech")
    test_id = _record(tech, tech_headers, lab.stock, lab.bench)
    head, headers = api("metering_head")
    response = head.post(f"/api/v1/meter-tests/{test_id}/issue", json={"checker_id": lab.staff["metering_tech3"].id},
                         headers=headers)
    assert response.status_code == 422 and "checker_id" in response.json["errors"]


@pytest.mark.parametrize("username", ["metering_tech", "metering_tech2", "director", "station_chief"])
def test_only_the_metering_head_issues(lab, api, username):
    tech, tech_headers = api("metering_tech")
    test_id = _record(tech, tech_headers, lab.stock, lab.bench)
    client, headers = api(username)
    response = client.post(f"/api/v1/meter-tests/{test_id}/issue",
                           json={"checker_id": lab.staff["metering_tech2"].id}, headers=headers)
    assert response.status_code == 403


def test_a_test_is_issued_once(lab, api):
    tech, tech_headers = api("metering_tech")
    test_id = _record(tech, tech_headers, lab.stock, lab.bench)
    head, headers = api("metering_head")
    body = {"checker_id": lab.staff["metering_tech2"].id}
    assert head.post(f"/api/v1/meter-tests/{test_id}/issue", json=body, headers=headers).status_code == 201
    assert head.post(f"/api/v1/meter-tests/{test_id}/issue", json=body, headers=headers).status_code == 409


def test_issue_unknown_test_404(lab, api):
    head, headers = api("metering_head")
    assert head.post("/api/v1/meter-tests/99999/issue", json={}, headers=headers).status_code == 404


def _issue(api, lab, meter=None, **kw):
    tech, tech_headers = api("metering_tech")
    test_id = _record(tech, tech_headers, meter or lab.stock, lab.bench, **kw)
    head, headers = api("metering_head")
    body = head.post(f"/api/v1/meter-tests/{test_id}/issue", json={"checker_id": lab.staff["metering_tech2"].id},
                     headers=headers).json
    return test_id, body, head, headers


def test_served_pdf_is_the_stored_one_and_the_verify_page_shows_its_hash(lab, api, client):
    _, body, head, headers = _issue(api, lab)
    pdf = head.get(body["pdf_url"], headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    digest = hashlib.sha256(pdf.data).hexdigest()
    page = client.get(body["verify_url"].removeprefix("http://localhost"))  # public: a fresh client, no login
    assert page.status_code == 200
    shown = re.search(r'id="m-sha256">([0-9a-f]{64})<', page.get_data(as_text=True)).group(1)
    assert shown == digest
    assert body["number"] in page.get_data(as_text=True)
    # Served again later: the very same bytes.
    assert hashlib.sha256(head.get(body["pdf_url"], headers=headers).data).hexdigest() == digest


def test_document_metadata_and_access(lab, api):
    _, body, head, headers = _issue(api, lab)
    meta = head.get(f"/api/v1/documents/{body['number']}", headers=headers)
    assert meta.status_code == 200 and meta.json["status"] == "valid"
    reader, reader_headers = api("meter_reader")
    assert reader.get(body["pdf_url"], headers=reader_headers).status_code == 403
    assert head.get("/api/v1/documents/JD-1999-000001.pdf", headers=headers).status_code == 404


def test_verify_unknown_number_404(app, client):
    assert client.get("/verify/JD-2026-999999").status_code == 404
    assert client.get("/verify/nonsense").status_code == 404


def correction_form(lab, test_id, errors=("0.40", "0.30", "-0.20")) -> dict:
    """The correction page's form: the same meter's default flows with corrected readings."""
    from fieldsvc.metering import rules
    form = {"verification": "initial", "equipment_id": lab.bench.id, "leak_equipment_id": lab.leak_bench.id,
            "temperature_c": "20.1", "humidity_pct": "50",
            "leak_test_ok": "1", "pressure_loss_pa": "150"}
    for i, (flow, e) in enumerate(zip(rules.default_flows("G2.5"), errors, strict=True)):
        form.update({f"points-{i}-flow_m3h": str(flow), f"points-{i}-reference_l": "100.000",
                     f"points-{i}-indicated_l": str(100 + float(e))})
    return form


def test_correction_reissues_and_supersedes(lab, api, login, client, db):
    from fieldsvc.metering.models import MeterTest
    test_id, first, head, headers = _issue(api, lab)
    page = login("metering_tech").post(f"/metering/tests/{test_id}/correct", data=correction_form(lab, test_id))
    assert page.status_code == 302
    new_id = db.session.query(MeterTest).filter_by(corrects_id=test_id).one().id
    second = head.post(f"/api/v1/meter-tests/{new_id}/issue", json={"checker_id": lab.staff["metering_tech2"].id},
                       headers=headers).json
    assert second["number"] == f"JD-{lab.today.year}-000002"
    old_page = client.get(f"/verify/{first['number']}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Superseded" in old_page and second["number"] in old_page
    meta = head.get(f"/api/v1/documents/{first['number']}", headers=headers).json
    assert meta["status"] == "superseded" and meta["superseded_by"] == second["number"]
    # The superseded test can be neither corrected nor issued again.
    assert head.post(f"/api/v1/meter-tests/{test_id}/issue", json={}, headers=headers).status_code == 409


def test_initial_certificate_starts_the_service_life(lab, api, db):
    from fieldsvc.customers.models import Meter
    assert lab.stock.first_verified_on is None
    _issue(api, lab)
    db.session.expire_all()
    assert db.session.get(Meter, lab.stock.id).first_verified_on == lab.today


def test_list_and_read_tests(lab, api):
    test_id, body, head, headers = _issue(api, lab)
    listed = head.get("/api/v1/meter-tests?state=issued", headers=headers).json
    assert listed["total"] == 1 and listed["items"][0]["document"]["number"] == body["number"]
    one = head.get(f"/api/v1/meter-tests/{test_id}", headers=headers).json
    assert one["serial_no"] == "LAB-S0001" and one["checker_id"] == lab.staff["metering_tech2"].id
    assert head.get("/api/v1/meter-tests?state=pending", headers=headers).json["total"] == 0


# --- equipment --------------------------------------------------------------------------------------

NEW_EQUIPMENT = {"name": "膜式表检定装置", "serial_no": "EQ-9", "calibration_cert": "JZ2026-1",
                 "calibration_expires_on": "2027-06-30"}


def test_equipment_register(lab, api):
    client, headers = api("metering_tech")
    created = client.post("/api/v1/equipment", json=NEW_EQUIPMENT, headers=headers)
    assert created.status_code == 201, created.json
    assert {k: created.json[k] for k in NEW_EQUIPMENT} == NEW_EQUIPMENT
    assert created.json["status"] == "pending" and created.json["kind"] == "flow_standard"  # API.md
    listed = client.get("/api/v1/equipment", headers=headers).json
    assert listed["total"] == 4
    assert listed["items"][0]["serial_no"] == "EQ-0002" and listed["items"][0]["calibration_status"] == "expired"
    again = client.post("/api/v1/equipment", json=NEW_EQUIPMENT, headers=headers)
    assert again.status_code == 409 and set(again.json) == {"error"}  # API.md: a duplicate key is a conflict


def test_equipment_recalibration_reopens_it_for_tests_once_approved(lab, api):
    client, headers = api("metering_tech")
    eq = client.get(f"/api/v1/equipment/{lab.expired_bench.id}", headers=headers).json
    patched = client.patch(f"/api/v1/equipment/{eq['id']}", headers=headers,
                           json={"calibration_cert": "JZ2026-0999", "calibration_expires_on": "2030-01-01",
                                 "version": eq["version"]})
    assert patched.status_code == 200 and patched.json["calibration_status"] == "expired"
    assert patched.json["pending_calibration"]["certificate_no"] == "JZ2026-0999"
    assert client.post("/api/v1/meter-tests", json=payload(lab.stock, lab.expired_bench),
                       headers=headers).status_code == 422  # the new certificate is not approved yet
    head, head_headers = api("metering_head")
    approved = head.post(f"/api/v1/equipment/{eq['id']}/approve", headers=head_headers)
    assert approved.status_code == 200 and approved.json["calibration_status"] == "valid"
    assert approved.json["calibration_cert"] == "JZ2026-0999" and approved.json["pending_calibration"] is None
    assert client.post("/api/v1/meter-tests", json=payload(lab.stock, lab.expired_bench),
                       headers=headers).status_code == 201
    stale = client.patch(f"/api/v1/equipment/{eq['id']}", headers=headers, json={"name": "x", "version": eq["version"]})
    assert stale.status_code == 409


@pytest.mark.parametrize("username, get, post", [("meter_reader", 403, 403), ("director", 200, 403),
                                                 ("metering_head", 200, 201)])
def test_equipment_permissions(lab, api, username, get, post):
    client, headers = api(username)
    assert client.get("/api/v1/equipment", headers=headers).status_code == get
    assert client.post("/api/v1/equipment", json=NEW_EQUIPMENT, headers=headers).status_code == post


def test_equipment_bad_input(lab, api):
    client, headers = api("metering_tech")
    response = client.post("/api/v1/equipment", json={"name": "x", "calibration_expires_on": "someday"},
                           headers=headers)
    assert response.status_code == 422
    assert set(response.json["errors"]) >= {"serial_no", "calibration_cert", "calibration_expires_on"}
