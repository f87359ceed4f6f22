"""Recording visits: nobody home three times (door gap, long-term flag), refusals, appliances past their
life, what a grade A finding requires, completing a record afterwards."""
from datetime import date, datetime, timedelta

import pytest

from fieldsvc import clock
from fieldsvc.audit import AuditEntry
from fieldsvc.customers.models import Appliance, Meter
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.errors import Invalid, NotFound
from fieldsvc.inspections.models import CustomerSafety, Inspection, InspectionAppliance
from fieldsvc.inspections.services import followups, recording
from tests.inspections.conftest import make_customer


def _visit(staff, customer, outcome="nobody_home", who="repair_tech", strict=True, **data):
    return recording.record(staff[who], {"customer_id": customer.id, "outcome": outcome, **data}, strict=strict)


def test_third_nobody_home_needs_the_door_gap_check_and_flags_long_term(staff, customer, db, en_request):
    first = _visit(staff, customer, card_left=True)
    _visit(staff, customer, card_left=True)
    assert first.card_left and db.session.query(CustomerSafety).count() == 0
    with pytest.raises(Invalid) as exc:
        _visit(staff, customer, card_left=True)
    assert set(exc.value.errors) == {"door_gap_check"}
    third = _visit(staff, customer, card_left=True, door_gap_check="no_leak")
    db.session.commit()
    flags = db.session.query(CustomerSafety).filter_by(customer_id=customer.id).one()
    assert flags.long_term_uninspected and flags.long_term_since == clock.today()
    assert third.door_gap_check == "no_leak"
    assert db.session.query(AuditEntry).filter_by(action="customer_safety.long_term").count() == 1
    assert db.session.query(WorkOrder).count() == 0
    rows, total = followups.long_term(staff["safety_officer"], None, 1, 10)
    assert total == 1 and rows[0][1].id == customer.id
    # The next completed inspection ends the flag.
    _visit(staff, customer, "completed")
    assert not flags.long_term_uninspected


def test_gas_at_the_door_gap_opens_an_emergency(staff, customer, db, en_request):
    for _ in range(2):
        _visit(staff, customer)
    _visit(staff, customer, door_gap_check="leak")
    order = db.session.query(WorkOrder).one()
    assert (order.type, order.priority, order.customer_id) == ("emergency", "urgent", customer.id)


def test_nobody_home_of_an_earlier_cycle_does_not_count(staff, customer, db, en_request):
    last_year = datetime.combine(clock.today().replace(month=1, day=1) - timedelta(days=3),
                                 datetime.min.time().replace(hour=10), tzinfo=clock.zone())
    for _ in range(2):
        _visit(staff, customer, visited_at=last_year)
    _visit(staff, customer)  # first of this cycle: no door-gap check needed
    assert db.session.query(CustomerSafety).count() == 0


def test_revisit_suggestion_after_missed_visits(staff, customer, db, en_request):
    monday_morning = datetime(2026, 3, 9, 9, 30, tzinfo=clock.zone())
    if monday_morning.date() > clock.today() or monday_morning.year != clock.today().year:
        monday_morning = datetime.combine(clock.today() - timedelta(days=clock.today().weekday() or 7),
                                          datetime.min.time().replace(hour=9), tzinfo=clock.zone())
    _visit(staff, customer, visited_at=monday_morning)
    info = followups.next_try(followups.visits_this_cycle(customer))
    assert info["missed"] == 1 and info["slots"] == ["weekday_morning"]
    assert info["suggest"] == "weekday_evening" and not info["door_gap_next"]


def test_refusal_records_who_and_lists_the_customer(staff, customer, db, en_request):
    with pytest.raises(Invalid) as exc:
        _visit(staff, customer, "refused")
    assert set(exc.value.errors) == {"refused_by"}
    _visit(staff, customer, "refused", refused_by="户主王先生", refusal_reason="工作忙")
    db.session.commit()
    rows, total = followups.refusals(staff["safety_officer"], None, 1, 10)
    assert total == 1 and rows[0][0].refused_by == "户主王先生" and rows[0][1].id == customer.id
    _visit(staff, customer, "completed")  # inspected later in the cycle: off the list
    assert followups.refusals(staff["safety_officer"], None, 1, 10)[1] == 0


def test_appliance_past_its_life_raises_appliance_expired_by_itself(staff, db, en_request, signature_url):
    old_stove = make_customer(db, "61000010", appliances=[("stove", 365 * 9), ("water_heater", 365)])
    inspection = _visit(staff, old_stove, "completed", signature=signature_url,
                        items=[{"code": "appliance_expired", "ok": True}, {"code": "hose_aged", "ok": True}])
    found = {r.code: r for r in inspection.results}
    assert found["appliance_expired"].ok is False and found["appliance_expired"].auto is True
    assert [h.code for h in inspection.hazards] == ["appliance_expired"]
    assert inspection.hazards[0].grade == "B"
    expired = {ia.appliance.kind: ia.expired for ia in db.session.query(InspectionAppliance)}
    assert expired == {"stove": True, "water_heater": False}


