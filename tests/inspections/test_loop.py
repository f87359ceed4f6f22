"""The closed rectification loop through the services: hazard → order → pipe fitter → evidence →
re-check; failures, cancellations, escalation; nothing closes without evidence."""
from datetime import timedelta

import pytest

from fieldsvc import clock
from fieldsvc.audit import AuditEntry
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.dispatch.services import orders
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotFound
from fieldsvc.inspections.models import HazardEvent
from fieldsvc.inspections.services import hazard_lists, hazards, recording


@pytest.fixture
def hose(staff, customer, db, en_request, signature_url):
    """A grade B hose hazard found by the repair technician, its order assigned to the pipe fitter."""
    inspection = recording.record(staff["repair_tech"], {
        "customer_id": customer.id, "outcome": "completed", "signature": signature_url,
        "items": [{"code": "hose_aged", "ok": False, "note": "胶管龟裂"}]})
    db.session.commit()
    hazard = inspection.hazards[0]
    order = db.session.get(WorkOrder, hazard.work_order_id)
    orders.assign(staff["station_chief"], order.id, staff["pipe_fitter"].id, order.version)
    db.session.commit()
    return hazard


def _on_site(staff, db, hazard):
    order = db.session.get(WorkOrder, hazard.work_order_id)
    for to in ("accepted", "en_route", "on_site"):
        orders.transition(staff["pipe_fitter"], order.id, to, order.version)
    db.session.commit()
    return order


def test_the_whole_loop(staff, db, hose, jpeg):
    fitter, officer = staff["pipe_fitter"], staff["safety_officer"]
    assert hose.status == "open" and hose.grade == "B"
    assert hazards.get(fitter, hose.id) is hose  # the pipe fitter now sees the hazard of their order
    order = _on_site(staff, db, hose)
    hazards.refresh([hose])
    assert hose.status == "rectifying"
    hazards.complete_rectification(fitter, hose, jpeg(), jpeg((0, 200, 0)), "换金属波纹管", order.version)
    db.session.commit()
    assert order.status == "completed" and order.completion.results == {"hazard_fixed": True}
    assert hose.status == "awaiting_recheck"
    assert {p.stage for p in hose.photos} == {"before", "after"}
    hazards.recheck(officer, hose, True, "已更换", jpeg((0, 0, 200)))
    db.session.commit()
    assert hose.status == "closed" and hose.closed_by_id == officer.id
    actions = [e.action for e in db.session.query(HazardEvent).filter_by(hazard_id=hose.id).order_by(HazardEvent.id)]
    assert actions[:2] == ["found", "order"] and actions[-1] == "recheck_pass"
    assert "evidence" in actions and "status" in actions
    audited = {a for (a,) in db.session.query(AuditEntry.action).filter(AuditEntry.entity == "hazard")}
    assert {"hazard.found", "hazard.order", "hazard.recheck_pass", "hazard.evidence"} <= audited


def test_nothing_closes_without_evidence(staff, db, hose, jpeg, en_request):
    """The order completed in dispatch without before/after photos: the hazard waits for them."""
    order = _on_site(staff, db, hose)
    orders.transition(staff["pipe_fitter"], order.id, "completed", order.version,
                      completion={"results": {"hazard_fixed": True}})
    db.session.commit()
    hazards.refresh([hose])
    assert hose.status == "rectifying"
    with pytest.raises(Conflict):
        hazards.recheck(staff["safety_officer"], hose, True, None)
    hazards.add_photo(staff["pipe_fitter"], hose, "before", jpeg())
    assert hose.status == "rectifying"
    hazards.add_photo(staff["repair_tech"], hose, "after", jpeg())  # whoever re-checks may add it too
    assert hose.status == "awaiting_recheck"
    hazards.recheck(staff["repair_tech"], hose, True, None)
    assert hose.status == "closed"
    with pytest.raises(Conflict):
        hazards.add_photo(staff["pipe_fitter"], hose, "after", jpeg())


