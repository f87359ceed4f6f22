"""Customer change requests (过户, 销户, change of use category): nothing changes before approval; approval
applies everything in one transaction with the audit trail; scope, one open request per kind, hostile input."""
import base64
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from fieldsvc import clock
from fieldsvc.audit import AuditEntry
from fieldsvc.customers import rules
from fieldsvc.customers.change_models import CustomerChange
from fieldsvc.customers.models import Customer
from fieldsvc.customers.services import changes
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.readings.models import Bill, Reading
from fieldsvc.readings.services import recording, routes
from tests import factories
from tests.readings.conftest import World

EN = {"Accept-Language": "en"}
D = Decimal


def photo_url() -> str:
    return "data:image/jpeg;base64," + base64.b64encode(factories.jpeg()).decode()


@pytest.fixture
def en_request(app):
    with app.test_request_context(headers=EN, method="POST"):
        yield


@pytest.fixture
def world(db, staff, en_request):
    w = World(db, staff)
    db.session.commit()
    return w


@pytest.fixture
def api_en(api):
    def _api(username):
        client, headers = api(username)
        return client, {**headers, **EN}
    return _api


# --- the pure rule ----------------------------------------------------------------------------------------

JAN, MAR, JUN = date(2026, 1, 1), date(2026, 3, 1), date(2026, 6, 1)


@pytest.mark.parametrize(("current", "history", "day", "expected"), [
    ("residential", [], MAR, "residential"),                                           # no change: as now
    ("commercial", [(MAR, "residential", "commercial")], JAN, "residential"),        # before the date: old
    ("commercial", [(MAR, "residential", "commercial")], MAR, "commercial"),         # from the date (inclusive)
    ("commercial", [(MAR, "residential", "commercial")], JUN, "commercial"),
    ("industrial", [(JUN, "commercial", "industrial"), (MAR, "residential", "commercial")], JAN, "residential"),
    ("industrial", [(JUN, "commercial", "industrial"), (MAR, "residential", "commercial")], date(2026, 4, 1),
     "commercial"),
    ("industrial", [(JUN, "commercial", "industrial"), (MAR, "residential", "commercial")], JUN, "industrial"),
])
def test_category_on(current, history, day, expected):
    assert rules.category_on(current, history, day) == expected


# --- transfer: nothing before approval, everything at it --------------------------------------------------

def test_an_unapproved_transfer_changes_nothing_and_approval_applies_it(world, api_en, db, login):
    customer, _meter = world.customer()
    old = {"name": customer.name, "phone": customer.phone}
    clerk, ch = api_en("card_clerk")
    created = clerk.post("/api/v1/customer-changes", headers=ch, json={
        "customer_id": customer.id, "kind": "transfer", "new_name": "林晓燕", "new_phone": "13912345678",
        "id_photo": photo_url()})
    assert created.status_code == 201, created.json
    assert created.json["status"] == "requested" and created.json["id_photo_id"]
    db.session.expire_all()
    fresh = db.session.get(Customer, customer.id)
    assert (fresh.name, fresh.phone, fresh.version) == (customer.name, customer.phone, customer.version)
    # the photo is served to who may see the request, to nobody else
    photo = created.json["id_photo_id"]
    assert login("card_clerk").get(f"/uploads/{photo}").status_code == 200
    assert login("meter_reader").get(f"/uploads/{photo}").status_code == 404
    # the requester cannot approve their own request; the district's chief can (D01: station_chief2)
    assert clerk.post(f"/api/v1/customer-changes/{created.json['id']}/approve", headers=ch, json={}).status_code == 403
    chief, hh = api_en("station_chief2")
    approved = chief.post(f"/api/v1/customer-changes/{created.json['id']}/approve", headers=hh, json={})
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    assert approved.json["before"] == old
    db.session.expire_all()
    fresh = db.session.get(Customer, customer.id)
    assert (fresh.name, fresh.phone) == ("林晓燕", "13912345678")
    actions = set(db.session.execute(select(AuditEntry.action).where(AuditEntry.entity == "customer",
                                                                     AuditEntry.entity_id == customer.id)).scalars())
    assert {"customer_change.request", "customer_change.approve", "customer.update"} <= actions
    # decided once
    again = chief.post(f"/api/v1/customer-changes/{created.json['id']}/approve", headers=hh, json={})
    assert again.status_code == 409


