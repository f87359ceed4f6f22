"""500s on bad input, duplicate keys and stale writes (issue 23, items 6, 7 and 8): the probe's exact
reproductions, and the edges of each rule."""
from datetime import date, timedelta

import pytest
from sqlalchemy import event, update

from fieldsvc import clock, jsonx
from fieldsvc.customers.models import Customer
from fieldsvc.extensions import db as _db

EN = {"Accept-Language": "en"}
RANGE = "Give a date between 2000-01-01 and 2100-12-31."
MONTH_RANGE = "Give a month between 2000-01 and 2100-12."
CUSTOMER = {"account_no": "30000001", "name": "王小明", "phone": "13800000000", "category": "residential",
            "gas": "NG", "district": "城东片区", "address": "幸福小区 3栋 2单元 502室"}
METER = {"serial_no": "M-0001", "size": "G2.5", "accuracy_class": "1.5", "kind": "diaphragm", "location": "indoor"}
EQUIPMENT = {"name": "膜式表检定装置", "serial_no": "EQ-9", "calibration_cert": "JZ2026-1",
             "calibrated_on": "2025-06-30", "calibration_expires_on": "2027-06-30"}


# --- item 6: deeply nested JSON -----------------------------------------------------------------------

@pytest.mark.parametrize("depth", [990, 5000, 100_000])
def test_nested_json_on_the_unauthenticated_token_endpoint_is_400(client, depth):
    response = client.post("/api/v1/auth/token", data="[" * depth, content_type="application/json", headers=EN)
    assert response.status_code == 400
    assert response.json == {"error": "The JSON is nested too deeply (at most 64 levels)."}


def test_nested_json_on_an_authenticated_endpoint_is_400(staff, api):
    client, headers = api("station_chief")
    body = '{"name": ' + "[" * 990 + "]" * 990 + "}"
    response = client.post("/api/v1/customers", data=body, content_type="application/json", headers=headers)
    assert response.status_code == 400 and "error" in response.json


def test_json_within_the_limit_reaches_the_schema(staff, api):
    client, headers = api("station_chief")
    body = '{"name": ' + "[" * 60 + "]" * 60 + "}"
    response = client.post("/api/v1/customers", data=body, content_type="application/json", headers=headers)
    assert response.status_code == 422  # the schema's answer, not the nesting guard's


@pytest.mark.parametrize(("text", "deeper"), [
    ("[" * 64 + "]" * 64, False),
    ("[" * 65 + "]" * 65, True),
    ("[" * 65, True),                                        # unterminated: still counted
    ('["' + "[" * 500 + '"]', False),                        # brackets inside a string don't count
    ('["\\"' + "[" * 500 + '"]', False),                     # …nor after an escaped quote
    ('{"a": "\\\\"}' + "[" * 65, True),                      # an escaped backslash ends the string
    ('"' + "[" * 500, False),                                # an unterminated string runs to the end
    ("[]" * 10_000, False),                                  # many siblings, shallow
    ("[{}]" * 10_000 + "[" * 65, True),
])
def test_nesting_depth_table(text, deeper):
    assert jsonx.nested_deeper_than(text.encode(), 64) is deeper


def test_the_guard_is_linear_on_hostile_strings():
    import time
    body = b'"' + b'\\"' * 2_000_000  # an unterminated string of escaped quotes: 4 MB
    started = time.perf_counter()
    assert jsonx.nested_deeper_than(body + b"[" * 100, 64) is False
    assert time.perf_counter() - started < 2


# --- item 6: dates in year 0001 or 9999 ---------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/reports/?from=0001-01-01", "/reports/?to=9999-12-31", "/reports/?from=9999-12-01&to=9999-12-31",
    "/reports/?from=1999-12-31",
])
def test_report_dates_out_of_range_are_422(staff, login, url):
    response = login("director").get(url, headers=EN)
    assert response.status_code == 422 and RANGE in response.get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/reports/monthly?month=0001-01", "/reports/monthly?month=9999-12", "/reports/monthly/9999-12.xlsx",
    "/reports/monthly/0001-01.pdf",
])
def test_report_months_out_of_range_are_422(staff, login, url):
    response = login("director").get(url, headers=EN)
    assert response.status_code == 422 and MONTH_RANGE in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/reports/?from=2000-01-01&to=2000-01-31", "/reports/?from=2100-12-01",
                                 "/reports/monthly?month=2100-12", "/reports/monthly?month=2000-1"])