@pytest.mark.parametrize("gas,kind,age_years,expired", [
    ("NG", "stove", 8, True), ("NG", "stove", 7, False), ("NG", "water_heater", 8, True),
    ("MG", "water_heater", 6, True), ("MG", "water_heater", 5, False), ("NG", "wall_boiler", 9, False),
    ("LPG", "other", 10, True),
])
def test_appliance_life_per_kind_and_gas(staff, db, en_request, signature_url, gas, kind, age_years, expired):
    customer = make_customer(db, "61000020", gas=gas, appliances=[(kind, 365 * age_years + age_years // 4 + 2)])
    inspection = _visit(staff, customer, "completed", signature=signature_url)
    assert any(h.code == "appliance_expired" for h in inspection.hazards) is expired


def test_a_new_appliance_added_at_the_visit_is_judged_too(staff, customer, db, en_request, signature_url):
    sold = clock.today() - timedelta(days=365 * 12)
    inspection = _visit(staff, customer, "completed", signature=signature_url,
                        new_appliances=[{"kind": "water_heater", "brand": "林内", "sold_on": sold}])
    assert db.session.query(Appliance).filter_by(customer_id=customer.id).count() == 2
    assert [h.code for h in inspection.hazards] == ["appliance_expired"]
    assert db.session.query(InspectionAppliance).filter_by(added=True).count() == 1


def test_unseen_appliance_is_recorded_as_not_seen(staff, customer, db, en_request):
    _visit(staff, customer, "completed", appliances=[])
    row = db.session.query(InspectionAppliance).one()
    assert row.seen is False
    with pytest.raises(Invalid):
        _visit(staff, customer, "completed", appliances=[99999])


def test_meter_past_its_life_raises_meter_expired(staff, customer, db, en_request, signature_url):
    db.session.add(Meter(serial_no="MX-OLD", customer_id=customer.id, size="G2.5", accuracy_class="1.5",
                         kind="diaphragm", location="indoor", status="installed",
                         first_verified_on=date(2010, 1, 1), installed_on=date(2010, 2, 1)))
    db.session.commit()
    inspection = _visit(staff, customer, "completed", signature=signature_url)
    assert [h.code for h in inspection.hazards] == ["meter_expired"]


def test_grade_a_needs_shut_off_and_signature_on_the_form(staff, customer, db, en_request, signature_url):
    items = [{"code": "leak_detected", "ok": False}]
    with pytest.raises(Invalid) as exc:
        _visit(staff, customer, "completed", items=items, no_signature_reason="不在家")
    assert set(exc.value.errors) == {"supply_shut_off", "signature"}
    assert db.session.query(Inspection).count() == 0
    inspection = _visit(staff, customer, "completed", items=items, supply_shut_off=True, signature=signature_url)
    assert inspection.supply_shut_off and inspection.signature_id and inspection.missing is None


def test_an_incomplete_api_record_is_completed_later(staff, customer, db, en_request, signature_url):
    inspection = _visit(staff, customer, "completed", strict=False, items=[{"code": "leak_detected", "ok": False}])
    assert inspection.missing_codes == ["supply_shut_off", "signature"]
    assert followups.incomplete(staff["safety_officer"]) == [inspection]
    assert followups.incomplete(staff["repair_tech"]) == [inspection]
    with pytest.raises(NotFound):  # another inspector
        recording.complete_record(staff["repair_tech2"], inspection, {"supply_shut_off": True})
    recording.complete_record(staff["repair_tech"], inspection, {"supply_shut_off": True})
    assert inspection.missing_codes == ["signature"]
    with pytest.raises(Invalid):  # grade A: a reason does not replace the signature
        recording.complete_record(staff["repair_tech"], inspection, {"no_signature_reason": "拒签"})
    recording.complete_record(staff["safety_officer"], inspection, {"signature": signature_url})
    assert inspection.missing is None and inspection.signature_id


def test_pressure_is_judged_on_the_customers_gas(staff, db, en_request):
    lpg = make_customer(db, "61000030", gas="LPG")
    inspection = _visit(staff, lpg, "completed", static_pa=2600, working_pa=2050)
    assert (inspection.gas, inspection.pressure_verdict, inspection.restriction) == ("LPG", "low", False)


def test_photo_on_any_item(staff, customer, db, en_request, jpeg):
    inspection = recording.record(staff["repair_tech"], {
        "customer_id": customer.id, "outcome": "completed", "items": [{"code": "hose_aged", "ok": True}]},
        photos={"hose_aged": jpeg()})
    assert inspection.results[0].photo_id
    with pytest.raises(Invalid) as exc:
        recording.record(staff["repair_tech"], {"customer_id": customer.id, "outcome": "completed"},
                         photos={"hose_aged": b"not a picture"})
    assert "photo_hose_aged" in exc.value.errors