def test_the_director_approves_and_a_chief_rejects_only_with_a_reason(world, staff, db):
    customer, _m = world.customer()
    first = changes.request_change(staff["card_clerk"], {"customer_id": customer.id, "kind": "transfer",
                                                         "new_name": "赵六", "new_phone": "13700000000"},
                                   factories.jpeg())
    with pytest.raises(Invalid) as refused:
        changes.reject(staff["station_chief2"], first.id, "  ")
    assert set(refused.value.errors) == {"reason"}
    rejected = changes.reject(staff["station_chief2"], first.id, "身份证明与房产证不符")
    assert rejected.status == "rejected" and db.session.get(Customer, customer.id).name == customer.name
    second = changes.request_change(staff["station_chief2"], {"customer_id": customer.id, "kind": "transfer",
                                                             "new_name": "赵六", "new_phone": "13700000000"},
                                    factories.jpeg())
    with pytest.raises(Conflict):  # a chief does not approve their own request
        changes.approve(staff["station_chief2"], second.id)
    changes.approve(staff["director"], second.id)
    assert db.session.get(Customer, customer.id).name == "赵六"


def test_one_open_request_per_customer_and_kind(world, api_en):
    customer, _m = world.customer()
    clerk, ch = api_en("card_clerk")
    body = {"customer_id": customer.id, "kind": "category_change", "new_category": "commercial",
            "effective_on": clock.today().isoformat()}
    assert clerk.post("/api/v1/customer-changes", headers=ch, json=body).status_code == 201
    second = clerk.post("/api/v1/customer-changes", headers=ch, json=body)
    assert second.status_code == 409 and customer.account_no in second.json["error"]
    # another kind for the same customer is fine
    close = {"customer_id": customer.id, "kind": "close", "final_reading": 10, "close_reason": "房屋出售"}
    assert clerk.post("/api/v1/customer-changes", headers=ch, json=close).status_code == 201


@pytest.mark.parametrize(("body", "field"), [
    ({"customer_id": None, "kind": "transfer"}, "customer_id"),
    ({"customer_id": {"id": 1}, "kind": "transfer"}, "customer_id"),
    ({"customer_id": "x", "kind": "transfer"}, "customer_id"),
    ({"customer_id": 2**40, "kind": "transfer"}, "customer_id"),
    ({"kind": "merge"}, "kind"),
    ({"kind": ["transfer"]}, "kind"),
    ({"kind": "category_change", "new_category": "commercial", "effective_on": "2026-13-45"}, "effective_on"),
    ({"kind": "category_change", "new_category": "commercial", "effective_on": "0000-00-00"}, "effective_on"),
    ({"kind": "category_change", "new_category": {"a": 1}, "effective_on": "2026-12-31"}, "new_category"),
    ({"kind": "category_change", "new_category": "residential", "effective_on": "2099-12-31"}, "new_category"),
    ({"kind": "category_change", "new_category": "commercial", "effective_on": "2020-01-01"}, "effective_on"),
    ({"kind": "close", "close_reason": "x", "final_reading": "abc"}, "final_reading"),
    ({"kind": "close", "close_reason": "x", "final_reading": 1e20}, "final_reading"),
    ({"kind": "close", "close_reason": "x", "final_reading": -1}, "final_reading"),
    ({"kind": "close", "close_reason": "x"}, "final_reading"),
    ({"kind": "close", "final_reading": 5}, "close_reason"),
    ({"kind": "transfer", "new_name": "王五", "new_phone": "13700000000"}, "id_photo"),
    ({"kind": "transfer", "new_name": "王五", "new_phone": "13700000000", "id_photo": "data:text/html;base64,AA=="},
     "id_photo"),
    ({"kind": "transfer", "new_name": "王五", "new_phone": "13700000000",
      "id_photo": "data:image/jpeg;base64," + base64.b64encode(b"not an image").decode()}, "id_photo"),
    ({"kind": "transfer", "new_phone": "13700000000"}, "new_name"),
    ({"kind": "transfer", "new_name": "a\x00b", "new_phone": "13700000000"}, "new_name"),
])
def test_hostile_input_is_422_naming_the_field(world, api_en, db, body, field):
    customer, _m = world.customer()
    clerk, ch = api_en("card_clerk")
    response = clerk.post("/api/v1/customer-changes", headers=ch, json={"customer_id": customer.id, **body})
    assert response.status_code == 422, response.json
    assert field in response.json["errors"], response.json
    assert db.session.query(CustomerChange).count() == 0


