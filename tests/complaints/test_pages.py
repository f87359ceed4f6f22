"""The staff pages: intake, the list and the escalations, the complaint page and its forms (422 keeps
what was typed, 409 shows the conflict), follow-ups, the analysis and improvement actions."""
import pytest

from fieldsvc.complaints.models import Complaint
from fieldsvc.dispatch.models import WorkOrder
from tests.complaints.conftest import EN

NEW = {"channel": "counter", "category": "attitude", "description": "营业员态度恶劣", "contact_name": "赵六",
       "contact_phone": "13700000000"}


@pytest.mark.parametrize("role", ["director", "station_chief", "statistician", "repair_tech", "card_clerk"])
def test_every_role_can_take_a_complaint(staff, customers, login, db, role):
    client = login(role)
    assert client.get("/complaints/new", headers=EN).status_code == 200
    response = client.post("/complaints/new", data={**NEW, "account_no": customers[0].account_no}, headers=EN)
    assert response.status_code == 302
    complaint = db.session.query(Complaint).one()
    assert complaint.owner_id == staff[role].id and complaint.customer_id == customers[0].id
    page = client.get(response.location, headers=EN).get_data(as_text=True)
    assert complaint.tracking_no in page and "营业员态度恶劣" in page
    assert client.get("/complaints/mine", headers=EN).status_code == 200


def test_intake_form_keeps_what_was_typed(staff, login):
    response = login("station_chief").post("/complaints/new", data={**NEW, "account_no": "00000000",
                                                                     "contact_phone": "x"}, headers=EN)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "营业员态度恶劣" in html and "赵六" in html and 'id="e-contact_phone"' in html


def test_list_shows_escalations_to_the_director(make_complaint, shift, login):
    late = make_complaint(category="safety")
    shift(late, 5)
    make_complaint()
    html = login("director").get("/complaints/", headers=EN).get_data(as_text=True)
    escalated = html.split('id="h-escalated"')[1].split("</section>")[0]
    assert late.tracking_no in escalated and escalated.count("list-row") == 1
    chief = login("station_chief").get("/complaints/?view=overdue", headers=EN).get_data(as_text=True)
    assert 'id="h-escalated"' not in chief and late.tracking_no in chief


def test_field_staff_list_is_their_own(make_complaint, login):
    mine = make_complaint("repair_tech")
    other = make_complaint("pipe_fitter")
    html = login("repair_tech").get("/complaints/?view=all", headers=EN).get_data(as_text=True)
    assert mine.tracking_no in html and other.tracking_no not in html
    assert login("repair_tech").get(f"/complaints/{other.id}").status_code == 404


def test_contact_form_routes_and_starts_the_order(make_complaint, login, db):
    c = make_complaint()
    client = login("station_chief")
    html = client.get(f"/complaints/{c.id}", headers=EN).get_data(as_text=True)
    assert 'id="form-contacted"' in html and 'value="meter_verification" selected' in html
    response = client.post(f"/complaints/{c.id}/transition", headers=EN, data={
        "to": "contacted", "version": c.version, "department": "metering_office",
        "order_type": "meter_verification", "note": "已电话联系"})
    assert response.status_code == 302
    db.session.refresh(c)
    assert c.status == "contacted" and c.work_order_id
    html = client.get(f"/complaints/{c.id}", headers=EN).get_data(as_text=True)
    assert 'data-order-status="new"' in html and f"/dispatch/orders/{c.work_order_id}" in html


