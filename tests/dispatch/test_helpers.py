"""Helpers on work orders (API.md "Additions", issue #20 item 2): the chief names field staff as helpers on create
or assign; a helper sees the order (list, item, jobs, job sheet) and counts in workload figures; only the
assignee moves it; a purge-and-ignite suggests the district's meter reader."""
import io

import pytest
from sqlalchemy import select

from fieldsvc.audit import AuditEntry
from fieldsvc.dispatch.models import WorkOrderEvent, WorkOrderHelper
from fieldsvc.dispatch.services import board, helpers, orders, suggestions
from fieldsvc.errors import Invalid, NotAllowed, NotFound

EN = {"Accept-Language": "en"}


@pytest.fixture
def reader(staff, customers, db):
    """The meter reader of the first customer's district."""
    user = staff["meter_reader"]
    user.district_id = customers[0].district_id
    db.session.commit()
    return user


@pytest.fixture
def purge(staff, reader, customers, db, en_request):
    """A purge-and-ignite assigned to repair_tech with the district's meter reader helping."""
    order = orders.create_order(staff["station_chief"], {
        "type": "purge_ignition", "customer_id": customers[0].id, "description": "新装用户通气点火",
        "assignee_id": staff["repair_tech"].id, "helper_ids": [reader.id]})
    db.session.commit()
    return order


# --- the service -----------------------------------------------------------------------------------

def test_create_with_a_helper_records_the_row_the_history_and_the_audit(purge, reader, staff, db):
    link = db.session.get(WorkOrderHelper, (purge.id, reader.id))
    assert link.added_by == staff["station_chief"].id and link.added_at is not None
    assert helpers.ids_of(purge) == [reader.id]
    actions = [e.action for e in db.session.scalars(select(WorkOrderEvent).where(
        WorkOrderEvent.work_order_id == purge.id).order_by(WorkOrderEvent.id))]
    assert actions == ["create", "assign", "helpers"]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "work_order.helpers")).one()
    assert entry.entity_id == purge.id


def test_a_helper_sees_the_order_in_item_list_and_jobs(purge, reader, staff):
    assert orders.get_order(reader, purge.id).id == purge.id
    items, total = orders.list_orders(reader)
    assert [o.id for o in items] == [purge.id] and total == 1
    jobs = board.my_jobs(reader)
    assert purge.id in [o.id for o in jobs.today + jobs.upcoming] and jobs.helping == {purge.id}
    assert board.my_jobs(staff["repair_tech"]).helping == set()  # the assignee's own job


def test_a_meter_reader_who_does_not_help_gets_404(purge, staff, db):
    other = staff["meter_reader2"]
    with pytest.raises(NotFound):
        orders.get_order(other, purge.id)
    assert orders.list_orders(other) == ([], 0)


def test_only_the_assignee_moves_the_order(purge, reader, staff, make_order):
    assert orders.available_moves(reader, purge) == []
    with pytest.raises(NotAllowed):
        orders.transition(reader, purge.id, "accepted", purge.version)
    # A helper who could work orders of their own is refused too, with 403 (they may see it), not 404.
    repair = make_order("repair", assignee="repair_tech")
    orders.assign(staff["station_chief"], repair.id, staff["repair_tech"].id, repair.version,
                  helper_ids=[staff["repair_tech2"].id])
    helper = staff["repair_tech2"]
    assert orders.available_moves(helper, repair) == []
    with pytest.raises(NotAllowed):
        orders.transition(helper, repair.id, "accepted", repair.version)
    assert [s.to for s in orders.available_moves(staff["repair_tech"], repair)]  # the assignee still moves it
    orders.transition(staff["repair_tech"], repair.id, "accepted", repair.version)


def test_the_assignee_cannot_also_help(staff, customers, en_request):
    tech = staff["repair_tech"]
    with pytest.raises(Invalid) as refused:
        orders.create_order(staff["station_chief"], {"type": "repair", "customer_id": customers[0].id,
                                                     "description": "x", "assignee_id": tech.id,
                                                     "helper_ids": [tech.id]})
    assert "helper_ids" in refused.value.errors


