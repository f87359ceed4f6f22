"""A pipe fitter's indoor pipe check (issue #20): the sections of rules.PIPE_SECTIONS only, recorded as
scope indoor_pipe, its findings in the same hazard loop (order, rectification, re-check), not counted
as the annual household inspection; and the archive's base data (appliances, facility data)."""
import pytest

from fieldsvc.audit import AuditEntry
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.dispatch.services import orders
from fieldsvc.errors import Invalid, NotAllowed
from fieldsvc.inspections import rules
from fieldsvc.inspections.services import checklist, facility, hazards, plan, recording
from fieldsvc.permissions import P, can
from tests import factories
from tests.inspections.conftest import make_customer


def _pipe_check(staff, customer, items, **data):
    return recording.record(staff["pipe_fitter"], {"customer_id": customer.id, "outcome": "completed",
                                                   "items": items, **data}, strict=False)


@pytest.mark.parametrize("scope,sections", [
    ("indoor_pipe", {"entry", "meter", "pipes"}),
    ("household", {"entry", "meter", "pipes", "kitchen", "bathroom", "rooms"}),
])
def test_the_sections_each_scope_walks(db, staff, scope, sections):
    version = checklist.ensure_default()
    assert {i.section for i in checklist.items_for(version, "residential", scope)} == sections


def test_who_records_which_scope(staff):
    assert recording.scope_for(staff["pipe_fitter"]) == "indoor_pipe"
    assert recording.scope_for(staff["repair_tech"]) == "household"
    assert recording.scope_for(staff["meter_reader"]) == "household"
    with pytest.raises(NotAllowed):
        recording.scope_for(staff["card_clerk"])
    assert can(staff["pipe_fitter"], P.archive_data) and not can(staff["pipe_fitter"], P.customers_edit)


def test_a_pipe_check_finding_enters_the_same_loop(db, staff, customer, en_request, jpeg):
    inspection = _pipe_check(staff, customer, [{"code": "pipe_corrosion", "ok": False, "grade": "B",
                                                "note": "立管严重锈蚀"}, {"code": "meter_damaged", "ok": True}])
    db.session.commit()
    assert inspection.scope == "indoor_pipe" and inspection.inspector_id == staff["pipe_fitter"].id
    hazard = inspection.hazards[0]
    assert (hazard.code, hazard.grade, hazard.status) == ("pipe_corrosion", "B", "open")
    order = db.session.get(WorkOrder, hazard.work_order_id)
    assert order.type == "rectification"
    orders.assign(staff["station_chief"], order.id, staff["pipe_fitter2"].id, order.version)
    for to in ("accepted", "en_route", "on_site"):
        orders.transition(staff["pipe_fitter2"], order.id, to, order.version)
    hazards.complete_rectification(staff["pipe_fitter2"], hazard, jpeg(), jpeg((0, 200, 0)), "更换立管", order.version)
    hazards.recheck(staff["safety_officer"], hazard, True, "已复查", jpeg((0, 0, 200)))
    assert hazard.status == "closed"
    entry = db.session.query(AuditEntry).filter_by(action="inspection.record", entity_id=inspection.id).one()
    assert entry.data["scope"] == "indoor_pipe"


def test_items_outside_the_pipe_sections_are_refused(db, staff, customer, en_request):
    with pytest.raises(Invalid) as exc:
        _pipe_check(staff, customer, [{"code": "hose_aged", "ok": False}])
    assert list(exc.value.errors) == ["items"] and "hose_aged" in exc.value.errors["items"][0]


@pytest.mark.parametrize("outcome", ["refused", "nobody_home"])
def test_a_pipe_check_is_recorded_when_made(db, staff, customer, en_request, outcome):
    with pytest.raises(Invalid) as exc:
        recording.record(staff["pipe_fitter"], {"customer_id": customer.id, "outcome": outcome,
                                                "refused_by": "户主"}, strict=False)
    assert list(exc.value.errors) == ["outcome"]


def test_a_pipe_check_is_not_the_annual_inspection(db, staff, en_request):
    old_stove = make_customer(db, "61000077", appliances=[("stove", 365 * 9)])
    factories.meter(customer=old_stove, first_verified_on=factories.clock.today().replace(year=2010))
    before = plan.customer_status(old_stove)
    inspection = _pipe_check(staff, old_stove, [])
    # The meter past its life is in the pipe sections (raised by itself); the stove is the kitchen's.
    assert [r.code for r in inspection.results if not r.ok] == ["meter_expired"]
    assert plan.customer_status(old_stove) == before != "done"
    recording.record(staff["repair_tech"], {"customer_id": old_stove.id, "outcome": "completed", "items": []},
                     strict=False)
    assert plan.customer_status(old_stove) == "done"