def test_another_districts_chief_gets_404(world, staff, api_en):
    customer, _m = world.customer()  # D01: station_chief2's district; station_chief has D03
    change = changes.request_change(staff["card_clerk"], {"customer_id": customer.id, "kind": "transfer",
                                                          "new_name": "钱七", "new_phone": "13600000000"},
                                    factories.jpeg())
    world.db.session.commit()
    other, oh = api_en("station_chief")
    assert other.get(f"/api/v1/customer-changes/{change.id}", headers=oh).status_code == 404
    assert other.post(f"/api/v1/customer-changes/{change.id}/approve", headers=oh, json={}).status_code == 404
    assert other.post(f"/api/v1/customer-changes/{change.id}/reject", headers=oh,
                      json={"reason": "x"}).status_code == 404
    assert other.get("/api/v1/customer-changes", headers=oh).json["total"] == 0
    # nor may they request one for another district's customer
    refused = other.post("/api/v1/customer-changes", headers=oh, json={
        "customer_id": customer.id, "kind": "close", "final_reading": 1, "close_reason": "x"})
    assert refused.status_code == 422 and "customer_id" in refused.json["errors"]
    # roles without the permission: 403
    reader, rh = api_en("meter_reader")
    assert reader.get("/api/v1/customer-changes", headers=rh).status_code == 403
    assert reader.post(f"/api/v1/customer-changes/{change.id}/approve", headers=rh, json={}).status_code == 403
    assert world.db.session.get(Customer, customer.id).name == customer.name


# --- closing: final reading, card, gas off, closed; never read again ---------------------------------------

def test_closing_applies_everything_and_the_account_is_never_read_again(world, staff, db):
    customer, meter = world.customer()
    last = world.history(meter, 30, periods=6, last_days_ago=20)
    route = world.route([meter])
    db.session.commit()
    change = changes.request_change(staff["card_clerk"], {"customer_id": customer.id, "kind": "close",
                                                          "final_reading": last + 8, "close_reason": "房屋出售"})
    db.session.commit()
    # waiting: nothing changed, the meter is still read
    assert (customer.status, customer.supply) == ("active", "on")
    assert [r.meter.id for r in routes.route_sheet(staff["station_chief"], route).rows] == [meter.id]
    changes.approve(staff["director"], change.id)
    db.session.commit()
    db.session.expire_all()
    fresh = db.session.get(Customer, customer.id)
    assert (fresh.status, fresh.supply, fresh.supply_reason) == ("closed", "shut_off", "request")
    final = db.session.execute(select(Reading).where(Reading.meter_id == meter.id, Reading.kind == "final")).scalar_one()
    assert final.value == last + 8
    assert db.session.execute(select(Bill).where(Bill.reading_id == final.id)).scalar_one().volume_m3 == 8
    # the route sheet and its progress skip it; a reading is refused with a clear message
    assert routes.route_sheet(staff["station_chief"], route).rows == []
    assert sum(routes.progress(staff["station_chief"], routes=[route])["per_route"][route.id].values()) == 0
    with pytest.raises(Invalid) as refused:
        recording.record_reading(staff["station_chief"], meter.id, {"value": last + 9})
    assert "closed" in refused.value.errors["meter_id"][0]
    # and a closed account takes no further request, and its edit cannot reopen it
    with pytest.raises(Invalid) as again:
        changes.request_change(staff["card_clerk"], {"customer_id": customer.id, "kind": "transfer",
                                                     "new_name": "x", "new_phone": "13600000000"}, factories.jpeg())
    assert "customer_id" in again.value.errors