@pytest.mark.parametrize("who", ["unknown", "inactive", "card_clerk", "station_chief", "safety_officer"])
def test_helpers_are_active_field_staff(purge, staff, db, who):
    if who == "unknown":
        user_id = 999_999
    else:
        user = staff["repair_tech3" if who == "inactive" else who]
        if who == "inactive":
            user.active = False
            db.session.commit()
        user_id = user.id
    with pytest.raises(Invalid) as refused:
        orders.assign(staff["station_chief"], purge.id, staff["repair_tech"].id, purge.version, helper_ids=[user_id])
    assert list(refused.value.errors) == ["helper_ids"]


def test_duplicates_count_once_and_the_list_replaces(purge, reader, staff, db):
    chief, tech = staff["station_chief"], staff["repair_tech"]
    other = staff["pipe_fitter"]
    orders.assign(chief, purge.id, tech.id, purge.version, helper_ids=[reader.id, other.id, other.id])
    assert sorted(helpers.ids_of(purge)) == sorted([reader.id, other.id])
    version = purge.version
    orders.assign(chief, purge.id, tech.id, purge.version, helper_ids=[reader.id, other.id])  # the same: no change
    assert purge.version == version
    orders.assign(chief, purge.id, tech.id, purge.version)  # helper_ids left out: they stay
    assert len(helpers.ids_of(purge)) == 2
    orders.assign(chief, purge.id, tech.id, purge.version, helper_ids=[])
    assert helpers.ids_of(purge) == []
    assert db.session.scalars(select(WorkOrderHelper)).all() == []


def test_reassigning_to_a_helper_takes_them_off_the_helpers(staff, make_order):
    chief = staff["station_chief"]
    order = make_order("repair", assignee="repair_tech")
    orders.assign(chief, order.id, staff["repair_tech"].id, order.version, helper_ids=[staff["repair_tech2"].id])
    orders.assign(chief, order.id, staff["repair_tech2"].id, order.version)
    assert order.assignee_id == staff["repair_tech2"].id and helpers.ids_of(order) == []


def test_purge_suggests_the_districts_meter_reader(reader, customers, staff):
    district = customers[0].district_id
    assert reader in helpers.suggested("purge_ignition", district)
    assert all(u.role == "meter_reader" and u.district_id == district for u in helpers.suggested("purge_ignition",
                                                                                               district))
    assert helpers.suggested("repair", district) == []
    assert helpers.suggested_for("purge_ignition", account_no=customers[0].account_no) == \
        helpers.suggested("purge_ignition", district)
    assert helpers.suggested_for("purge_ignition", account_no="nope") == []


def test_helping_counts_in_the_workload(purge, reader, staff, make_order):
    helper = staff["repair_tech2"]
    before = suggestions._open_jobs([helper.id]).get(helper.id, 0)
    orders.assign(staff["station_chief"], purge.id, staff["repair_tech"].id, purge.version,
                  helper_ids=[reader.id, helper.id])
    assert suggestions._open_jobs([helper.id])[helper.id] == before + 1
    loads = board._loads(board.day_start(purge.created_at))
    assert loads[helper.id]["helping"] == 1 and loads[reader.id]["helping"] == 1
    assert board.jobs_today_count(reader) in (0, 1)  # a purge is due in three days: counted when due today
    assert helpers.open_counts([reader.id]) == {reader.id: 1}


# --- the API ---------------------------------------------------------------------------------------

@pytest.fixture
def chief_api(api, staff):
    return api("station_chief")