def test_report_range_edges_are_accepted(staff, login, url):
    assert login("director").get(url, headers=EN).status_code == 200


@pytest.mark.parametrize("url", ["/readings/export?cycle=0001-01", "/readings/export?cycle=9999-12",
                                 "/readings/export/9999-12/readings.csv", "/readings/export/0001-01/bills.csv"])
def test_billing_export_cycles_out_of_range_are_422(staff, login, url):
    response = login("station_chief").get(url, headers=EN)
    assert response.status_code == 422 and MONTH_RANGE in response.get_data(as_text=True)


@pytest.mark.parametrize(("role", "url"), [
    ("metering_head", "/metering/checks/ledger?to=0001-01-01"),
    ("metering_head", "/metering/checks/ledger?from=9999-12-31"),
    ("station_chief", "/inspections/sampling?day=0001-01-01"),
    ("station_chief", "/inspections/sampling/report.csv?day=9999-12-31"),
])
def test_other_query_string_dates_out_of_range_are_422(staff, login, role, url):
    response = login(role).get(url, headers=EN)
    assert response.status_code == 422 and RANGE in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31", "from=0001-01-01&to=0001-01-31"])
def test_kpis_dates_out_of_range_are_422(staff, api, query):
    client, headers = api("director")
    response = client.get(f"/api/v1/reports/kpis?{query}", headers={**headers, **EN})
    assert response.status_code == 422
    assert RANGE in str(response.json["errors"])


def test_tariff_valid_from_out_of_range_is_422(staff, api, login):
    client, headers = api("director")
    response = client.post("/api/v1/tariffs", headers={**headers, **EN}, json={
        "category": "residential", "name": "居民9999", "valid_from": "9999-01-01",
        "tiers": [{"upper_m3": None, "price": "2.61"}]})
    assert response.status_code == 422 and response.json["errors"]["valid_from"] == [RANGE]
    page = login("director").post("/readings/tariffs/new", headers=EN, data={
        "category": "residential", "name": "居民0001", "valid_from": "0001-01-01", "price_1": "2.70"})
    assert page.status_code == 422 and RANGE in page.get_data(as_text=True)
    assert 'value="居民0001"' in page.get_data(as_text=True)


def test_calibration_date_out_of_range_is_422(staff, api):
    client, headers = api("metering_head")
    response = client.post("/api/v1/equipment", headers={**headers, **EN},
                           json={**EQUIPMENT, "calibration_expires_on": "9999-12-31"})
    assert response.status_code == 422 and response.json["errors"]["calibration_expires_on"] == [RANGE]


def test_card_days_out_of_range_are_422(staff, api, login, db):
    from fieldsvc.cardsales.models import Outlet
    outlet = Outlet(code="YT01", name="城东营业厅", active=True)
    db.session.add(outlet)
    db.session.commit()
    clerk = staff["card_clerk"]
    page = login("card_clerk").get(f"/cardsales/days/{clerk.id}/{outlet.id}/0001-01-01", headers=EN)
    assert page.status_code == 422 and RANGE in page.get_data(as_text=True)
    assert login("card_clerk").get(f"/cardsales/days/{clerk.id}/{outlet.id}/not-a-day").status_code == 404
    client, headers = api("card_clerk")
    response = client.post("/api/v1/card-days", headers={**headers, **EN}, json={
        "outlet_id": outlet.id, "counted_cash": "0", "business_date": "0001-01-01"})
    assert response.status_code == 422 and response.json["errors"]["business_date"] == [RANGE]


