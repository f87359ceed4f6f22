"""The contractor register and permits: an expired licence blocks a permit (422 naming the field), a
chief sees only their district's permits, the API, pages keep what was typed, history and export."""
from datetime import timedelta
from io import BytesIO

import pytest

from fieldsvc import clock
from fieldsvc.audit import history
from fieldsvc.contractors.models import Permit
from fieldsvc.contractors.services import permits, register
from fieldsvc.errors import Invalid, NotFound
from tests import factories


@pytest.fixture
def en_request(app):
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        yield


def _contractor(staff, days=200, name="安信燃气工程有限公司"):
    return register.create_contractor(staff["safety_officer"], {
        "name": name, "licence_no": "JZ-2023-0187", "licence_expires_on": clock.today() + timedelta(days=days),
        "scope": "户内燃气管道改装", "supervisor_ids": [staff["pipe_fitter"].id]})


def test_expired_licence_blocks_a_permit(staff, db, en_request):
    expired = _contractor(staff, days=-1)
    customer = factories.customer(district=staff["station_chief"].district, commit=False)
    today = clock.today()
    with pytest.raises(Invalid) as exc:
        permits.issue_permit(staff["station_chief"], {"contractor_id": expired.id, "customer_id": customer.id,
                                                      "work": "表位移", "valid_from": today, "valid_to": today})
    assert list(exc.value.errors) == ["contractor_id"]
    assert "expired" in exc.value.errors["contractor_id"][0]
    assert db.session.query(Permit).count() == 0


def test_a_permit_may_not_outlast_the_licence(staff, db, en_request):
    firm = _contractor(staff, days=5)
    today = clock.today()
    with pytest.raises(Invalid) as exc:
        permits.issue_permit(staff["safety_officer"], {"contractor_id": firm.id, "address": "人民路1号",
                                                       "district_id": staff["station_chief"].district_id,
                                                       "work": "检漏", "valid_from": today,
                                                       "valid_to": today + timedelta(days=6)})
    assert list(exc.value.errors) == ["valid_to"]


def test_a_chief_issues_and_sees_own_district_only(staff, db, en_request):
    firm = _contractor(staff)
    chief, other_chief = staff["station_chief"], staff["station_chief2"]
    customer = factories.customer(district=chief.district, commit=False)
    today = clock.today()
    permit = permits.issue_permit(chief, {"contractor_id": firm.id, "customer_id": customer.id, "work": "表位移",
                                          "valid_from": today, "valid_to": today + timedelta(days=2)})
    assert permit.number.startswith("XK") and permit.district_id == chief.district_id
    assert permit.address == customer.address and permit.supervisor_id == staff["pipe_fitter"].id
    assert other_chief.district_id != chief.district_id
    with pytest.raises(NotFound):
        permits.get_permit(other_chief, permit.id)
    assert permits.list_permits(other_chief)[1] == 0
    with pytest.raises(Invalid) as exc:  # another district's customer
        permits.issue_permit(other_chief, {"contractor_id": firm.id, "customer_id": customer.id, "work": "x",
                                           "valid_from": today, "valid_to": today})
    assert "customer_id" in exc.value.errors
    permits.finish(chief, permit, "closed", "完工")
    assert [e.action for e in history(permits.ENTITY, permit.id)] == ["permit.issue", "permit.close"]


def test_edit_keeps_a_history(staff, db, en_request):
    firm = _contractor(staff)
    register.update_contractor(staff["director"], firm, {"licence_no": "JZ-2026-0001", "supervisor_ids": []})
    actions = [e.action for e in history(register.ENTITY, firm.id)]
    assert actions == ["contractor.create", "contractor.supervisors", "contractor.update", "contractor.supervisors"]


def test_api_create_and_list(staff, db, api):
    client, headers = api("safety_officer")
    body = {"name": "恒通管道检测", "licence_no": "JC-2024-0032", "licence_expires_on": "2030-01-01",
            "scope": "检漏"}
    created = client.post("/api/v1/contractors", json=body, headers=headers)
    assert created.status_code == 201, created.json
    assert created.json["licence_state"] == "valid"
    listed = client.get("/api/v1/contractors", headers=headers).json
    assert listed["total"] == 1 and listed["items"][0]["name"] == "恒通管道检测"
    for bad, field in (({**body, "licence_expires_on": "2026-13-45"}, "licence_expires_on"),
                       ({**body, "licence_expires_on": "0000-00-00"}, "licence_expires_on"),
                       ({**body, "name": {"nested": 1}}, "name"), ({**body, "name": "恒通管道检测"}, "name")):
        response = client.post("/api/v1/contractors", json=bad, headers=headers)
        assert response.status_code == 422, (bad, response.json)
        assert field in str(response.json)
    chief, chief_headers = api("station_chief")
    assert chief.post("/api/v1/contractors", json=body, headers=chief_headers).status_code == 403
    reader, reader_headers = api("meter_reader")
    assert reader.get("/api/v1/contractors", headers=reader_headers).status_code == 403


def test_pages_keep_what_was_typed(staff, db, login):
    client = login("safety_officer")
    response = client.post("/contractors/new", data={"name": "诚达防腐", "licence_no": "JZ-1",
                                                     "licence_expires_on": "2026-13-45", "scope": "刷漆"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "诚达防腐" in page and "2026-13-45" in page
    ok = client.post("/contractors/new", data={"name": "诚达防腐", "licence_no": "JZ-1",
                                               "licence_expires_on": "2020-01-01", "scope": "刷漆"})
    assert ok.status_code == 302
    contractor_id = int(ok.location.rsplit("/", 1)[1])
    chief = login("station_chief")
    page = chief.post("/contractors/permits/new", data={"contractor_id": contractor_id, "address": "人民路8号",
                                                        "work": "刷漆", "valid_from": clock.today().isoformat(),
                                                        "valid_to": clock.today().isoformat()},
                       headers={"Accept-Language": "en"})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "expired" in text and "人民路8号" in text
    assert "expired" in chief.get(f"/contractors/{contractor_id}", headers={"Accept-Language": "en"}
                                  ).get_data(as_text=True).lower()


def test_xlsx_export(staff, db, login, en_request):
    from openpyxl import load_workbook
    _contractor(staff, days=-3, name="=cmd|' /C calc'!A0")
    db.session.commit()
    response = login("director").get("/contractors/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    assert sheet.cell(3, 1).value == "=cmd|' /C calc'!A0" and sheet.cell(3, 1).data_type == "s"
    assert login("station_chief").get("/contractors/permits/export.xlsx").status_code == 200