def test_a_refused_final_reading_applies_nothing(world, staff, db):
    customer, meter = world.customer()
    last = world.history(meter, 30, periods=6, last_days_ago=20)
    change = changes.request_change(staff["card_clerk"], {"customer_id": customer.id, "kind": "close",
                                                          "final_reading": last - 5, "close_reason": "房屋出售"})
    db.session.commit()
    with pytest.raises(Invalid) as refused:
        changes.approve(staff["director"], change.id)
    assert "final_reading" in refused.value.errors
    db.session.rollback()
    fresh = db.session.get(Customer, customer.id)
    assert (fresh.status, fresh.supply) == ("active", "on")
    assert db.session.get(CustomerChange, change.id).status == "requested"


def test_reading_api_refuses_a_closed_account(world, staff, db, api_en):
    customer, meter = world.customer()
    last = world.history(meter, 30, periods=6, last_days_ago=20)
    change = changes.request_change(staff["card_clerk"], {"customer_id": customer.id, "kind": "close",
                                                          "final_reading": last + 2, "close_reason": "销户"})
    changes.approve(staff["director"], change.id)
    db.session.commit()
    chief, hh = api_en("station_chief")
    response = chief.post("/api/v1/readings", headers=hh, json={"meter_id": meter.id, "value": float(last + 3)})
    assert response.status_code in (404, 422), response.json
    assert db.session.query(Reading).filter(Reading.meter_id == meter.id, Reading.kind == "actual",
                                            Reading.value == last + 3).count() == 0


# --- category change: the new tariff from the date ---------------------------------------------------------

def test_category_change_prices_bills_from_its_date(world, staff, db):
    today = clock.today()
    later, now_ = world.customer(), world.customer()
    for (customer, meter), effective in ((later, today + timedelta(days=10)), (now_, today)):
        world.history(meter, 30, periods=6, last_days_ago=40)
        change = changes.request_change(staff["card_clerk"], {"customer_id": customer.id, "kind": "category_change",
                                                              "new_category": "commercial", "effective_on": effective})
        assert customer.category == "residential"  # not before approval
        changes.approve(staff["director"], change.id)
        assert customer.category == "commercial"
    db.session.commit()
    (c_later, m_later), (c_now, m_now) = later, now_
    assert changes.category_on(c_later, today) == "residential"
    assert changes.category_on(c_later, today + timedelta(days=10)) == "commercial"
    for meter in (m_later, m_now):
        last = db.session.execute(select(Reading.value).where(Reading.meter_id == meter.id)
                                  .order_by(Reading.read_at.desc())).scalars().first()
        recording.record_reading(staff["station_chief"], meter.id, {"value": last + 30})
    bills = {b.customer_id: b for b in db.session.execute(select(Bill)).scalars()}
    assert bills[c_later.id].category == "residential"   # read before its date: the old tariff
    assert bills[c_now.id].category == "commercial"      # from its date: the new one
    assert bills[c_now.id].amount == D("103.50")         # 30 m³ × 3.45 (commercial flat price)


# --- the customer form no longer changes these silently ----------------------------------------------------

def test_customer_edit_refuses_guarded_fields(world, api_en, login):
    customer, _m = world.customer()
    chief, hh = api_en("director")
    for body, field in (({"name": "别人"}, "name"), ({"phone": "13000000000"}, "phone"),
                        ({"category": "industrial"}, "category"), ({"status": "closed"}, "status")):
        response = chief.patch(f"/api/v1/customers/{customer.id}", headers=hh, json=body)
        assert response.status_code == 422 and field in response.json["errors"], response.json
    ok = chief.patch(f"/api/v1/customers/{customer.id}", headers=hh, json={"room": "808", "name": customer.name})
    assert ok.status_code == 200 and "808" in ok.json["address"]
    page = login("director").get(f"/customers/{customer.id}/edit", headers=EN).get_data(as_text=True)
    assert 'name="name"' not in page and 'name="category"' not in page and 'name="phone"' not in page
    assert 'value="closed"' not in page
    clerk_page = login("card_clerk").get(f"/customers/{customer.id}/edit", headers=EN).get_data(as_text=True)
    assert f"/customer-changes/new?customer_id={customer.id}" in clerk_page


# --- pages -----------------------------------------------------------------------------------------------

