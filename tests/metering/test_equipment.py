"""Equipment approval, kind and calibration history (issue 20 item 6; RULES §1, §7).

New or renewed equipment waits for the metering head; a renewal keeps the previous approved certificate in
force up to its own due date; a test cites an approved flow standard for its flow points and an approved leak
bench for its leak test, each in calibration; every certificate is kept as a row.
"""
import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from fieldsvc.errors import Conflict, Invalid, NotAllowed
from fieldsvc.metering import rules, schemas
from fieldsvc.metering.models import Equipment, EquipmentCalibration, MeterTest
from fieldsvc.metering.services import documents, equipment, meter_tests
from tests import factories
from tests.metering.conftest import payload

EN = {"Accept-Language": "en"}
D = date(2026, 12, 7)
R = rules.Refusal


# --- the pure rules ---------------------------------------------------------------------------------

@pytest.mark.parametrize("required, kind, approval, active, expires, expected", [
    ("flow_standard", "flow_standard", "approved", True, D, None),  # valid through its due day
    ("flow_standard", "flow_standard", "approved", True, D - timedelta(days=1), R.expired),
    ("flow_standard", "leak_bench", "approved", True, D, R.wrong_kind),  # a leak bench is no flow standard
    ("leak_bench", "flow_standard", "approved", True, D, R.wrong_kind),
    ("leak_bench", "leak_bench", "approved", True, D, None),
    ("flow_standard", "climate", "approved", True, D, R.wrong_kind),
    ("flow_standard", "flow_standard", "pending", True, D, R.pending),
    ("flow_standard", "flow_standard", "rejected", True, D, R.rejected),
    ("flow_standard", "flow_standard", "approved", False, D, R.retired),
    ("leak_bench", "flow_standard", "pending", False, D - timedelta(days=9), R.wrong_kind),  # kind is said first
    ("flow_standard", "flow_standard", "pending", True, D - timedelta(days=9), R.pending),
])
def test_equipment_refusal(required, kind, approval, active, expires, expected):
    assert rules.equipment_refusal(required, kind, approval, active, expires, D) == expected


@pytest.mark.parametrize("calibrated, due, expected", [
    (D - timedelta(days=3), D + timedelta(days=362), None),
    (None, D + timedelta(days=10), None),  # the API may leave the calibration date out
    (D + timedelta(days=1), D + timedelta(days=366), "calibrated_on"),  # a certificate from the future
    (D - timedelta(days=3), D - timedelta(days=3), "calibration_expires_on"),
    (D - timedelta(days=3), D - timedelta(days=30), "calibration_expires_on"),
])
def test_calibration_dates_problem(calibrated, due, expected):
    assert rules.calibration_dates_problem(calibrated, due, D) == expected


# --- services ---------------------------------------------------------------------------------------

def _new(lab, kind="flow_standard", serial="EQ-0100", **extra):
    data = {"name": "标准表法气体流量标准装置", "serial_no": serial, "kind": kind, "calibration_cert": "JZ2026-0100",
            "calibrated_on": lab.today - timedelta(days=5), "calibration_expires_on": lab.today + timedelta(days=360),
            **extra}
    return equipment.create_equipment(lab.staff["metering_tech"], data)


def _record(lab, flow, leak=None, meter=None):
    body = payload(meter or lab.stock, flow, leak_equipment_id=leak.id if leak is not None else None)
    return meter_tests.record_test(lab.staff["metering_tech"], schemas.MeterTestIn().load(body))


def test_new_equipment_is_pending_and_refused_until_the_head_approves(lab, en_request, db):
    item = _new(lab)
    assert item.status == "pending"
    assert [(c.certificate_no, c.status) for c in item.calibrations] == [("JZ2026-0100", "pending")]
    with pytest.raises(Invalid) as exc:
        _record(lab, item)
    assert "waits for the metering head's approval" in " ".join(exc.value.errors["equipment_id"])
    assert item not in equipment.usable_equipment(lab.staff["metering_tech"])
    with pytest.raises(NotAllowed):
        equipment.approve(lab.staff["metering_tech"], item)  # RULES §1: the head approves
    equipment.approve(lab.staff["metering_head"], item)
    assert (item.status, item.approved_by_id) == ("approved", lab.staff["metering_head"].id)
    assert item.calibrations[0].status == "approved"
    assert _record(lab, item).equipment_id == item.id
    with pytest.raises(Conflict):
        equipment.approve(lab.staff["metering_head"], item)  # nothing waits any more