def test_rectify_needs_both_photos_and_the_fitter_on_site(staff, db, hose, jpeg):
    fitter = staff["pipe_fitter"]
    order = db.session.get(WorkOrder, hose.work_order_id)
    with pytest.raises(Invalid) as exc:
        hazards.complete_rectification(fitter, hose, jpeg(), None, None, order.version)
    assert set(exc.value.errors) == {"photo_after"}
    with pytest.raises(Conflict):  # still only assigned: not on site yet
        hazards.complete_rectification(fitter, hose, jpeg(), jpeg(), None, order.version)
    assert hose.photos == []
    with pytest.raises(NotFound):  # another pipe fitter
        hazards.complete_rectification(staff["pipe_fitter2"], hose, jpeg(), jpeg(), None, order.version)


def test_failed_recheck_opens_a_new_order(staff, db, hose, jpeg):
    order = _on_site(staff, db, hose)
    hazards.complete_rectification(staff["pipe_fitter"], hose, jpeg(), jpeg(), None, order.version)
    with pytest.raises(Invalid):
        hazards.recheck(staff["safety_officer"], hose, False, "")
    hazards.recheck(staff["safety_officer"], hose, False, "接头仍漏气")
    db.session.commit()
    assert hose.status == "open" and hose.work_order_id != order.id
    assert hose.deadline == clock.today() + timedelta(days=15)
    assert db.session.get(WorkOrder, hose.work_order_id).type == "rectification"


def test_recheck_permissions(staff, hose):
    for role in ("pipe_fitter", "meter_reader", "station_chief"):
        with pytest.raises(NotAllowed):
            hazards.recheck(staff[role], hose, True, None)


def test_cancelled_order_reopens_the_hazard_and_the_officer_sends_another(staff, db, hose):
    order = db.session.get(WorkOrder, hose.work_order_id)
    orders.transition(staff["station_chief"], order.id, "cancelled", order.version, note="客户改约")
    hazards.refresh([hose])
    assert hose.status == "open"
    with pytest.raises(NotAllowed):
        hazards.reopen_order(staff["repair_tech"], hose)
    new = hazards.reopen_order(staff["safety_officer"], hose)
    assert hose.work_order_id == new.id and new.status == "new"
    with pytest.raises(Conflict):
        hazards.reopen_order(staff["safety_officer"], hose)


def test_overdue_hazard_escalates_to_the_safety_officer(staff, db, hose):
    hose.deadline = clock.today() - timedelta(days=1)
    db.session.commit()
    items, total = hazard_lists.list_hazards(staff["safety_officer"], "escalated")
    assert total == 1 and items[0].id == hose.id and hose.escalated and hose.escalated_at
    assert hazard_lists.counts(staff["safety_officer"])["escalated"] == 1
    assert hazards.refresh() == 0  # escalated once


def test_grade_c_is_advice_only(staff, customer, db, en_request):
    inspection = recording.record(staff["repair_tech"], {
        "customer_id": customer.id, "outcome": "completed", "items": [{"code": "poor_ventilation", "ok": False}]})
    hazard = inspection.hazards[0]
    assert (hazard.grade, hazard.status, hazard.deadline, hazard.work_order_id) == ("C", "advised", None, None)
    assert db.session.query(WorkOrder).count() == 0


def test_the_technician_may_judge_a_finding_graver(staff, customer, db, en_request, signature_url):
    inspection = recording.record(staff["repair_tech"], {
        "customer_id": customer.id, "outcome": "completed", "signature": signature_url,
        "items": [{"code": "pipe_corrosion", "ok": False, "grade": "B", "note": "严重锈蚀"}]})
    hazard = inspection.hazards[0]
    assert (hazard.grade, hazard.status) == ("B", "open") and hazard.work_order_id


def test_visibility_of_a_hazard(staff, hose):
    assert hazards.get(staff["meter_reader"], hose.id)  # archive readers
    assert hazards.get(staff["pipe_fitter2"], hose.id)  # pipe fitters read the archive too (issue #20)
    with pytest.raises(NotAllowed):
        hazards.get(staff["card_clerk"], hose.id)
    assert db_none_for_unknown(staff)


def db_none_for_unknown(staff) -> bool:
    with pytest.raises(NotFound):
        hazards.get(staff["safety_officer"], 99999)
    return True