def test_datetimes_are_held_to_the_same_range(app):
    from marshmallow import ValidationError, fields

    from fieldsvc.schemas import BaseSchema

    class When(BaseSchema):
        at = fields.AwareDateTime()
        days = fields.List(fields.Date())

    with app.test_request_context(headers=EN):
        assert When().load({"at": "2026-11-03T08:00:00+08:00"})["at"].year == 2026
        for bad in ({"at": "0001-01-01T00:00:00+00:00"}, {"days": ["2026-01-01", "9999-12-31"]}):
            with pytest.raises(ValidationError) as caught:
                When().load(bad)
            assert RANGE in str(caught.value.messages)


# --- item 6: a start reading must fit its register -------------------------------------------------------

@pytest.mark.parametrize(("digits", "start", "status"), [
    (5, str(2**63), 422), (5, "100000", 422), (5, "99999.999", 201), (6, "100000", 201), (4, "10000", 422),
])
def test_start_reading_must_fit_the_register(staff, api, digits, start, status):
    client, headers = api("station_chief")
    response = client.post("/api/v1/meters", headers={**headers, **EN},
                           json={**METER, "digits": digits, "start_reading": start})
    assert response.status_code == status, response.json
    if status == 422:
        assert list(response.json["errors"]) == ["start_reading"]
        assert f"{digits}-digit register" in response.json["errors"]["start_reading"][0]


def test_shrinking_the_register_below_the_start_reading_is_422(staff, api):
    client, headers = api("station_chief")
    meter = client.post("/api/v1/meters", headers=headers, json={**METER, "digits": 6, "start_reading": "123456"})
    assert meter.status_code == 201
    response = client.patch(f"/api/v1/meters/{meter.json['id']}", headers={**headers, **EN}, json={"digits": 5})
    assert response.status_code == 422 and "start_reading" in response.json["errors"]


# --- item 7: a duplicate unique key is a 409 on the API, a field message on the page --------------------

@pytest.mark.parametrize(("role", "url", "body"), [
    ("station_chief", "/api/v1/customers", CUSTOMER),
    ("station_chief", "/api/v1/meters", METER),
    ("metering_head", "/api/v1/equipment", EQUIPMENT),
])
def test_duplicate_keys_are_409_on_the_api(staff, api, role, url, body):
    client, headers = api(role)
    assert client.post(url, headers=headers, json=body).status_code == 201
    again = client.post(url, headers={**headers, **EN}, json=body)
    assert again.status_code == 409
    assert set(again.json) == {"error"} and "already exists" in again.json["error"]


def test_a_unique_key_race_is_409_not_500(staff, api, monkeypatch):
    """Two clerks at once both pass the check; the database's unique constraint stops the second."""
    from fieldsvc.customers.services import customers
    monkeypatch.setattr(customers, "_check_account_unique", lambda *args, **kwargs: None)
    client, headers = api("station_chief")
    assert client.post("/api/v1/customers", headers=headers, json=CUSTOMER).status_code == 201
    again = client.post("/api/v1/customers", headers={**headers, **EN}, json=CUSTOMER)
    assert again.status_code == 409 and set(again.json) == {"error"}


def test_a_bad_field_is_still_422_not_409(staff, api):
    client, headers = api("station_chief")
    response = client.post("/api/v1/customers", headers=headers, json={**CUSTOMER, "category": "palace"})
    assert response.status_code == 422 and "category" in response.json["errors"]


def test_duplicate_account_on_the_page_is_a_field_message_keeping_the_typed_values(staff, login):
    client = login("station_chief")
    form = {"account_no": "30000001", "name": "王小明", "category": "residential", "gas": "NG",
            "district": "城东片区", "estate": "幸福小区", "building": "3", "unit": "2", "room": "502"}
    assert client.post("/customers/new", data=form).status_code == 302
    again = client.post("/customers/new", headers=EN, data={**form, "name": "李四新户"})
    html = again.get_data(as_text=True)
    assert again.status_code == 422
    assert "This account number already exists." in html and 'value="李四新户"' in html


