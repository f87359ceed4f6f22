"""Dispatch pages: the board, the new-order form, the order page and its actions, the job list, completion."""
import io

import pytest

from fieldsvc.dispatch.models import WorkOrder

EN = {"Accept-Language": "en"}


@pytest.fixture
def chief(staff, login):
    return login("station_chief")


def test_board_pins_emergencies_with_clock_and_shows_loads(make_order, chief, staff):
    make_order("repair")
    emergency = make_order("emergency")
    make_order("pressure_check", assignee="repair_tech")
    page = chief.get("/dispatch/", headers=EN).get_data(as_text=True)
    assert 'id="h-emergencies"' in page
    pinned = page.split('id="h-emergencies"')[1].split('id="h-orders"')[0]
    assert f'id="wo-{emergency.id}"' in pinned and 'data-since="' in pinned
    assert "min since the call" in pinned
    assert "Technicians today" in page and staff["repair_tech"].name in page
    assert page.count('class="wo-assign"') >= 2
    assert "js/dispatch.js" in page


def test_board_filters(make_order, chief):
    make_order("repair")
    make_order("meter_box")
    page = chief.get("/dispatch/?type=meter_box", headers=EN).get_data(as_text=True)
    assert "Meter box maintenance #" in page and "Repair #" not in page
    assert chief.get("/dispatch/?status=bogus&type=bogus&district_id=x").status_code == 200


def test_board_assign_picker_offers_only_fitting_roles(make_order, chief, staff):
    order = make_order("rectification")
    page = chief.get("/dispatch/", headers=EN).get_data(as_text=True)
    row = page.split(f'id="wo-{order.id}"')[1].split("</li>")[0]
    picker = row.split("</select>")[0]  # (the helper boxes below it list every field worker)
    assert staff["pipe_fitter"].name in picker and staff["repair_tech"].name not in picker


@pytest.mark.parametrize("role", ["repair_tech", "card_clerk", "meter_reader"])
def test_board_refused_to_others(staff, login, role):
    assert login(role).get("/dispatch/").status_code == 403


def test_new_order_form_keeps_input_on_error(chief):
    response = chief.post("/dispatch/new", data={"type": "repair", "description": "漏气", "account_no": "404404"},
                          headers=EN)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="404404"' in page and "漏气" in page and "No customer has this account number." in page


def test_new_order_form_creates_and_assigns(chief, customers, staff, db):
    response = chief.post("/dispatch/new", data={"type": "emergency", "priority": "urgent", "description": "闻到气味",
                                                 "account_no": customers[0].account_no,
                                                 "assignee_id": staff["repair_tech"].id})
    assert response.status_code == 302
    order = db.session.query(WorkOrder).one()
    assert (order.type, order.status, order.assignee_id) == ("emergency", "assigned", staff["repair_tech"].id)


def test_new_order_prefilled_from_customer_page(chief, customers):
    page = chief.get(f"/dispatch/new?customer_id={customers[1].id}").get_data(as_text=True)
    assert f'value="{customers[1].account_no}"' in page


def test_technician_cannot_open_another_technicians_order(make_order, staff, login):
    theirs = make_order("repair", assignee="repair_tech2")
    client = login("repair_tech")
    assert client.get(f"/dispatch/orders/{theirs.id}").status_code == 404
    assert client.get(f"/dispatch/orders/{theirs.id}/complete").status_code == 404
    assert client.get(f"/dispatch/orders/{theirs.id}/job-sheet.pdf").status_code == 404
    assert client.post(f"/dispatch/orders/{theirs.id}/transition",
                       data={"to": "accepted", "version": theirs.version}).status_code == 404
    assert login("repair_tech2").get(f"/dispatch/orders/{theirs.id}").status_code == 200


def test_job_page_shows_customer_phone_and_history_at_address(make_order, staff, login, customers):
    earlier = make_order("repair", description="去年换过软管")
    order = make_order("repair", assignee="repair_tech")
    page = login("repair_tech").get(f"/dispatch/orders/{order.id}", headers=EN).get_data(as_text=True)
    assert f'href="tel:{customers[0].phone}"' in page
    assert "Before at this address" in page and f"#{earlier.id}" in page
    assert 'value="accepted"' in page and 'value="new"' in page  # accept, reject