def test_a_leak_bench_cannot_be_the_flow_standard_and_the_reverse(lab, en_request, db):
    with pytest.raises(Invalid) as exc:
        _record(lab, lab.leak_bench)
    assert "is a Leak and pressure bench: this needs a Flow standard" in " ".join(exc.value.errors["equipment_id"])
    with pytest.raises(Invalid) as exc:
        _record(lab, lab.bench, leak=lab.bench)
    assert set(exc.value.errors) == {"leak_equipment_id"}
    test = _record(lab, lab.bench, leak=lab.leak_bench)
    assert (test.equipment_id, test.leak_equipment_id) == (lab.bench.id, lab.leak_bench.id)
    assert _record(lab, lab.bench, meter=lab.stock10).leak_equipment_id is None  # optional in the API


@pytest.mark.parametrize("change, words", [
    ({"status": "pending"}, "waits for the metering head's approval"),
    ({"status": "rejected"}, "was not approved"),
    ({"active": False}, "no longer in use"),
    ({"calibration_expires_on": date(2026, 1, 1)}, "expired on 2026-01-01"),
])
def test_the_leak_bench_must_be_approved_in_use_and_in_calibration(lab, en_request, db, change, words):
    for key, value in change.items():
        setattr(lab.leak_bench, key, value)
    db.session.flush()
    with pytest.raises(Invalid) as exc:
        _record(lab, lab.bench, leak=lab.leak_bench)
    assert words in " ".join(exc.value.errors["leak_equipment_id"])


def test_a_renewal_waits_while_the_previous_certificate_stays_in_force(lab, en_request, db):
    tech, head = lab.staff["metering_tech"], lab.staff["metering_head"]
    old_due = lab.bench.calibration_expires_on
    renewal = equipment.renew(tech, lab.bench, {"calibration_cert": "JZ2027-0001", "calibrated_on": lab.today,
                                               "calibration_expires_on": lab.today + timedelta(days=365)})
    assert renewal.status == "pending" and lab.bench.status == "approved"
    assert (lab.bench.calibration_cert, lab.bench.calibration_expires_on) == ("JZ2026-0815", old_due)
    assert _record(lab, lab.bench).equipment_id == lab.bench.id  # still usable on the approved certificate
    assert equipment.awaits_approval(lab.bench) and equipment.awaiting_approval_count(head) == 1
    with pytest.raises(Conflict):  # one renewal at a time
        equipment.renew(tech, lab.bench, {"calibration_cert": "JZ2027-0002",
                                          "calibration_expires_on": lab.today + timedelta(days=300)})
    equipment.approve(head, lab.bench)
    assert (lab.bench.calibration_cert, lab.bench.calibration_expires_on) == (
        "JZ2027-0001", lab.today + timedelta(days=365))
    history = equipment.history(head, lab.bench)
    assert [(c.certificate_no, c.status) for c in history] == [("JZ2027-0001", "approved")]  # legacy row: none
    # the next renewal is rejected: the approved certificate stays; both rows are kept
    equipment.renew(tech, lab.bench, {"calibration_cert": "JZ2027-0002",
                                      "calibration_expires_on": lab.today + timedelta(days=700)})
    with pytest.raises(Invalid) as exc:
        equipment.reject(head, lab.bench, "  ")
    assert set(exc.value.errors) == {"reason"}
    equipment.reject(head, lab.bench, "证书单位与装置编号不符")
    assert lab.bench.calibration_cert == "JZ2027-0001" and lab.bench.status == "approved"
    assert [(c.certificate_no, c.status, c.reject_reason) for c in equipment.history(head, lab.bench)] == [
        ("JZ2027-0002", "rejected", "证书单位与装置编号不符"), ("JZ2027-0001", "approved", None)]
    assert db.session.query(EquipmentCalibration).count() == 2


def test_a_renewal_does_not_revive_an_expired_standard_before_approval(lab, en_request, db):
    equipment.renew(lab.staff["metering_tech"], lab.expired_bench,
                    {"calibration_cert": "JZ2026-0999", "calibration_expires_on": lab.today + timedelta(days=365)})
    with pytest.raises(Invalid) as exc:
        _record(lab, lab.expired_bench)
    assert "expired on" in " ".join(exc.value.errors["equipment_id"])


