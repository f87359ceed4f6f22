"""The pages: the inspection form (422 keeps what was typed), the record, the notice PDF, hazards, the
archive, the plan and batches, refusals, sampling."""
import io

import pytest

from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.dispatch.services import orders
from fieldsvc.inspections.models import BatchCustomer, Hazard, Inspection
from tests.inspections.conftest import make_customer


def _form(**extra):
    data = {"outcome": "completed", "static_pa": "2100", "working_pa": "1980"}
    data.update(extra)
    return data


def test_form_page_lists_the_checklist_in_walking_order(login, customer):
    page = login("repair_tech").get(f"/inspections/new/{customer.id}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index("Gas leak detected") < html.index("Hose aged") < html.index("in a bedroom")
    assert "Catering premises" not in html  # not a catering customer
    assert 'data-bands="' in html and "1500" in html
    assert "js/inspections.js" in html and "js/signature.js" in html


def test_form_records_a_hazard_with_photo_and_signature(login, customer, db, jpeg, signature_url):
    client = login("repair_tech")
    appliance_id = customer.appliances[0].id
    response = client.post(f"/inspections/new/{customer.id}", content_type="multipart/form-data", data=_form(
        item_hose_aged="hazard", note_hose_aged="胶管龟裂", item_leak_detected="ok", signature=signature_url,
        **{f"appliance_{appliance_id}": "1", "photo_hose_aged": (io.BytesIO(jpeg()), "hose.jpg")}))
    assert response.status_code == 302, response.get_data(as_text=True)
    inspection = db.session.query(Inspection).one()
    assert inspection.signature_id and inspection.pressure_verdict == "normal"
    result = next(r for r in inspection.results if r.code == "hose_aged")
    assert not result.ok and result.photo_id and result.note == "胶管龟裂"
    assert len(inspection.results) == 20  # every applicable item answered
    show = client.get(response.location)
    assert show.status_code == 200 and "胶管龟裂" in show.get_data(as_text=True)
    photo = client.get(f"/uploads/{result.photo_id}")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert login("card_clerk").get(f"/uploads/{result.photo_id}").status_code == 404


def test_refused_form_keeps_what_was_typed(login, customer, db):
    client = login("repair_tech")
    response = client.post(f"/inspections/new/{customer.id}", data=_form(
        item_leak_detected="hazard", note_leak_detected="表前阀漏气", working_pa="abc"),
        headers={"Accept-Language": "en"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "表前阀漏气" in html and 'value="abc"' in html
    assert "Not a valid integer" in html
    assert db.session.query(Inspection).count() == 0


def test_errors_of_an_item_and_a_new_appliance_show_at_their_fields(login, customer, db):
    client = login("repair_tech")
    response = client.post(f"/inspections/new/{customer.id}", data=_form(
        item_hose_aged="hazard", note_hose_aged="x" * 301, new_kind="stove", new_sold_on="31/02/2020"),
        headers={"Accept-Language": "en"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="e-note_hose_aged"' in html and "Longer than maximum length 300" in html
    assert 'id="e-new_sold_on"' in html and "Not a valid date" in html
    assert db.session.query(Inspection).count() == 0


def test_grade_a_without_shut_off_is_refused_on_the_form(login, customer, db):
    client = login("repair_tech")
    response = client.post(f"/inspections/new/{customer.id}", data=_form(item_leak_detected="hazard"),
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "shut off the supply" in html and "signs the hazard notice" in html
    assert db.session.query(Inspection).count() == 0


def test_fields_of_another_outcome_are_ignored(login, customer, db):
    client = login("meter_reader")
    response = client.post(f"/inspections/new/{customer.id}", data={
        "outcome": "nobody_home", "card_left": "1", "working_pa": "2000", "item_hose_aged": "hazard"})
    assert response.status_code == 302
    inspection = db.session.query(Inspection).one()
    assert (inspection.outcome, inspection.card_left, inspection.working_pa) == ("nobody_home", True, None)


def test_notice_pdf(login, customer, db, signature_url):
    client = login("repair_tech")
    client.post(f"/inspections/new/{customer.id}", data=_form(item_hose_aged="hazard", signature=signature_url))
    inspection = db.session.query(Inspection).one()
    response = client.get(f"/inspections/{inspection.id}/notice.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    from pypdf import PdfReader
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "隐患整改通知书" in text.replace(" ", "") and inspection.notice_no in text


def test_pipe_fitter_rectifies_and_officer_rechecks_through_the_pages(login, customer, db, staff, jpeg,
                                                                     signature_url):
    login("repair_tech").post(f"/inspections/new/{customer.id}",
                              data=_form(item_hose_aged="hazard", signature=signature_url))
    hazard = db.session.query(Hazard).one()
    order = db.session.get(WorkOrder, hazard.work_order_id)
    orders.assign(staff["station_chief"], order.id, staff["pipe_fitter"].id, order.version)
    db.session.commit()
    fitter = login("pipe_fitter")
    mine = fitter.get("/inspections/rectifications").get_data(as_text=True)
    assert f"/inspections/hazards/{hazard.id}" in mine
    page = fitter.get(f"/inspections/hazards/{hazard.id}").get_data(as_text=True)
    assert f"/dispatch/orders/{order.id}" in page  # on site first
    for to in ("accepted", "en_route", "on_site"):
        orders.transition(staff["pipe_fitter"], order.id, to, order.version)
    db.session.commit()
    refused = fitter.post(f"/inspections/hazards/{hazard.id}/rectify", content_type="multipart/form-data",
                          data={"version": str(order.version),
                                "photo_before": (io.BytesIO(jpeg()), "b.jpg")})
    assert refused.status_code == 422
    done = fitter.post(f"/inspections/hazards/{hazard.id}/rectify", content_type="multipart/form-data",
                       data={"version": str(order.version), "work_notes": "更换波纹管",
                             "photo_before": (io.BytesIO(jpeg()), "b.jpg"),
                             "photo_after": (io.BytesIO(jpeg((0, 200, 0))), "a.jpg")})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Hazard, hazard.id).status == "awaiting_recheck"
    officer = login("safety_officer")
    assert f"/inspections/hazards/{hazard.id}" in officer.get("/inspections/rechecks").get_data(as_text=True)
    closed = officer.post(f"/inspections/hazards/{hazard.id}/recheck", data={"result": "pass"})
    assert closed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Hazard, hazard.id).status == "closed"
    archive = officer.get(f"/inspections/customers/{customer.id}").get_data(as_text=True)
    for word in ("/inspections/hazards/", f"#{order.id}"):
        assert word in archive
    timeline = officer.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert f"/inspections/{hazard.inspection_id}" in timeline


def test_plan_page_and_a_batch(login, staff, db):
    for n in range(5):
        make_customer(db, f"6200000{n}")
    client = login("safety_officer")
    page = client.get("/inspections/plan")
    assert page.status_code == 200 and all(f"6200000{n}" in page.get_data(as_text=True) for n in range(5))
    district_id = make_customer(db, "62000099").district_id
    response = client.post("/inspections/plan/batches", data={
        "district_id": district_id, "assignee_id": staff["meter_reader"].id, "size": "3", "status": "both"})
    assert response.status_code == 302
    assert db.session.query(BatchCustomer).count() == 3
    reader = login("meter_reader")
    assert "3" in reader.get("/inspections/").get_data(as_text=True)
    batch_page = reader.get(response.location)
    assert batch_page.status_code == 200 and batch_page.get_data(as_text=True).count("/inspections/new/") == 3
    assert login("repair_tech").get(response.location).status_code == 404
    bad = client.post("/inspections/plan/batches", data={"district_id": district_id,
                                                        "assignee_id": staff["pipe_fitter"].id, "size": "3"})
    assert bad.status_code == 422


@pytest.fixture
def visited(login, customer, db, signature_url):
    """Two visits by the repair technician: an aged hose at `customer` (61000001), a refusal next door."""
    client = login("repair_tech")
    assert client.post(f"/inspections/new/{customer.id}",
                       data=_form(item_hose_aged="hazard", signature=signature_url)).status_code == 302
    neighbour = make_customer(db, "61000002")
    refused = client.post(f"/inspections/new/{neighbour.id}", data={
        "outcome": "refused", "refused_by": "户主本人", "refusal_reason": "家中有老人休息"})
    assert refused.status_code == 302, refused.get_data(as_text=True)
    return customer, neighbour


@pytest.mark.parametrize("url, shown, not_shown", [
    ("/inspections/refusals", ("61000002", "户主本人", "家中有老人休息"), ("61000001",)),
    ("/inspections/hazards?view=all", ("61000001", "Hose aged"), ("61000002",)),
    ("/inspections/plan", ("61000001", "Inspected this cycle", "61000002", "Due this cycle"), ()),
    ("/inspections/plan?cycle=-1&status=overdue", ("Inspection overdue", "Nothing here."), ("61000001", "61000002")),
])
def test_officer_pages(login, visited, url, shown, not_shown):
    page = login("safety_officer").get(url, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in shown:
        assert text in html, text
    for text in not_shown:
        assert text not in html, text


def test_sampling_draw_review_and_csv(login, staff, db):
    customers = [make_customer(db, f"6300000{n}") for n in range(4)]
    chief = login("station_chief")
    for c in customers[:3]:
        assert chief.post("/inspections/sampling/points", data={"account_no": c.account_no}).status_code == 302
    assert chief.post("/inspections/sampling/points", data={"account_no": "nope"}).status_code == 422
    assert chief.post("/inspections/sampling/draw", data={"n": "2"}).status_code == 302
    drawn = db.session.query(WorkOrder).filter_by(type="pressure_check").all()
    assert len(drawn) == 2
    order = drawn[0]
    orders.assign(staff["station_chief"], order.id, staff["repair_tech"].id, order.version)
    for to in ("accepted", "en_route", "on_site"):
        orders.transition(staff["repair_tech"], order.id, to, order.version)
    orders.transition(staff["repair_tech"], order.id, "completed", order.version,
                      completion={"results": {"static_pa": 1600, "working_pa": 1400}})
    db.session.commit()
    page = chief.get("/inspections/sampling").get_data(as_text=True)
    assert "is-hazard" in page  # the low reading is highlighted
    csv = chief.get("/inspections/sampling/report.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("day,account_no") and len(lines) == 3
    low = next(line for line in lines if f",{order.id}," in line)
    assert ",1600,1400,1500,3000,low,0,1" in low
    assert chief.post("/inspections/sampling/draw", data={"n": "5"}).status_code == 302  # the one left
    assert chief.post("/inspections/sampling/draw", data={"n": "5"}).status_code == 422  # none left today
    assert login("repair_tech").get("/inspections/sampling").status_code == 403