def test_api_create_read_and_list_with_helpers(chief_api, api, customers, staff, reader):
    client, headers = chief_api
    response = client.post("/api/v1/work-orders", headers=headers, json={
        "type": "purge_ignition", "customer_id": customers[0].id, "description": "通气点火",
        "assignee_id": staff["repair_tech"].id, "helper_ids": [reader.id, reader.id]})
    assert response.status_code == 201, response.json
    order = response.json
    assert order["helper_ids"] == [reader.id]
    helper_client, helper_headers = api("meter_reader")
    item = helper_client.get(f"/api/v1/work-orders/{order['id']}", headers=helper_headers)
    assert item.status_code == 200 and item.json["helper_ids"] == [reader.id]
    listed = helper_client.get("/api/v1/work-orders", headers=helper_headers).json
    assert [o["id"] for o in listed["items"]] == [order["id"]]
    moved = helper_client.post(f"/api/v1/work-orders/{order['id']}/transition", headers=helper_headers,
                               json={"to": "accepted", "version": order["version"]})
    assert moved.status_code == 403
    other_client, other_headers = api("meter_reader2")
    assert other_client.get(f"/api/v1/work-orders/{order['id']}", headers=other_headers).status_code == 404


def test_api_assign_sets_helpers_and_a_helper_tech_gets_403_on_moves(chief_api, api, make_order, staff):
    order = make_order("repair", assignee="repair_tech")
    client, headers = chief_api
    response = client.post(f"/api/v1/work-orders/{order.id}/assign", headers=headers, json={
        "assignee_id": staff["repair_tech"].id, "version": order.version, "helper_ids": [staff["repair_tech2"].id]})
    assert response.status_code == 200 and response.json["helper_ids"] == [staff["repair_tech2"].id]
    helper_client, helper_headers = api("repair_tech2")
    moved = helper_client.post(f"/api/v1/work-orders/{order.id}/transition", headers=helper_headers,
                               json={"to": "accepted", "version": response.json["version"]})
    assert moved.status_code == 403


@pytest.mark.parametrize("value", ["1", ["1"], [{"id": 1}], {"id": 1}, [[1]], 5, [True], None, [1.5], [2**40],
                                   [999_999], list(range(1, 8))])
def test_api_bad_helper_ids_are_422_naming_the_field(chief_api, customers, staff, value):
    client, headers = chief_api
    response = client.post("/api/v1/work-orders", headers=headers, json={
        "type": "repair", "customer_id": customers[0].id, "description": "x", "helper_ids": value})
    assert response.status_code == 422, response.json
    assert "helper_ids" in response.json["errors"]


def test_api_assign_refuses_the_assignee_as_helper(chief_api, make_order, staff):
    order = make_order("repair")
    client, headers = chief_api
    response = client.post(f"/api/v1/work-orders/{order.id}/assign", headers=headers, json={
        "assignee_id": staff["repair_tech"].id, "version": order.version, "helper_ids": [staff["repair_tech"].id]})
    assert response.status_code == 422 and "helper_ids" in response.json["errors"]


# --- the pages -------------------------------------------------------------------------------------

def test_new_order_form_takes_helpers_and_keeps_them_on_error(login, customers, staff, reader):
    chief = login("station_chief")
    form = chief.get("/dispatch/new?type=purge_ignition", headers=EN).get_data(as_text=True)
    assert 'name="helper_ids"' in form and reader.name in form
    refused = chief.post("/dispatch/new", headers=EN, data={
        "type": "purge_ignition", "description": "通气", "account_no": customers[0].account_no,
        "assignee_id": str(staff["repair_tech"].id), "helper_ids": [str(reader.id), "abc"]})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Give a list of staff ids." in page
    assert f'value="{reader.id}" checked' in page and "通气" in page
    made = chief.post("/dispatch/new", headers=EN, data={
        "type": "purge_ignition", "description": "通气", "account_no": customers[0].account_no,
        "assignee_id": str(staff["repair_tech"].id), "helper_ids": [str(reader.id)]})
    assert made.status_code == 302
    order_id = int(made.location.rsplit("/", 1)[1])
    page = chief.get(f"/dispatch/orders/{order_id}", headers=EN).get_data(as_text=True)
    assert "Helpers" in page and reader.name in page