def test_rejected_new_equipment_comes_back_with_a_new_certificate(lab, en_request, db):
    head = lab.staff["metering_head"]
    item = _new(lab)
    equipment.reject(head, item, "无检定证书原件")
    assert item.status == "rejected"
    with pytest.raises(Invalid) as exc:
        _record(lab, item)
    assert "was not approved" in " ".join(exc.value.errors["equipment_id"])
    equipment.renew(lab.staff["metering_tech"], item, {"calibration_cert": "JZ2026-0101",
                                                       "calibration_expires_on": lab.today + timedelta(days=365)})
    assert (item.status, item.calibration_cert) == ("pending", "JZ2026-0101")
    equipment.approve(head, item)
    assert item.status == "approved" and [c.status for c in item.calibrations] == ["approved", "rejected"]


def test_changing_the_kind_needs_approval_again(lab, en_request, db):
    """An existing row migrated as a flow standard is in fact a leak bench: the head approves the new kind."""
    flow = _new(lab, serial="EQ-0200")
    equipment.approve(lab.staff["metering_head"], flow)
    equipment.update_equipment(lab.staff["metering_tech"], lab.bench, {"kind": "leak_bench"})
    assert lab.bench.status == "pending"
    with pytest.raises(Invalid):
        _record(lab, flow, leak=lab.bench)
    equipment.approve(lab.staff["metering_head"], lab.bench)
    assert _record(lab, flow, leak=lab.bench).leak_equipment_id == lab.bench.id


@pytest.mark.parametrize("dates, field", [
    ({"calibrated_on": D + timedelta(days=30)}, "calibrated_on"),
    ({"calibrated_on": D - timedelta(days=10), "calibration_expires_on": D - timedelta(days=20)},
     "calibration_expires_on"),
])
def test_bad_certificate_dates_are_refused(lab, en_request, db, dates, field):
    with pytest.raises(Invalid) as exc:
        _new(lab, **dates)
    assert set(exc.value.errors) == {field}


def test_the_certificate_prints_the_flow_standard_and_the_leak_bench(lab, en_request, db):
    test = _record(lab, lab.bench, leak=lab.leak_bench)
    doc = documents.issue(lab.staff["metering_head"], test, lab.staff["metering_tech2"].id)
    db.session.commit()
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(doc.pdf)).pages))
    for expected in ("流量标准装置", "钟罩式气体流量标准装置", "EQ-0001", "密封性检测装置", "膜式燃气表耐压密封性检测台",
                     "EQ-0003", "JY2026-0303"):
        assert expected in text, expected
    bare = _record(lab, lab.bench, meter=lab.stock10)  # an API test without a leak bench: no such row
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        documents.issue(lab.staff["metering_head"], bare, lab.staff["metering_tech2"].id).pdf)).pages)
    assert "密封性检测装置" not in re.sub(r"\s+", "", text)


def test_the_heads_home_counts_what_waits(lab, en_request, db):
    from fieldsvc.metering.services import home
    _new(lab)
    equipment.renew(lab.staff["metering_tech"], lab.bench, {"calibration_cert": "JZ2027-0001",
                                                           "calibration_expires_on": lab.today + timedelta(days=365)})
    assert home.summary(lab.staff["metering_head"])["equipment_awaiting"] == 2
    assert "equipment_awaiting" not in home.summary(lab.staff["metering_tech"])
    assert "equipment_awaiting" not in home.summary(lab.staff["director"])


# --- API --------------------------------------------------------------------------------------------

NEW = {"name": "音速喷嘴法气体流量标准装置", "serial_no": "EQ-0300", "calibration_cert": "JZ2026-0300",
       "calibration_expires_on": "2027-11-30"}


def test_api_pending_equipment_is_422_naming_equipment_id_until_approved(lab, api):
    client, headers = api("metering_tech")
    created = client.post("/api/v1/equipment", json=NEW, headers=headers).json
    assert created["status"] == "pending" and created["kind"] == "flow_standard"
    refused = client.post("/api/v1/meter-tests", headers=headers,
                          json={**payload(lab.stock, lab.bench), "equipment_id": created["id"]})
    assert refused.status_code == 422 and set(refused.json["errors"]) == {"equipment_id"}
    assert client.post(f"/api/v1/equipment/{created['id']}/approve", headers=headers).status_code == 403
    head, head_headers = api("metering_head")
    approved = head.post(f"/api/v1/equipment/{created['id']}/approve", headers=head_headers)
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    assert head.post(f"/api/v1/equipment/{created['id']}/approve", headers=head_headers).status_code == 409
    assert client.post("/api/v1/meter-tests", headers=headers,
                       json={**payload(lab.stock, lab.bench), "equipment_id": created["id"]}).status_code == 201


