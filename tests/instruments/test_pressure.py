"""A pressure read with an instrument past its calibration due date is refused (422 naming instrument_id),
on both paths (an inspection, a job's completion) and both doors (the API, the phone form, which keeps
what was typed); the inspection, the hazard notice and the job sheet name the instrument used."""
import io

import pytest
from pypdf import PdfReader

from fieldsvc.dispatch.models import Completion
from fieldsvc.inspections.models import Inspection
from tests import factories

EN = {"Accept-Language": "en"}


@pytest.fixture
def household(staff, db):
    return factories.customer("61000001", gas="NG", appliances=[("stove", 730)])


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# --- the inspection ---------------------------------------------------------------------------------

def test_inspection_api_refuses_an_overdue_manometer(api, household, make_instrument, db):
    overdue, good = make_instrument(due_in=-1, serial="YL-OLD"), make_instrument(due_in=30, serial="YL-OK")
    client, headers = api("repair_tech")
    body = {"customer_id": household.id, "outcome": "completed", "static_pa": 2100, "working_pa": 1990}
    refused = client.post("/api/v1/inspections", headers=headers, json={**body, "instrument_id": overdue.id})
    assert refused.status_code == 422 and "YL-OLD" in refused.json["errors"]["instrument_id"][0]
    assert db.session.query(Inspection).count() == 0
    for bad in ("abc", {"id": 1}, 10**12, 0, 10**6):
        response = client.post("/api/v1/inspections", headers=headers, json={**body, "instrument_id": bad})
        assert response.status_code == 422 and "instrument_id" in response.json["errors"]
    older_client = client.post("/api/v1/inspections", headers=headers, json=body)  # optional for older clients
    assert older_client.status_code == 201 and older_client.json["instrument_id"] is None
    done = client.post("/api/v1/inspections", headers=headers, json={**body, "instrument_id": good.id})
    assert done.status_code == 201 and done.json["instrument_id"] == good.id


def test_a_visit_without_pressure_ignores_the_instrument(api, household, make_instrument, db):
    overdue = make_instrument(due_in=-1)
    client, headers = api("repair_tech")
    response = client.post("/api/v1/inspections", headers=headers, json={
        "customer_id": household.id, "outcome": "nobody_home", "instrument_id": overdue.id})
    assert response.status_code == 201 and response.json["instrument_id"] is None