def test_new_order_suggests_the_reader_for_a_purge(login, customers, reader):
    chief = login("station_chief")
    fragment = chief.get(f"/dispatch/new/suggestions?type=purge_ignition&account_no={customers[0].account_no}",
                         headers=EN).get_data(as_text=True)
    assert "data-suggested-helpers" in fragment and reader.name in fragment
    fragment = chief.get(f"/dispatch/new/suggestions?type=repair&account_no={customers[0].account_no}",
                         headers=EN).get_data(as_text=True)
    assert "data-suggested-helpers" not in fragment


def test_order_page_assign_form_sets_and_clears_helpers(login, purge, reader, staff):
    chief = login("station_chief")
    bad = chief.post(f"/dispatch/orders/{purge.id}/assign", headers=EN, data={
        "assignee_id": str(staff["repair_tech"].id), "version": str(purge.version), "helpers_shown": "1",
        "helper_ids": [str(staff["repair_tech"].id)]})
    assert bad.status_code == 422 and "cannot also be a helper" in bad.get_data(as_text=True)
    cleared = chief.post(f"/dispatch/orders/{purge.id}/assign", data={
        "assignee_id": str(staff["repair_tech"].id), "version": str(purge.version), "helpers_shown": "1"})
    assert cleared.status_code == 302 and helpers.ids_of(purge) == []


def test_board_row_adds_helpers(login, purge, reader, staff):
    chief = login("station_chief")
    board_page = chief.get("/dispatch/", headers=EN).get_data(as_text=True)
    assert f'id="row-{purge.id}-helper-{staff["pipe_fitter"].id}"' in board_page
    added = chief.post(f"/dispatch/orders/{purge.id}/assign", data={
        "assignee_id": str(staff["repair_tech"].id), "version": str(purge.version), "helpers_add": "1",
        "helper_ids": [str(staff["pipe_fitter"].id)]})
    assert added.status_code == 302
    assert sorted(helpers.ids_of(purge)) == sorted([reader.id, staff["pipe_fitter"].id])


def test_helper_pages_jobs_order_and_job_sheet(login, purge, reader, staff):
    from pypdf import PdfReader
    client = login("meter_reader")
    jobs = client.get("/dispatch/jobs", headers=EN).get_data(as_text=True)
    assert f"#{purge.id}" in jobs and "Helping" in jobs and "data-offline-link" in jobs
    page = client.get(f"/dispatch/orders/{purge.id}", headers=EN)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'class="wo-move"' not in text and reader.name in text
    assert client.post(f"/dispatch/orders/{purge.id}/transition",
                       data={"to": "accepted", "version": str(purge.version)}).status_code == 403
    sheet = client.get(f"/dispatch/orders/{purge.id}/job-sheet.pdf", headers=EN)
    assert sheet.status_code == 200
    assert reader.name in PdfReader(io.BytesIO(sheet.data)).pages[0].extract_text()
    home = client.get("/", headers=EN).get_data(as_text=True)
    assert "/dispatch/jobs" in home


def test_demo_has_a_purge_with_the_districts_meter_reader_helping(customers, staff, reader, db, en_request):
    from fieldsvc.dispatch import demo
    from fieldsvc.dispatch.models import WorkOrder
    demo.seed()
    db.session.commit()
    purge = db.session.scalars(select(WorkOrder).where(WorkOrder.type == "purge_ignition")).one()
    helping = helpers.helpers_of(purge)
    assert [u.role for u in helping] == ["meter_reader"] and helping[0].district_id == purge.district_id
    rectification = db.session.scalars(select(WorkOrder).where(WorkOrder.type == "rectification")).one()
    assert [u.username for u in helpers.helpers_of(rectification)] == ["pipe_fitter2"]


@pytest.mark.parametrize("value", ["²", "9999999999", "-1", "1.5", "abc", "999999", "０"])
def test_form_bad_helper_values_are_422_naming_the_field(login, purge, staff, value):
    chief = login("station_chief")
    response = chief.post(f"/dispatch/orders/{purge.id}/assign", headers=EN, data={
        "assignee_id": str(staff["repair_tech"].id), "version": str(purge.version), "helpers_shown": "1",
        "helper_ids": [value]})
    assert response.status_code == 422
    assert 'aria-describedby="assign-e-helper_ids"' in response.get_data(as_text=True)