def test_api_pipe_fitter_records_a_check(staff, api, customer):
    client, headers = api("pipe_fitter")
    response = client.post("/api/v1/inspections", headers=headers, json={
        "customer_id": customer.id, "outcome": "completed", "items": [{"code": "leak_detected", "ok": True},
                                                                      {"code": "pipe_concealed", "ok": True}]})
    assert response.status_code == 201 and response.json["scope"] == "indoor_pipe"
    assert client.get(f"/api/v1/inspections/{response.json['id']}", headers=headers).status_code == 200
    refused = client.post("/api/v1/inspections", headers=headers, json={
        "customer_id": customer.id, "outcome": "completed", "items": [{"code": "flue_not_outdoors", "ok": False}]})
    assert refused.status_code == 422 and "items" in refused.json["errors"]
    bad = client.post("/api/v1/inspections", headers=headers, json={
        "customer_id": customer.id, "outcome": "completed", "items": {"code": "pipe_corrosion"}})
    assert bad.status_code == 422


def test_the_form_shows_the_pipe_sections_and_keeps_what_was_typed(staff, login, customer):
    client = login("pipe_fitter")
    page = client.get(f"/inspections/new/{customer.id}", headers={"Accept-Language": "en"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-scope="indoor_pipe"' in body
    assert 'name="item_pipe_corrosion"' in body and 'name="item_hose_aged"' not in body
    assert 'value="nobody_home"' not in body
    response = client.post(f"/inspections/new/{customer.id}", data={
        "outcome": "completed", "item_pipe_corrosion": "hazard", "grade_pipe_corrosion": "B",
        "note_pipe_corrosion": "立管锈穿", "static_pa": "abc", "working_pa": "2000"},
        headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "立管锈穿" in response.get_data(as_text=True)
    done = client.post(f"/inspections/new/{customer.id}", data={
        "outcome": "completed", "item_pipe_corrosion": "hazard", "grade_pipe_corrosion": "C",
        "note_pipe_corrosion": "表面锈蚀"})
    assert done.status_code == 302
    shown = client.get(done.location, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'data-scope="indoor_pipe"' in shown and "Indoor pipe check" in shown


def test_archive_base_data_by_the_pipe_fitter(db, staff, login, customer, en_request):
    client = login("pipe_fitter")
    assert client.get(f"/inspections/customers/{customer.id}").status_code == 200
    assert client.get(f"/customers/{customer.id}/edit").status_code == 403  # not customers_edit
    bad = client.post(f"/inspections/customers/{customer.id}/facility",
                      data={"meter_location": "attic", "pipe_material": "steel", "facility_note": "表前阀锈蚀"},
                      headers={"Accept-Language": "en"})
    assert bad.status_code == 422 and "表前阀锈蚀" in bad.get_data(as_text=True)
    ok = client.post(f"/inspections/customers/{customer.id}/facility",
                     data={"meter_location": "balcony", "pipe_material": "galvanised", "facility_note": "表前阀锈蚀"})
    assert ok.status_code == 302
    added = client.post(f"/inspections/customers/{customer.id}/appliances/new",
                        data={"kind": "water_heater", "brand": "万和", "sold_on": "2021-05-01", "flue_type": "forced"})
    assert added.status_code == 302
    bad_date = client.post(f"/inspections/customers/{customer.id}/appliances/new",
                           data={"kind": "stove", "brand": "方太", "sold_on": "2026-13-45"})
    assert bad_date.status_code == 422 and "方太" in bad_date.get_data(as_text=True)
    db.session.expire_all()
    flags = recording.flags_for(customer.id)
    assert (flags.meter_location, flags.pipe_material, flags.facility_by_id) == (
        "balcony", "galvanised", staff["pipe_fitter"].id)
    assert any(a.kind == "water_heater" and a.brand == "万和" for a in customer.appliances)
    page = client.get(f"/inspections/customers/{customer.id}", headers={"Accept-Language": "en"})
    assert "Galvanised steel pipe" in page.get_data(as_text=True)
    assert login("card_clerk").get(f"/inspections/customers/{customer.id}/facility").status_code == 403


def test_facility_service_refuses_what_is_not_a_choice(db, staff, customer, en_request):
    with pytest.raises(Invalid) as exc:
        facility.update_facility(staff["pipe_fitter"], customer, {"pipe_material": "cardboard"})
    assert list(exc.value.errors) == ["pipe_material"]
    with pytest.raises(NotAllowed):
        facility.update_facility(staff["meter_reader"], customer, {"pipe_material": "steel"})
    facility.update_facility(staff["pipe_fitter"], customer, {"pipe_material": "steel"})
    with pytest.raises(Invalid):
        facility.update_facility(staff["pipe_fitter"], customer, {"pipe_material": "steel"})  # nothing changed
    assert rules.item_in_scope("kitchen", "indoor_pipe") is False