def test_inspection_form_preselects_refuses_and_keeps_what_was_typed(login, household, make_instrument, db):
    make_instrument(due_in=-1, serial="YL-OLD")
    good = make_instrument(due_in=30, serial="YL-OK")
    client = login("repair_tech")
    page = client.get(f"/inspections/new/{household.id}", headers=EN).get_data(as_text=True)
    assert f'<option value="{good.id}" selected>' in page and "YL-OLD" in page
    overdue = make_instrument(due_in=-1, serial="YL-OLD2", holder="repair_tech")
    response = client.post(f"/inspections/new/{household.id}", headers=EN, data={
        "outcome": "completed", "static_pa": "2100", "working_pa": "1987", "instrument_id": str(overdue.id),
        "note": "灶前压力正常"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "was due for calibration" in page and 'value="1987"' in page and "灶前压力正常" in page
    assert f'<option value="{overdue.id}" selected>' in page
    assert db.session.query(Inspection).count() == 0
    done = client.post(f"/inspections/new/{household.id}", data={
        "outcome": "completed", "static_pa": "2100", "working_pa": "1987", "instrument_id": str(good.id)})
    assert done.status_code == 302
    inspection = db.session.query(Inspection).one()
    assert inspection.instrument_id == good.id
    shown = client.get(f"/inspections/{inspection.id}", headers=EN).get_data(as_text=True)
    assert "YL-OK" in shown
    notice = client.get(f"/inspections/{inspection.id}/notice.pdf")
    assert notice.status_code == 200 and "YL-OK" in _text(notice.data)


# --- the job's completion ---------------------------------------------------------------------------

PURGE_OK = {"test_pressure_kpa": "5.0", "test_duration_min": "15", "pressure_drop_kpa": "0", "test_result": "pass",
            "purge_confirmed": "1", "burners_lit": "1", "flame_failure_checked": "1", "opening_reading": "0.005",
            "seal_no": "QF-20261127", "safety_briefing": "1"}


def test_order_completion_api_refuses_an_overdue_manometer(api, login, make_order, make_instrument, db):
    order = make_order("pressure_check", assignee="repair_tech", status="on_site")
    overdue, good = make_instrument(due_in=-1, serial="YL-OLD"), make_instrument(due_in=30, serial="YL-OK")
    client, headers = api("repair_tech")
    url = f"/api/v1/work-orders/{order.id}/transition"
    body = {"to": "completed", "version": order.version, "work_notes": "灶前压力"}
    refused = client.post(url, headers=headers, json={**body, "results": {"static_pa": 2100,
                                                                          "instrument_id": overdue.id}})
    assert refused.status_code == 422 and "YL-OLD" in refused.json["errors"]["instrument_id"][0]
    bad = client.post(url, headers=headers, json={**body, "results": {"static_pa": 2100, "instrument_id": "x"}})
    assert bad.status_code == 422 and "instrument_id" in bad.json["errors"]
    done = client.post(url, headers=headers, json={**body, "results": {"static_pa": 2100, "working_pa": 1990,
                                                                       "instrument_id": good.id}})
    assert done.status_code == 200, done.json
    completion = db.session.query(Completion).filter_by(work_order_id=order.id).one()
    assert completion.results["instrument_id"] == good.id
    sheet = login("repair_tech").get(f"/dispatch/orders/{order.id}/job-sheet.pdf", headers=EN)
    assert sheet.status_code == 200 and "YL-OK" in _text(sheet.data)


def test_purge_ignition_tightness_test_needs_a_manometer_in_calibration(api, make_order, make_instrument, staff,
                                                                        db):
    from fieldsvc.readings.services import billing
    billing.seed_tariffs()
    order = make_order("purge_ignition", assignee="repair_tech", status="on_site")
    overdue = make_instrument(due_in=-1)
    client, headers = api("repair_tech")
    response = client.post(f"/api/v1/work-orders/{order.id}/transition", headers=headers, json={
        "to": "completed", "version": order.version, "no_signature_reason": "用户外出",
        "results": {**PURGE_OK, "instrument_id": overdue.id}})
    assert response.status_code == 422 and "instrument_id" in response.json["errors"]


def test_completion_form_preselects_refuses_and_keeps_what_was_typed(login, make_order, make_instrument, db):
    order = make_order("pressure_check", assignee="repair_tech", status="on_site")
    good = make_instrument(due_in=30, serial="YL-OK")
    client = login("repair_tech")
    url = f"/dispatch/orders/{order.id}/complete"
    page = client.get(url, headers=EN).get_data(as_text=True)
    assert f'<option value="{good.id}" selected>' in page
    overdue = make_instrument(due_in=-1, serial="YL-OLD")
    response = client.post(url, headers=EN, data={"version": str(order.version), "static_pa": "2150",
                                                   "working_pa": "1900", "instrument_id": str(overdue.id),
                                                   "work_notes": "测压"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "was due for calibration" in page and 'value="2150"' in page and "测压" in page
    assert f'<option value="{overdue.id}" selected>' in page
    done = client.post(url, data={"version": str(order.version), "static_pa": "2150", "working_pa": "1900",
                                  "instrument_id": str(good.id)})
    assert done.status_code == 302
    order_page = client.get(f"/dispatch/orders/{order.id}", headers=EN).get_data(as_text=True)
    assert "YL-OK" in order_page


def test_completion_without_pressure_ignores_the_preselected_instrument(login, make_order, make_instrument, db):
    order = make_order("pressure_check", assignee="repair_tech", status="on_site")
    overdue = make_instrument(due_in=-1)
    response = login("repair_tech").post(f"/dispatch/orders/{order.id}/complete", data={
        "version": str(order.version), "instrument_id": str(overdue.id)})
    assert response.status_code == 302
    assert "instrument_id" not in db.session.query(Completion).filter_by(work_order_id=order.id).one().results
