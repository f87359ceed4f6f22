"""A visit's consequences outside the domain (RULES.md §5, §6): a supply shut off at a grade A visit
shuts the customer's supply for safety, each grade A visit feeds the safety officer's HSE inbox, and
open_shutoff_hazards tells dispatch whether a restoration may complete."""
import pytest

from fieldsvc.audit import AuditEntry
from fieldsvc.customers.models import SupplyChange
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.dispatch.services import orders
from fieldsvc.errors import Invalid
from fieldsvc.hse.models import HseObservation
from fieldsvc.inspections.models import Hazard
from fieldsvc.inspections.services import hazards, recording, shutoff
from tests.inspections.conftest import make_customer

LEAK = {"code": "leak_detected", "ok": False, "note": "表前阀漏气"}
BEDROOM = {"code": "appliance_in_bedroom", "ok": False}
HOSE = {"code": "hose_aged", "ok": False, "note": "胶管龟裂"}


def _visit(staff, customer, items, strict=True, who="repair_tech", **data):
    return recording.record(staff[who], {"customer_id": customer.id, "outcome": "completed", "items": items,
                                         **data}, strict=strict)


def test_grade_a_with_the_supply_shut_off_shuts_the_customer_off_and_feeds_hse(staff, customer, db, en_request,
                                                                               signature_url):
    inspection = _visit(staff, customer, [LEAK, BEDROOM, HOSE], supply_shut_off=True, signature=signature_url)
    db.session.commit()
    assert (customer.supply, customer.supply_reason) == ("shut_off", "safety")
    change = db.session.query(SupplyChange).one()
    assert (change.customer_id, change.inspection_id, change.reason, change.by_id) == (
        customer.id, inspection.id, "safety", staff["repair_tech"].id)
    observation = db.session.query(HseObservation).one()  # one per visit, listing the grade A items
    assert (observation.kind, observation.status, observation.inspection_id, observation.work_order_id,
            observation.reported_by) == ("hazard", "open", inspection.id, None, staff["repair_tech"].id)
    assert "Gas leak detected" in observation.description and "表前阀漏气" in observation.description
    assert "bedroom" in observation.description and "Hose" not in observation.description  # grade B not fed
    assert "shut off" in observation.description and observation.location == customer.address
    assert observation.activity == "Household safety inspection"
    actions = {a for (a,) in db.session.query(AuditEntry.action)}
    assert {"customer.supply", "hse_observation.from_field"} <= actions


@pytest.mark.parametrize("items,shut,supply,fed", [
    ([HOSE], False, "on", 0),  # grade B: nothing outside the domain
    ([{**HOSE, "grade": "A"}], True, "shut_off", 1),  # judged graver than its default: grade A
    ([{**LEAK, "grade": "B"}], False, "on", 0),  # judged lighter: grade B
    ([], False, "on", 0),
])
def test_only_grade_a_feeds_hse_and_only_a_shut_off_changes_the_supply(staff, customer, db, en_request,
                                                                       signature_url, items, shut, supply, fed):
    _visit(staff, customer, items, supply_shut_off=shut, signature=signature_url)
    assert customer.supply == supply
    assert db.session.query(HseObservation).count() == fed


def test_a_refused_visit_changes_nothing(staff, customer, db, en_request):
    with pytest.raises(Invalid):
        _visit(staff, customer, [LEAK])  # the form needs the shut-off and the signature
    db.session.rollback()
    assert customer.supply == "on"
    assert db.session.query(HseObservation).count() == db.session.query(SupplyChange).count() == 0


def test_an_api_record_shuts_the_supply_when_the_shut_off_is_added(staff, customer, db, en_request, signature_url):
    inspection = _visit(staff, customer, [LEAK], strict=False)
    assert customer.supply == "on"  # the shut-off is not recorded: nobody says the gas is off
    observation = db.session.query(HseObservation).one()
    assert "shut off" not in observation.description
    recording.complete_record(staff["repair_tech"], inspection, {"supply_shut_off": True})
    assert (customer.supply, customer.supply_reason) == ("shut_off", "safety")
    assert db.session.query(SupplyChange).one().inspection_id == inspection.id
    recording.complete_record(staff["repair_tech"], inspection, {"signature": signature_url})
    assert db.session.query(SupplyChange).count() == 1 and db.session.query(HseObservation).count() == 1