def test_api_kind_and_leak_bench(lab, api):
    client, headers = api("metering_tech")
    wrong = client.post("/api/v1/meter-tests", headers=headers, json=payload(lab.stock, lab.leak_bench))
    assert wrong.status_code == 422 and set(wrong.json["errors"]) == {"equipment_id"}
    wrong_leak = client.post("/api/v1/meter-tests", headers=headers,
                             json=payload(lab.stock, lab.bench, leak_equipment_id=lab.bench.id))
    assert wrong_leak.status_code == 422 and set(wrong_leak.json["errors"]) == {"leak_equipment_id"}
    missing = client.post("/api/v1/meter-tests", headers=headers,
                          json=payload(lab.stock, lab.bench, leak_equipment_id=999999))
    assert missing.status_code == 422 and set(missing.json["errors"]) == {"leak_equipment_id"}
    ok = client.post("/api/v1/meter-tests", headers=headers,
                     json=payload(lab.stock, lab.bench, leak_equipment_id=lab.leak_bench.id))
    assert ok.status_code == 201 and ok.json["leak_equipment_id"] == lab.leak_bench.id
    bad_kind = client.post("/api/v1/equipment", headers=headers, json={**NEW, "kind": "thermometer"})
    assert bad_kind.status_code == 422 and set(bad_kind.json["errors"]) == {"kind"}


def test_api_calibration_history_renew_and_reject(lab, api):
    client, headers = api("metering_tech")
    url = f"/api/v1/equipment/{lab.bench.id}/calibrations"
    assert client.get(url, headers=headers).json == []
    renewed = client.post(url, headers=headers, json={"calibration_cert": "JZ2027-0815", "calibrated_on": "2026-12-01",
                                                      "calibration_expires_on": "2027-12-01"})
    assert renewed.status_code == 201 and renewed.json["status"] == "pending"
    assert client.post(url, headers=headers, json={"calibration_cert": "JZ2027-0816",
                                                   "calibration_expires_on": "2027-12-01"}).status_code == 409
    item = client.get(f"/api/v1/equipment/{lab.bench.id}", headers=headers).json
    assert item["status"] == "approved" and item["pending_calibration"]["certificate_no"] == "JZ2027-0815"
    head, head_headers = api("metering_head")
    no_reason = head.post(f"/api/v1/equipment/{lab.bench.id}/reject", headers=head_headers, json={})
    assert no_reason.status_code == 422 and set(no_reason.json["errors"]) == {"reason"}
    rejected = head.post(f"/api/v1/equipment/{lab.bench.id}/reject", headers=head_headers,
                         json={"reason": "证书有效期填写错误"})
    assert rejected.status_code == 200 and rejected.json["calibration_cert"] == "JZ2026-0815"
    history = client.get(url, headers=headers).json
    assert [(h["certificate_no"], h["status"], h["reject_reason"]) for h in history] == [
        ("JZ2027-0815", "rejected", "证书有效期填写错误")]
    director, director_headers = api("director")
    assert director.get(url, headers=director_headers).status_code == 200
    assert director.post(url, headers=director_headers, json={"calibration_cert": "JZ2027-0817",
                                                               "calibration_expires_on": "2027-12-01"}).status_code == 403
    assert director.post(f"/api/v1/equipment/{lab.bench.id}/approve", headers=director_headers).status_code == 403
    assert client.get("/api/v1/equipment/999999/calibrations", headers=headers).status_code == 404


@pytest.mark.parametrize("body, fields", [
    ({"calibration_cert": "X", "calibration_expires_on": "2026-13-45"}, {"calibration_expires_on"}),
    ({"calibration_cert": "X", "calibration_expires_on": "0000-00-00"}, {"calibration_expires_on"}),
    ({"calibration_cert": {"no": "X"}, "calibration_expires_on": "2027-01-01"}, {"calibration_cert"}),
    ({"calibration_cert": "X", "calibration_expires_on": "2027-01-01", "calibrated_on": "2027-01-02"},
     {"calibrated_on"}),
    ({"calibration_cert": "X" * 61, "calibration_expires_on": "2027-01-01"}, {"calibration_cert"}),
])
def test_api_renewal_bad_input(lab, api, body, fields):
    client, headers = api("metering_tech")
    response = client.post(f"/api/v1/equipment/{lab.bench.id}/calibrations", headers=headers, json=body)
    assert response.status_code == 422 and set(response.json["errors"]) == fields