def test_technician_actions_through_the_page(make_order, staff, login, db):
    order = make_order("repair", assignee="repair_tech")
    client = login("repair_tech")
    url = f"/dispatch/orders/{order.id}/transition"
    assert client.post(url, data={"to": "accepted", "version": 2}).status_code == 302
    page = client.get(f"/dispatch/orders/{order.id}").get_data(as_text=True)
    assert "data-geo" in page and 'name="lat"' in page
    assert client.post(url, data={"to": "en_route", "version": 3, "lat": "31.2", "lng": "121.4"}).status_code == 302
    assert client.post(url, data={"to": "on_site", "version": 4, "lat": "", "lng": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(WorkOrder, order.id).status == "on_site"


def test_reject_without_reason_is_422_with_message(make_order, login):
    order = make_order("repair", assignee="repair_tech")
    response = login("repair_tech").post(f"/dispatch/orders/{order.id}/transition",
                                         data={"to": "new", "version": order.version}, headers=EN)
    assert response.status_code == 422
    assert "Please give the reason." in response.get_data(as_text=True)


def test_stale_write_on_page_is_409_with_who_and_reload(make_order, staff, login):
    order = make_order("repair")
    other = login("station_chief2")
    other.post(f"/dispatch/orders/{order.id}/assign", data={"assignee_id": staff["repair_tech"].id, "version": 1})
    response = login("station_chief").post(f"/dispatch/orders/{order.id}/assign", headers=EN,
                                           data={"assignee_id": staff["repair_tech2"].id, "version": 1})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert f"Changed by {staff['station_chief2'].name} at" in page and "reload" in page and "Reload" in page


def test_illegal_transition_on_page_is_409(make_order, login):
    order = make_order("repair", assignee="repair_tech")
    response = login("repair_tech").post(f"/dispatch/orders/{order.id}/transition",
                                         data={"to": "on_site", "version": order.version})
    assert response.status_code == 409


def test_my_jobs_today_and_upcoming(make_order, staff, login):
    make_order("emergency", assignee="repair_tech")
    make_order("purge_ignition", assignee="repair_tech")  # due in 3 days
    make_order("repair", assignee="repair_tech2")
    page = login("repair_tech").get("/dispatch/jobs", headers=EN).get_data(as_text=True)
    today, upcoming = page.split('id="h-today"')[1].split('id="h-upcoming"')
    assert "Emergency repair #" in today and "Purge and ignite #" in upcoming
    assert "Repair #" not in page


def _complete_url(order):
    return f"/dispatch/orders/{order.id}/complete"


def test_completion_form_for_purge_ignition(make_order, login):
    order = make_order("purge_ignition", assignee="repair_tech", status="on_site")
    page = login("repair_tech").get(_complete_url(order), headers=EN).get_data(as_text=True)
    for name in ("test_pressure_kpa", "test_duration_min", "pressure_drop_kpa", "test_result", "purge_confirmed",
                 "burners_lit", "flame_failure_checked", "opening_reading", "seal_no", "safety_briefing"):
        assert f'name="{name}"' in page
    assert 'accept="image/*" capture="environment"' in page
    assert "data-signature-for" in page and "js/signature.js" in page


def test_completion_refused_keeps_what_was_typed(make_order, login):
    order = make_order("purge_ignition", assignee="repair_tech", status="on_site")
    response = login("repair_tech").post(_complete_url(order), headers=EN, data={
        "version": order.version, "test_pressure_kpa": "3", "test_duration_min": "15", "pressure_drop_kpa": "0",
        "test_result": "pass", "seal_no": "QF-1", "work_notes": "通气完成"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="QF-1"' in page and "通气完成" in page
    assert "These figures do not pass" in page
    assert "The customer&#39;s signature is needed" in page or "The customer's signature is needed" in page


def test_completion_with_photo_and_signature(make_order, login, jpeg, signature_url, db, staff):
    order = make_order("repair", assignee="repair_tech", status="on_site")
    client = login("repair_tech")
    response = client.post(_complete_url(order), content_type="multipart/form-data", headers=EN, data={
        "version": str(order.version), "work_notes": "更换灶具熄火保护", "fault_found": "热电偶老化",
        "signature": signature_url, "lat": "31.1", "lng": "121.5",
        "photos": [(io.BytesIO(jpeg()), "a.jpg"), (io.BytesIO(b"not a picture"), "b.jpg")]})
    assert response.status_code == 422  # one file is not a picture: nothing is saved
    assert "not a picture we can read" in response.get_data(as_text=True)
    response = client.post(_complete_url(order), content_type="multipart/form-data", data={
        "version": str(order.version), "work_notes": "更换灶具熄火保护", "fault_found": "热电偶老化",
        "signature": signature_url, "photos": [(io.BytesIO(jpeg()), "a.jpg")]})
    assert response.status_code == 302 and response.location.endswith("/dispatch/jobs")
    page = client.get(f"/dispatch/orders/{order.id}", headers=EN).get_data(as_text=True)
    assert "热电偶老化" in page and "/uploads/" in page and "Job sheet (PDF)" in page
    upload_url = page.split('class="wo-signature" src="')[1].split('"')[0]
    assert client.get(upload_url).status_code == 200
    assert login("repair_tech2").get(upload_url).status_code == 404
    assert login("station_chief").get(upload_url).status_code == 200


def test_followup_queue_and_call(make_order, staff, login, db):
    order = make_order("repair", assignee="repair_tech", status="on_site")
    from fieldsvc.dispatch.services import orders
    orders.transition(staff["repair_tech"], order.id, "completed", order.version,
                      completion={"no_signature_reason": "x"})
    db.session.commit()
    followup = db.session.query(WorkOrder).filter_by(parent_id=order.id).one()
    chief = login("station_chief")
    page = chief.get("/dispatch/followups", headers=EN).get_data(as_text=True)
    assert f"Follow-up visit #{followup.id}" in page
    form = chief.get(f"/dispatch/orders/{followup.id}/complete", headers=EN).get_data(as_text=True)
    assert 'name="satisfaction"' in form and 'name="photos"' not in form
    response = chief.post(f"/dispatch/orders/{followup.id}/complete",
                          data={"version": followup.version, "satisfaction": "5", "comments": "满意"})
    assert response.status_code == 302
    customer_page = chief.get(f"/customers/{order.customer_id}", headers=EN).get_data(as_text=True)
    assert f"Follow-up visit #{followup.id}" in customer_page and "satisfaction 5/5" in customer_page
    assert f"Repair #{order.id}" in customer_page


def test_chief_closes_and_cancels(make_order, login, db):
    order = make_order("pressure_check", assignee="repair_tech", status="on_site")
    tech = login("repair_tech")
    assert tech.post(_complete_url(order), data={"version": order.version}).status_code == 302
    chief = login("station_chief")
    db.session.refresh(order)
    assert order.status == "completed"
    assert chief.post(f"/dispatch/orders/{order.id}/transition",
                      data={"to": "closed", "version": order.version}).status_code == 302
    other = make_order("repair")
    response = chief.post(f"/dispatch/orders/{other.id}/transition",
                          data={"to": "cancelled", "version": other.version, "note": "重复报修"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(WorkOrder, order.id).status == "closed"
    assert db.session.get(WorkOrder, other.id).status == "cancelled"


def test_job_sheet_pdf(make_order, login, jpeg, signature_url, staff):
    from pypdf import PdfReader
    order = make_order("repair", assignee="repair_tech", status="on_site")
    client = login("repair_tech")
    client.post(_complete_url(order), content_type="multipart/form-data", data={
        "version": str(order.version), "work_notes": "更换软管", "signature": signature_url,
        "photos": [(io.BytesIO(jpeg(size=(2000, 1500))), "a.jpg")]})
    response = client.get(f"/dispatch/orders/{order.id}/job-sheet.pdf", headers=EN)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "Job sheet" in text and "更换软管" in text and staff["repair_tech"].name in text
    assert len(response.data) < 400_000  # photos go in as thumbnails


def test_custody_pages(staff, login):
    chief = login("station_chief")
    assert chief.post("/dispatch/custody/items", data={"code": "HOSE", "name": "软管", "item_kind": "part",
                                                        "unit": "pc"}).status_code == 302
    from fieldsvc.dispatch.models import CustodyItem
    from fieldsvc.extensions import db
    item = db.session.query(CustodyItem).one()
    bad = chief.post("/dispatch/custody/moves", headers=EN, data={
        "kind": "return", "holder_id": staff["repair_tech"].id, "item_id": item.id, "quantity": "2"})
    assert bad.status_code == 422 and "holds only" in bad.get_data(as_text=True)
    assert chief.post("/dispatch/custody/moves", data={
        "kind": "issue", "holder_id": staff["repair_tech"].id, "item_id": item.id, "quantity": "5"}).status_code == 302
    page = chief.get("/dispatch/custody").get_data(as_text=True)
    assert staff["repair_tech"].name in page and "软管" in page
    mine = login("repair_tech").get("/dispatch/custody/mine").get_data(as_text=True)
    assert "软管" in mine and "5" in mine
    assert login("repair_tech").get("/dispatch/custody").status_code == 403


def test_completion_sent_when_no_longer_on_site_is_refused_not_redirected(make_order, login, db):
    """A completion resent from the phone's outbox after the chief cancelled the job must come back as a
    conflict (409), not as a redirect that the outbox would take for success."""
    order = make_order("repair", assignee="repair_tech", status="accepted")
    client = login("repair_tech")
    assert client.get(_complete_url(order)).status_code == 302  # the form itself: back to the order
    response = client.post(_complete_url(order), data={"version": order.version, "work_notes": "done"}, headers=EN)
    assert response.status_code == 409
    assert db.session.get(WorkOrder, order.id).status == "accepted"