def test_duplicate_meter_serial_on_the_page(staff, login):
    client = login("station_chief")
    assert client.post("/customers/meters/new", data=METER).status_code == 302
    again = client.post("/customers/meters/new", headers=EN, data={**METER, "maker": "重庆前卫"})
    html = again.get_data(as_text=True)
    assert again.status_code == 422 and "This meter serial number already exists." in html
    assert 'value="重庆前卫"' in html


def test_duplicate_equipment_serial_on_the_page(staff, login):
    client = login("metering_head")
    assert client.post("/metering/equipment/new", data=EQUIPMENT).status_code == 302
    again = client.post("/metering/equipment/new", headers=EN, data={**EQUIPMENT, "name": "第二台装置"})
    html = again.get_data(as_text=True)
    assert again.status_code == 422 and "This equipment serial number already exists." in html
    assert 'value="第二台装置"' in html


# --- item 8: a stale flush is a 409 (API) or a reload with a message (page) ------------------------------

@pytest.fixture
def customer(staff, db):
    from fieldsvc.customers import services
    row = services.create_customer(staff["director"], {**CUSTOMER, "district": "城东片区"})
    db.session.commit()
    return row


@pytest.fixture
def someone_else_edits_first():
    """Just before our flush writes the customer, another writer bumps its version (as a concurrent
    request on PostgreSQL would): our UPDATE … WHERE version = ? then matches no row (StaleDataError)."""
    def bump(session, flush_context, instances):
        for obj in list(session.dirty):
            if isinstance(obj, Customer):
                session.connection().execute(update(Customer).where(Customer.id == obj.id)
                                             .values(version=Customer.version + 1, name="别人改的名字"))
    event.listen(_db.session, "before_flush", bump)
    yield
    event.remove(_db.session, "before_flush", bump)


def test_stale_write_on_the_api_is_409(customer, api, someone_else_edits_first, db):
    client, headers = api("station_chief")
    response = client.patch(f"/api/v1/customers/{customer.id}", headers={**headers, **EN}, json={"address": "我的改动"})
    assert response.status_code == 409
    assert response.json == {"error": "Someone else changed this record — reload and try again."}
    db.session.expire_all()
    stored = db.session.get(Customer, customer.id)
    assert (stored.name, stored.address) == ("王小明", CUSTOMER["address"])  # ours rolled back, and so was the bump


def test_stale_write_on_a_page_reloads_it_with_a_message(customer, login, someone_else_edits_first):
    client = login("station_chief")
    edit = f"/customers/{customer.id}/edit"
    response = client.post(edit, headers={**EN, "Referer": f"http://localhost{edit}"}, data={
        "address": "我的改动", "version": str(customer.version)})
    assert response.status_code == 302 and response.location == edit
    page = client.get(edit, headers=EN).get_data(as_text=True)
    assert "Someone else changed this record — reload and try again." in page


def test_stale_write_never_redirects_off_site(customer, login, someone_else_edits_first):
    client = login("station_chief")
    response = client.post(f"/customers/{customer.id}/edit", headers={**EN, "Referer": "http://evil.example/x"},
                           data={"address": "我的改动"})
    assert response.status_code == 302 and response.location == "/"


def test_the_outbox_gets_a_409_it_keeps(customer, login, someone_else_edits_first):
    """An offline replay asks for JSON: a redirect would look like success and the form would be dropped."""
    client = login("station_chief")
    response = client.post(f"/customers/{customer.id}/edit", data={"address": "我的改动"},
                           headers={**EN, "Accept": "application/json, text/html;q=0.5"})
    assert response.status_code == 409 and response.json["error"].startswith("Someone else changed")


def test_dates_module_constants_are_sane(app):
    from fieldsvc.schemas import DATE_MAX, DATE_MIN
    assert date(2000, 1, 1) == DATE_MIN and date(2100, 12, 31) == DATE_MAX
    assert DATE_MIN < clock.today() + timedelta(days=1) < DATE_MAX