def test_api_list_filters(lab, api):
    client, headers = api("metering_head")
    client.post("/api/v1/equipment", json=NEW, headers=headers)
    pending = client.get("/api/v1/equipment?status=pending", headers=headers).json
    assert [i["serial_no"] for i in pending["items"]] == ["EQ-0300"]
    leak = client.get("/api/v1/equipment?kind=leak_bench", headers=headers).json
    assert [i["serial_no"] for i in leak["items"]] == ["EQ-0003"]
    found = client.get("/api/v1/equipment?q=EQ-000", headers=headers).json
    assert found["total"] == 3
    assert client.get("/api/v1/equipment?status=bogus", headers=headers).status_code == 422


# --- pages ------------------------------------------------------------------------------------------

def test_the_head_approves_and_rejects_on_the_equipment_page(lab, login, db):
    tech, head = login("metering_tech"), login("metering_head")
    created = tech.post("/metering/equipment/new", headers=EN, data={
        "name": "标准表法装置", "serial_no": "EQ-0400", "kind": "flow_standard", "calibration_cert": "JZ2026-0400",
        "calibrated_on": "2026-12-01", "calibration_expires_on": "2027-12-01"})
    assert created.status_code == 302
    item = db.session.query(Equipment).filter_by(serial_no="EQ-0400").one()
    page = tech.get(f"/metering/equipment/{item.id}", headers=EN).get_data(as_text=True)
    assert "Awaiting approval" in page and "JZ2026-0400" in page and 'action="/metering/equipment' not in page
    page = head.get(f"/metering/equipment/{item.id}", headers=EN).get_data(as_text=True)
    assert f'action="/metering/equipment/{item.id}/approve"' in page
    listing = head.get("/metering/equipment?status=pending&all=1", headers=EN).get_data(as_text=True)
    assert "EQ-0400" in listing and "EQ-0001" not in listing
    home = head.get("/", headers=EN).get_data(as_text=True)
    assert "Equipment awaiting your approval" in home
    assert tech.post(f"/metering/equipment/{item.id}/approve").status_code == 403
    empty = head.post(f"/metering/equipment/{item.id}/reject", data={"reason": ""}, headers=EN)
    assert empty.status_code == 422 and "Say why it is rejected." in empty.get_data(as_text=True)
    assert head.post(f"/metering/equipment/{item.id}/approve").status_code == 302
    db.session.expire_all()
    assert db.session.get(Equipment, item.id).status == "approved"
    again = head.post(f"/metering/equipment/{item.id}/approve", headers=EN, follow_redirects=True)
    assert "Nothing of this equipment waits for approval." in again.get_data(as_text=True)