def test_pages_list_search_form_and_export(world, staff, login, db):
    customer, meter = world.customer()
    world.history(meter, 30, periods=6, last_days_ago=20)
    db.session.commit()
    clerk = login("card_clerk")
    form = clerk.get(f"/customer-changes/new?customer_id={customer.id}&kind=close", headers=EN)
    assert form.status_code == 200 and customer.account_no in form.get_data(as_text=True)
    # bad input: a clear message and what was typed kept
    refused = clerk.post("/customer-changes/new", headers=EN, data={
        "account_no": customer.account_no, "kind": "close", "final_reading": "12abc", "close_reason": "房屋出售转让"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "房屋出售转让" in text and "12abc" in text
    sent = clerk.post("/customer-changes/new", headers=EN, data={
        "account_no": customer.account_no, "kind": "transfer", "new_name": "周八", "new_phone": "13512345678",
        "id_photo": (io.BytesIO(factories.jpeg()), "id.jpg")}, content_type="multipart/form-data")
    assert sent.status_code == 302, sent.get_data(as_text=True)
    change = db.session.execute(select(CustomerChange)).scalar_one()
    assert change.id_photo_id and db.session.get(Customer, customer.id).name == customer.name
    listing = clerk.get("/customer-changes/?q=周八", headers=EN).get_data(as_text=True)
    assert customer.account_no in listing
    assert customer.account_no not in clerk.get("/customer-changes/?q=nomatch", headers=EN).get_data(as_text=True)
    book = load_workbook(io.BytesIO(clerk.get("/customer-changes/export.xlsx", headers=EN).data))
    rows = list(book.active.values)
    assert rows[0][0] == "No." and rows[1][4] == customer.account_no and rows[1][7] == "周八"
    # the chief of the district decides on the page; a rejection without a reason keeps the page
    chief = login("station_chief2")
    page = chief.get(f"/customer-changes/{change.id}", headers=EN).get_data(as_text=True)
    assert "Approve and apply" in page
    no_reason = chief.post(f"/customer-changes/{change.id}/reject", headers=EN,
                           data={"reject_reason": "", "version": change.version})
    assert no_reason.status_code == 422
    done = chief.post(f"/customer-changes/{change.id}/approve", headers=EN, data={"version": change.version})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Customer, customer.id).name == "周八"
    # another district's chief: 404
    assert login("station_chief").get(f"/customer-changes/{change.id}", headers=EN).status_code == 404


def test_not_found_for_unknown_ids(world, staff):
    with pytest.raises(NotFound):
        changes.get_change(staff["director"], 999999)
    with pytest.raises(NotFound):
        changes.get_change(staff["director"], 2**40)


def test_the_home_page_tells_who_decides(world, staff, login, db):
    customer, _m = world.customer()  # D01
    changes.request_change(staff["card_clerk"], {"customer_id": customer.id, "kind": "transfer", "new_name": "孙九",
                                                 "new_phone": "13600000001"}, factories.jpeg())
    db.session.commit()
    wanted = "Customer change requests to approve"
    assert wanted in login("director").get("/", headers=EN).get_data(as_text=True)
    assert wanted in login("station_chief2").get("/", headers=EN).get_data(as_text=True)
    assert wanted not in login("station_chief").get("/", headers=EN).get_data(as_text=True)  # another district
    assert wanted not in login("card_clerk").get("/", headers=EN).get_data(as_text=True)


def test_pages_render_in_chinese(world, staff, login, db):
    customer, meter = world.customer()
    world.history(meter, 30, periods=6, last_days_ago=20)
    change = changes.request_change(staff["card_clerk"], {"customer_id": customer.id, "kind": "close",
                                                          "final_reading": 200, "close_reason": "房屋出售"})
    db.session.commit()
    zh = {"Accept-Language": "zh-CN"}
    for user, url in (("card_clerk", "/customer-changes/"), ("card_clerk", "/customer-changes/new?kind=category_change"),
                      ("director", f"/customer-changes/{change.id}"), ("card_clerk", f"/customers/{customer.id}/edit"),
                      ("director", "/"), ("director", f"/customers/{customer.id}")):
        assert login(user).get(url, headers=zh).status_code == 200, url