def test_the_api_goes_through_the_same_service(api, customer, db):
    client, headers = api("meter_reader")
    response = client.post("/api/v1/inspections", headers=headers, json={
        "customer_id": customer.id, "outcome": "completed", "supply_shut_off": True,
        "items": [{"code": "leak_detected", "ok": False}]})
    assert response.status_code == 201, response.json
    db.session.refresh(customer)
    assert (customer.supply, customer.supply_reason) == ("shut_off", "safety")
    assert db.session.query(HseObservation).one().inspection_id == response.json["id"]


def test_a_customer_off_for_arrears_is_now_off_for_safety(staff, customer, db, en_request, signature_url):
    customer.supply, customer.supply_reason = "shut_off", "arrears"
    db.session.commit()
    inspection = _visit(staff, customer, [LEAK], supply_shut_off=True, signature=signature_url)
    assert (customer.supply, customer.supply_reason) == ("shut_off", "safety")
    assert db.session.query(SupplyChange).one().inspection_id == inspection.id


# --- open_shutoff_hazards -----------------------------------------------------------------------------

@pytest.mark.parametrize("status,listed", [
    ("open", True), ("rectifying", True), ("awaiting_recheck", True), ("closed", False),
])
def test_open_shutoff_hazards_by_status(staff, customer, db, en_request, signature_url, status, listed):
    inspection = _visit(staff, customer, [LEAK, HOSE], supply_shut_off=True, signature=signature_url)
    grade_a = next(h for h in inspection.hazards if h.grade == "A")
    grade_a.status = status
    db.session.flush()
    assert shutoff.open_shutoff_hazards(customer.id) == ([grade_a] if listed else [])


def test_open_shutoff_hazards_is_per_customer_and_grade_a_only(staff, customer, db, en_request, signature_url):
    other = make_customer(db, "61000077")
    _visit(staff, other, [LEAK], supply_shut_off=True, signature=signature_url)
    _visit(staff, customer, [HOSE], signature=signature_url)
    assert shutoff.open_shutoff_hazards(customer.id) == []
    assert [h.code for h in shutoff.open_shutoff_hazards(other.id)] == ["leak_detected"]


def test_the_hazard_leaves_the_list_only_after_the_recheck(staff, customer, db, en_request, signature_url, jpeg):
    inspection = _visit(staff, customer, [LEAK], supply_shut_off=True, signature=signature_url)
    db.session.commit()
    hazard = inspection.hazards[0]
    order = db.session.get(WorkOrder, hazard.work_order_id)
    orders.assign(staff["station_chief"], order.id, staff["pipe_fitter"].id, order.version)
    for to in ("accepted", "en_route", "on_site"):
        orders.transition(staff["pipe_fitter"], order.id, to, order.version)
    hazards.complete_rectification(staff["pipe_fitter"], hazard, jpeg(), jpeg((0, 200, 0)), "更换表前阀",
                                   order.version)
    assert hazard.status == "awaiting_recheck"
    assert shutoff.open_shutoff_hazards(customer.id) == [hazard]  # fixed, not yet re-checked
    hazards.recheck(staff["safety_officer"], hazard, True, "复查合格")
    assert shutoff.open_shutoff_hazards(customer.id) == []
    assert db.session.get(Hazard, hazard.id).status == "closed"


# --- the form shows the supply ------------------------------------------------------------------------

def test_the_form_shows_the_customers_supply(login, customer, db, staff, signature_url):
    client = login("repair_tech")
    page = client.get(f"/inspections/new/{customer.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'data-supply="on"' in page and "Gas on" in page
    response = client.post(f"/inspections/new/{customer.id}", data={
        "outcome": "completed", "item_leak_detected": "hazard", "supply_shut_off": "1",
        "signature": signature_url}, headers={"Accept-Language": "en"})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/inspections/new/{customer.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'data-supply="shut_off"' in page and "Gas shut off · safety hazard" in page

