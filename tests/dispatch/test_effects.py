"""What a completed order changes (RULES.md §5): every row of the table through the service, the API and
the page form; refusals name the field and change nothing."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from fieldsvc import clock
from fieldsvc.customers import services as customer_services
from fieldsvc.customers.models import Meter, SupplyChange
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.dispatch.services import orders
from fieldsvc.errors import Invalid
from fieldsvc.hse.models import HseObservation
from fieldsvc.readings.models import Bill, Reading

EN = {"Accept-Language": "en"}
EMERGENCY_SHUT = {"leak_found": "true", "leak_location": "表前阀接口", "gas_state": "shut_off",
                  "shut_off_reason": "表前阀漏气，待更换"}
PURGE_OK = {"test_pressure_kpa": "5.0", "test_duration_min": "15", "pressure_drop_kpa": "0", "test_result": "pass",
            "purge_confirmed": "1", "burners_lit": "1", "flame_failure_checked": "1", "opening_reading": "3.125",
            "seal_no": "QF-0001", "safety_briefing": "1"}


def _complete(staff, order, results, who="repair_tech", **extra):
    return orders.transition(staff[who], order.id, "completed", order.version,
                             completion={"results": results, "no_signature_reason": "用户签不了", **extra})


def _unchanged(db, order):
    db.session.rollback()
    assert db.session.get(WorkOrder, order.id).status == "on_site"


# --- emergency -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("results, fields", [
    ({}, {"leak_found", "gas_state"}),
    ({"leak_found": "true", "gas_state": "unaffected"}, {"leak_location"}),
    ({"leak_found": "false", "gas_state": "shut_off"}, {"shut_off_reason"}),
    ({"leak_found": "false", "gas_state": "off"}, {"gas_state"}),
])
def test_emergency_needs_its_outcome(make_order, staff, db, results, fields):
    order = make_order("emergency", assignee="repair_tech", status="on_site")
    with pytest.raises(Invalid) as exc:
        _complete(staff, order, results)
    assert set(exc.value.errors) == fields
    _unchanged(db, order)


def test_emergency_shut_off_closes_the_supply_and_opens_a_child_repair(make_order, staff, db, customers):
    order = make_order("emergency", assignee="repair_tech", status="on_site")
    _complete(staff, order, EMERGENCY_SHUT)
    db.session.commit()
    customer = customers[0]
    db.session.refresh(customer)
    assert (customer.supply, customer.supply_reason) == ("shut_off", "emergency")
    change = db.session.execute(select(SupplyChange).where(SupplyChange.customer_id == customer.id)).scalar_one()
    assert change.work_order_id == order.id
    child = db.session.execute(select(WorkOrder).where(WorkOrder.parent_id == order.id)).scalar_one()
    assert (child.type, child.status, child.assignee_id, child.customer_id) == ("repair", "new", None, customer.id)
    observation = db.session.execute(select(HseObservation)).scalar_one()
    assert observation.work_order_id == order.id and "表前阀接口" in observation.description


def test_emergency_without_leak_changes_nothing_else(make_order, staff, db, customers):
    order = make_order("emergency", assignee="repair_tech", status="on_site")
    _complete(staff, order, {"leak_found": "false", "gas_state": "unaffected"})
    db.session.commit()
    assert customers[0].supply == "on"
    assert db.session.execute(select(WorkOrder).where(WorkOrder.parent_id == order.id)).first() is None
    assert db.session.execute(select(HseObservation)).first() is None


def test_emergency_restored_turns_an_emergency_shut_off_back_on(make_order, staff, db, customers):
    first = make_order("emergency", assignee="repair_tech", status="on_site")
    _complete(staff, first, EMERGENCY_SHUT)
    second = make_order("emergency", assignee="repair_tech", status="on_site")
    _complete(staff, second, {"leak_found": "false", "gas_state": "restored"})
    db.session.commit()
    assert (customers[0].supply, customers[0].supply_reason) == ("on", None)


# --- meter replacement ---------------------------------------------------------------------------------

def test_meter_replacement_swaps_the_meters_with_readings_and_a_final_bill(make_order, staff, db, customers,
                                                                            meters):
    order = make_order("meter_replacement", assignee="repair_tech", status="on_site")
    _complete(staff, order, {"old_reading": "180", "new_serial": "M-NEW", "new_reading": "0.5"})
    db.session.commit()
    old, new = db.session.get(Meter, meters["M-OLD"].id), db.session.get(Meter, meters["M-NEW"].id)
    assert (old.status, old.customer_id) == ("removed", None)
    assert (new.status, new.customer_id, new.installed_on, new.start_reading) == (
        "installed", customers[0].id, clock.today(), Decimal("0.5"))
    final = db.session.execute(select(Reading).where(Reading.meter_id == old.id, Reading.kind == "final")).scalar_one()
    assert final.value == Decimal("180") and final.consumption_m3 == Decimal("80")
    assert db.session.execute(select(Bill).where(Bill.reading_id == final.id)).scalar_one() is not None
    start = db.session.execute(select(Reading).where(Reading.meter_id == new.id)).scalar_one()
    assert (start.kind, start.value) == ("start", Decimal("0.5"))


@pytest.mark.parametrize("results, field", [
    ({"old_reading": "180", "new_serial": "NOPE", "new_reading": "0"}, "new_serial"),
    ({"old_reading": "180", "new_serial": "M-OLD", "new_reading": "0"}, "new_serial"),
    ({"new_serial": "M-NEW", "new_reading": "0"}, "old_reading"),
    ({"old_reading": "180", "new_reading": "0"}, "new_serial"),
    ({"old_reading": "180", "new_serial": "M-NEW", "new_reading": "0", "old_serial": "M-SPARE"}, "old_serial"),
])
def test_meter_replacement_refusals_name_the_field_and_change_nothing(make_order, staff, db, meters, results,
                                                                     field):
    order = make_order("meter_replacement", assignee="repair_tech", status="on_site")
    with pytest.raises(Invalid) as exc:
        _complete(staff, order, results)
    assert field in exc.value.errors
    _unchanged(db, order)
    assert db.session.get(Meter, meters["M-OLD"].id).status == "installed"
    assert db.session.get(Meter, meters["M-NEW"].id).status == "in_stock"


# --- purge and ignite ----------------------------------------------------------------------------------

def test_purge_ignition_records_the_opening_reading_and_seal(make_order, staff, db, customers, meters):
    meter = meters["M-OLD"]
    meter.installed_on = None
    db.session.commit()
    order = make_order("purge_ignition", assignee="repair_tech", status="on_site")
    _complete(staff, order, PURGE_OK)
    db.session.commit()
    meter = db.session.get(Meter, meter.id)
    assert (meter.start_reading, meter.seal_no, meter.installed_on) == (Decimal("3.125"), "QF-0001", clock.today())
    assert customers[0].supply == "on"


def test_purge_ignition_needs_a_meter(make_order, staff, db, customers):
    order = make_order("purge_ignition", assignee="repair_tech", status="on_site", customer=customers[1])
    with pytest.raises(Invalid) as exc:
        _complete(staff, order, PURGE_OK)
    assert "opening_reading" in exc.value.errors


# --- suspension and restoration ------------------------------------------------------------------------

@pytest.mark.parametrize("results, field", [
    ({"seal_no": "S1", "final_reading": "150"}, "supply_shut"),
    ({"supply_shut": "1", "final_reading": "150"}, "seal_no"),
    ({"supply_shut": "1", "seal_no": "S1"}, "final_reading"),
])
def test_suspension_needs_its_results(make_order, staff, db, meters, results, field):
    order = make_order("suspension", assignee="repair_tech", status="on_site")
    with pytest.raises(Invalid) as exc:
        _complete(staff, order, results)
    assert field in exc.value.errors
    _unchanged(db, order)


def test_suspension_then_restoration_move_the_supply(make_order, staff, db, customers, meters):
    order = make_order("suspension", assignee="repair_tech", status="on_site")
    _complete(staff, order, {"supply_shut": "1", "seal_no": "S-77", "final_reading": "150"})
    db.session.commit()
    customer = customers[0]
    assert customer.supply == "shut_off" and customer.supply_reason in ("arrears", "request")
    assert db.session.get(Meter, meters["M-OLD"].id).seal_no == "S-77"
    reading = db.session.execute(select(Reading).where(Reading.meter_id == meters["M-OLD"].id)).scalar_one()
    assert reading.value == Decimal("150")
    restore = make_order("restoration", assignee="repair_tech", status="on_site")
    with pytest.raises(Invalid) as exc:
        _complete(staff, restore, {"supply_restored": "1"})
    assert "appliances_checked" in exc.value.errors
    db.session.rollback()
    _complete(staff, restore, {"supply_restored": "1", "appliances_checked": "1"})
    db.session.commit()
    assert (customer.supply, customer.supply_reason) == ("on", None)


def test_restoration_refused_while_a_safety_shut_off_hazard_is_open(make_order, staff, db, customers,
                                                                    monkeypatch):
    from fieldsvc.inspections.services import shutoff
    customer_services.set_supply(staff["safety_officer"], customers[0], "shut_off", "safety")
    db.session.commit()
    monkeypatch.setattr(shutoff, "open_shutoff_hazards", lambda customer_id: ["leak_detected"])
    order = make_order("restoration", assignee="repair_tech", status="on_site")
    with pytest.raises(Invalid) as exc:
        _complete(staff, order, {"supply_restored": "1", "appliances_checked": "1"})
    assert "supply_restored" in exc.value.errors
    _unchanged(db, order)
    assert customers[0].supply == "shut_off"


# --- the API and the page go through the same service ---------------------------------------------------

def test_api_names_the_missing_result_and_writes_through(make_order, staff, db, api, customers):
    order = make_order("emergency", assignee="repair_tech", status="on_site")
    client, headers = api("repair_tech")
    url = f"/api/v1/work-orders/{order.id}/transition"
    body = {"to": "completed", "version": order.version, "no_signature_reason": "x"}
    response = client.post(url, json={**body, "results": {"leak_found": False}}, headers=headers)
    assert response.status_code == 422
    assert "gas_state" in str(response.get_json())
    response = client.post(url, json={**body, "results": {"leak_found": True, "leak_location": "灶前",
                                                          "gas_state": "shut_off", "shut_off_reason": "漏气"}},
                           headers=headers)
    assert response.status_code == 200, response.get_json()
    children = client.get(f"/api/v1/work-orders?parent_id={order.id}", headers=headers)
    chief, chief_headers = api("station_chief")
    listed = chief.get(f"/api/v1/work-orders?parent_id={order.id}", headers=chief_headers).get_json()
    assert children.status_code == 200
    assert [(o["type"], o["parent_id"]) for o in listed["items"]] == [("repair", order.id)]
    customer = chief.get(f"/api/v1/customers/{customers[0].id}", headers=chief_headers).get_json()
    assert (customer["supply"], customer["supply_reason"]) == ("shut_off", "emergency")


def test_page_refusal_keeps_what_was_typed_photos_included(make_order, staff, db, login, jpeg, signature_url):
    import io
    order = make_order("emergency", assignee="repair_tech", status="on_site")
    client = login("repair_tech")
    url = f"/dispatch/orders/{order.id}/complete"
    form = {"version": str(order.version), "leak_found": "true", "leak_location": "厨房灶前",
            "work_notes": "关阀处理", "signature": signature_url,
            "photos": (io.BytesIO(jpeg()), "leak.jpg")}
    response = client.post(url, data=form, content_type="multipart/form-data", headers=EN)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "厨房灶前" in page and "关阀处理" in page and signature_url in page
    assert page.count('name="kept_photo"') == 1
    kept = page.split('name="kept_photo" value="')[1].split('"')[0]
    assert db.session.get(WorkOrder, order.id).status == "on_site"
    response = client.post(url, data={"version": str(order.version), "leak_found": "true", "leak_location": "厨房灶前",
                                      "gas_state": "unaffected", "signature": signature_url, "kept_photo": kept},
                           content_type="multipart/form-data", headers=EN)
    assert response.status_code == 302
    from fieldsvc import uploads
    photos = db.session.execute(select(uploads.Upload).where(uploads.Upload.entity == "work_order",
                                                            uploads.Upload.purpose == "photo")).scalars().all()
    assert len(photos) == 1


def test_customer_page_shows_the_supply_and_links_the_job_that_changed_it(make_order, staff, db, login,
                                                                          customers):
    order = make_order("emergency", assignee="repair_tech", status="on_site")
    _complete(staff, order, EMERGENCY_SHUT)
    db.session.commit()
    page = login("station_chief").get(f"/customers/{customers[0].id}", headers=EN).get_data(as_text=True)
    assert "Gas shut off · emergency" in page
    assert f'href="/dispatch/orders/{order.id}"' in page


# Each row of the table through the API and through the page form: a refusal names the field (422) and
# changes nothing; the complete results write through. (row, results missing one field, that field, results,
# what the row changes)
def _swapped(db, customers, meters):
    return db.session.get(Meter, meters["M-NEW"].id).customer_id == customers[0].id


def _shut(db, customers, meters):
    return customers[0].supply == "shut_off"


def _sealed(db, customers, meters):
    return db.session.get(Meter, meters["M-OLD"].id).seal_no == "QF-0001"


ROWS = [
    ("emergency", {"leak_found": "false"}, "gas_state", {"leak_found": "false", "gas_state": "shut_off",
                                                          "shut_off_reason": "立管漏气"}, _shut),
    ("meter_replacement", {"old_reading": "180", "new_reading": "0"}, "new_serial",
     {"old_reading": "180", "new_serial": "M-NEW", "new_reading": "0"}, _swapped),
    ("purge_ignition", {k: v for k, v in PURGE_OK.items() if k != "seal_no"}, "seal_no", PURGE_OK, _sealed),
    ("suspension", {"supply_shut": "1", "seal_no": "S1"}, "final_reading",
     {"supply_shut": "1", "seal_no": "S1", "final_reading": "150"}, _shut),
]


@pytest.mark.parametrize("type_, partial, field, results, changed", ROWS, ids=[r[0] for r in ROWS])
def test_each_row_through_the_api(make_order, staff, db, api, customers, meters, type_, partial, field, results,
                                  changed):
    order = make_order(type_, assignee="repair_tech", status="on_site")
    client, headers = api("repair_tech")
    url = f"/api/v1/work-orders/{order.id}/transition"
    body = {"to": "completed", "version": order.version, "no_signature_reason": "用户不在"}
    response = client.post(url, json={**body, "results": partial}, headers=headers)
    assert response.status_code == 422 and field in response.get_json()["errors"]
    assert db.session.get(WorkOrder, order.id).status == "on_site" and not changed(db, customers, meters)
    response = client.post(url, json={**body, "results": results}, headers=headers)
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    assert changed(db, customers, meters)


@pytest.mark.parametrize("type_, partial, field, results, changed", ROWS, ids=[r[0] for r in ROWS])
def test_each_row_through_the_page_form(make_order, staff, db, login, customers, meters, type_, partial, field,
                                        results, changed):
    order = make_order(type_, assignee="repair_tech", status="on_site")
    client = login("repair_tech")
    url = f"/dispatch/orders/{order.id}/complete"
    form = {"version": str(order.version), "no_signature_reason": "用户不在", "work_notes": "现场处理完毕"}
    response = client.post(url, data={**form, **partial}, headers=EN)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="e-{field}"' in page and "现场处理完毕" in page
    assert db.session.get(WorkOrder, order.id).status == "on_site" and not changed(db, customers, meters)
    response = client.post(url, data={**form, **results}, headers=EN)
    assert response.status_code == 302
    db.session.expire_all()
    assert changed(db, customers, meters)