def test_renewal_page_keeps_what_was_typed_and_stores_the_certificate_photo(lab, login, db):
    tech = login("metering_tech")
    url = f"/metering/equipment/{lab.bench.id}/renew"
    assert tech.get(url).status_code == 200
    bad = tech.post(url, headers=EN, data={"calibration_cert": "JZ2027-0815", "calibrated_on": "2026-13-45",
                                           "calibration_expires_on": "2027-12-01"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'value="JZ2027-0815"' in body and 'value="2026-13-45"' in body
    future = tech.post(url, headers=EN, data={"calibration_cert": "JZ2027-0815", "calibrated_on": "2027-01-01",
                                              "calibration_expires_on": "2027-12-01"})
    assert future.status_code == 422 and "cannot be in the future" in future.get_data(as_text=True)
    not_a_picture = tech.post(url, headers=EN, content_type="multipart/form-data", data={
        "calibration_cert": "JZ2027-0815", "calibrated_on": "2026-12-01", "calibration_expires_on": "2027-12-01",
        "certificate_photo": (io.BytesIO(b"%PDF-1.4 nope"), "cert.pdf")})
    assert not_a_picture.status_code == 422 and 'value="JZ2027-0815"' in not_a_picture.get_data(as_text=True)
    assert db.session.query(EquipmentCalibration).count() == 0
    ok = tech.post(url, content_type="multipart/form-data", data={
        "calibration_cert": "JZ2027-0815", "calibrated_on": "2026-12-01", "calibration_expires_on": "2027-12-01",
        "certificate_photo": (io.BytesIO(factories.jpeg()), "cert.jpg")})
    assert ok.status_code == 302
    row = db.session.query(EquipmentCalibration).one()
    assert row.upload_id and row.status == "pending"
    assert tech.get(f"/uploads/{row.upload_id}").status_code == 200
    assert login("meter_reader").get(f"/uploads/{row.upload_id}").status_code == 404
    page = tech.get(f"/metering/equipment/{lab.bench.id}", headers=EN).get_data(as_text=True)
    assert "certificate scan" in page and "keeps the equipment usable up to its own due date" in page
    again = tech.get(url, headers=EN, follow_redirects=True).get_data(as_text=True)
    assert "already waits for the metering head" in again


def test_test_form_asks_for_the_leak_bench_and_offers_only_approved_kinds(lab, login, db):
    from tests.metering.test_pages import test_form
    _new_pending = Equipment(name="待批准装置", serial_no="EQ-0500", calibration_cert="X",
                             calibration_expires_on=lab.today + timedelta(days=100))  # model default: pending
    db.session.add(_new_pending)
    db.session.commit()
    tech = login("metering_tech")
    page = tech.get("/metering/tests/new?serial_no=LAB-S0001", headers=EN).get_data(as_text=True)
    flow_select = page[page.index('id="f-equipment_id"'):page.index('id="f-leak_equipment_id"')]
    assert "EQ-0001" in flow_select and "EQ-0003" not in flow_select and "EQ-0500" not in flow_select
    leak_select = page[page.index('id="f-leak_equipment_id"'):]
    assert "EQ-0003" in leak_select.split("</select>")[0]
    form = test_form(lab)
    form.pop("leak_equipment_id")
    missing = tech.post("/metering/tests/new", data=form, headers=EN)
    body = missing.get_data(as_text=True)
    assert missing.status_code == 422 and "Choose the leak-test bench." in body and 'value="20.1"' in body
    wrong = tech.post("/metering/tests/new", data=test_form(lab, leak_equipment_id=str(lab.bench.id)), headers=EN)
    assert wrong.status_code == 422 and "this needs a Leak and pressure bench" in wrong.get_data(as_text=True)
    assert tech.post("/metering/tests/new", data=test_form(lab), headers=EN).status_code == 302
    test = db.session.query(MeterTest).one()
    assert test.leak_equipment_id == lab.leak_bench.id
    shown = tech.get(f"/metering/tests/{test.id}", headers=EN).get_data(as_text=True)
    assert "Leak and pressure bench" in shown and "EQ-0003" in shown


@pytest.mark.parametrize("value", [10**30, -1, {"id": 3}, "abc", True])
def test_api_hostile_leak_equipment_id(lab, api, value):
    client, headers = api("metering_tech")
    response = client.post("/api/v1/meter-tests", headers=headers,
                           json=payload(lab.stock, lab.bench, leak_equipment_id=value))
    assert response.status_code == 422  # a number too big for any column is refused before the schema
    assert set(response.json["errors"]) == ({"_schema"} if value == 10**30 else {"leak_equipment_id"})


def test_api_hostile_approve_and_reject(lab, api):
    head, headers = api("metering_head")
    assert head.post("/api/v1/equipment/999999/approve", headers=headers).status_code == 404
    assert head.post(f"/api/v1/equipment/{lab.bench.id}/reject", headers=headers,
                     json={"reason": ["x"]}).status_code == 422
    assert head.post(f"/api/v1/equipment/{lab.bench.id}/reject", headers=headers,
                     json={"reason": "无待批准内容"}).status_code == 409


def test_a_document_issued_after_a_renewal_names_the_certificate_of_the_test(lab, en_request, db):
    head, tech = lab.staff["metering_head"], lab.staff["metering_tech"]
    item = _new(lab, serial="EQ-0600")
    equipment.approve(head, item)
    test = _record(lab, item, leak=lab.leak_bench)
    equipment.renew(tech, item, {"calibration_cert": "JZ2027-0600", "calibrated_on": lab.today,
                                 "calibration_expires_on": lab.today + timedelta(days=720)})
    equipment.approve(head, item)
    assert item.calibration_cert == "JZ2027-0600"
    assert equipment.certificate_at(item, test.tested_at)[0] == "JZ2026-0100"
    doc = documents.issue(head, test, lab.staff["metering_tech2"].id)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(doc.pdf)).pages))
    assert "JZ2026-0100" in text and "JZ2027-0600" not in text
    assert "JY2026-0303" in text  # the leak bench has no history rows: its current certificate