def test_propose_form_error_keeps_what_was_typed(make_complaint, login):
    c = make_complaint(upto="investigating")
    response = login("station_chief").post(f"/complaints/{c.id}/transition", headers=EN, data={
        "to": "solution_proposed", "version": c.version, "cause": "meter_fault", "cause_detail": "误差 +4.2 %",
        "compensation_1": "-5"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "误差 +4.2 %" in html and 'id="e-solution_1"' in html
    response = login("station_chief").post(f"/complaints/{c.id}/transition", headers=EN, data={
        "to": "solution_proposed", "version": c.version, "cause": "meter_fault", "solution_1": "换表",
        "compensation_1": "abc"})
    assert response.status_code == 422 and 'id="e-compensation_1"' in response.get_data(as_text=True)


def test_director_approves_on_the_page(make_complaint, login, db):
    c = make_complaint(upto="solution_proposed")
    chief_html = login("station_chief").get(f"/complaints/{c.id}", headers=EN).get_data(as_text=True)
    assert 'id="form-solution_approved"' not in chief_html and "Waiting for the director" in chief_html
    director = login("director")
    html = director.get(f"/complaints/{c.id}", headers=EN).get_data(as_text=True)
    assert 'id="form-solution_approved"' in html
    second = c.current_solutions[1]
    assert login("station_chief").post(f"/complaints/{c.id}/transition", data={
        "to": "solution_approved", "solution_id": second.id}).status_code == 403
    response = director.post(f"/complaints/{c.id}/transition", headers=EN,
                             data={"to": "solution_approved", "version": c.version, "solution_id": second.id})
    assert response.status_code == 302
    db.session.refresh(c)
    assert c.status == "solution_approved" and c.approved_solution.id == second.id


def test_stale_and_illegal_moves_show_the_conflict(make_complaint, login):
    c = make_complaint()
    client = login("station_chief")
    response = client.post(f"/complaints/{c.id}/transition", headers=EN,
                           data={"to": "contacted", "version": c.version + 3, "department": "service_station"})
    assert response.status_code == 409 and "Reload" in response.get_data(as_text=True)
    response = client.post(f"/complaints/{c.id}/transition", headers=EN, data={"to": "closed"})
    assert response.status_code == 409


def test_followup_page_and_form(make_complaint, login, db):
    c = make_complaint(upto="closed")
    client = login("station_chief")
    assert c.tracking_no in client.get("/complaints/followups", headers=EN).get_data(as_text=True)
    assert 'id="form-followup"' in client.get(f"/complaints/{c.id}", headers=EN).get_data(as_text=True)
    assert client.post(f"/complaints/{c.id}/followup", data={"satisfaction": "9"}, headers=EN).status_code == 422
    response = client.post(f"/complaints/{c.id}/followup", data={"satisfaction": "1", "comments": "没解决"},
                           headers=EN)
    assert response.status_code == 302
    db.session.refresh(c)
    assert c.status == "investigating" and c.satisfaction == 1
    assert c.tracking_no not in client.get("/complaints/followups", headers=EN).get_data(as_text=True)


def test_notes_by_the_owner(make_complaint, login):
    c = make_complaint("meter_reader")
    client = login("meter_reader")
    assert client.post(f"/complaints/{c.id}/note", data={"note": "下午再联系"}).status_code == 302
    assert "下午再联系" in client.get(f"/complaints/{c.id}").get_data(as_text=True)
    assert client.post(f"/complaints/{c.id}/note", data={"note": ""}).status_code == 422
    assert client.post(f"/complaints/{c.id}/transition", data={"to": "contacted"}).status_code == 403


def test_start_order_form(make_complaint, login, db):
    c = make_complaint(upto="contacted")
    client = login("station_chief")
    assert 'id="form-order"' in client.get(f"/complaints/{c.id}", headers=EN).get_data(as_text=True)
    assert client.post(f"/complaints/{c.id}/order", data={"order_type": "repair"}).status_code == 422
    assert client.post(f"/complaints/{c.id}/order", data={"order_type": "meter_verification"}).status_code == 302
    db.session.refresh(c)
    assert db.session.get(WorkOrder, c.work_order_id).type == "meter_verification"


def test_analysis_page(make_complaint, login, staff, db):
    make_complaint(upto="closed")
    make_complaint(category="billing")
    html = login("statistician").get("/complaints/analysis", headers=EN).get_data(as_text=True)
    assert '<strong id="c-total">2</strong>' in html
    assert 'data-code="meter_accuracy"' in html and 'data-code="billing"' in html
    assert 'id="form-improvement"' not in html  # only the director raises actions
    assert login("statistician").get("/complaints/analysis?month=garbage").status_code == 200
    assert login("repair_tech").get("/complaints/analysis").status_code == 403


def test_improvement_action_is_raised_in_hse(make_complaint, login, db, app):
    if "hse" not in app.blueprints:
        pytest.skip("the HSE module is not registered")
    from fieldsvc.hse.models import Nonconformity
    make_complaint()
    client = login("director")
    response = client.post("/complaints/analysis/improvements", headers=EN,
                           data={"month": "2026-11", "title": "计量投诉偏多", "description": "本月表计投诉占 40 %"})
    assert response.status_code == 302 and "month=2026-11" in response.location
    nc = db.session.query(Nonconformity).one()
    assert (nc.origin, nc.source_entity, nc.title) == ("complaint", "complaint_improvement", "计量投诉偏多")
    html = client.get("/complaints/analysis?month=2026-11", headers=EN).get_data(as_text=True)
    assert nc.number in html
    assert client.post("/complaints/analysis/improvements", data={"month": "2026-11", "title": "x"},
                       headers=EN).status_code == 422
    assert login("station_chief").post("/complaints/analysis/improvements",
                                       data={"title": "x", "description": "y"}).status_code == 403
