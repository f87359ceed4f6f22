"""Completing a job: type results, signature or reason, photos, parts off stock, the follow-up call."""
from decimal import Decimal

import pytest

from fieldsvc import clock, uploads
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import Completion, CustodyMove, WorkOrder
from fieldsvc.dispatch.services import custody, orders
from fieldsvc.errors import Invalid, NotFound

PURGE_OK = {"test_pressure_kpa": "5.0", "test_duration_min": "15", "pressure_drop_kpa": "0", "test_result": "pass",
            "purge_confirmed": "1", "burners_lit": "1", "flame_failure_checked": "1", "opening_reading": "0.005",
            "seal_no": "QF-20261127", "safety_briefing": "1"}


def _complete(staff, order, **completion):
    photos = completion.pop("photos", None)
    return orders.transition(staff["repair_tech"], order.id, "completed", order.version, completion=completion,
                             photos=photos)


@pytest.mark.parametrize("order_type", ["repair", "purge_ignition", "emergency", "pipe_acceptance"])
def test_signature_or_reason_required(make_order, staff, order_type):
    order = make_order(order_type, assignee="repair_tech", status="on_site")
    with pytest.raises(Invalid) as exc:
        _complete(staff, order, results=PURGE_OK if order_type == "purge_ignition" else {"result": "fail"})
    assert "signature" in exc.value.errors


@pytest.mark.parametrize("order_type, results", [
    ("pressure_check", {}), ("meter_replacement", {"old_reading": "120", "new_serial": "M-NEW", "new_reading": "0"})])
def test_other_types_complete_without_signature(make_order, staff, meters, order_type, results):
    order = make_order(order_type, assignee="repair_tech", status="on_site")
    _complete(staff, order, work_notes="压力正常", results=results)
    assert order.status == "completed"


def test_reason_instead_of_signature(make_order, staff, db):
    order = make_order("emergency", assignee="repair_tech", status="on_site")
    _complete(staff, order, no_signature_reason="用户不在家，邻居报警", results={
        "leak_found": "1", "leak_location": "表前阀", "gas_state": "restored"})
    db.session.commit()
    done = db.session.query(Completion).filter_by(work_order_id=order.id).one()
    assert done.no_signature_reason == "用户不在家，邻居报警" and done.signature_id is None
    assert done.results == {"leak_found": True, "leak_location": "表前阀", "gas_state": "restored"}


def test_signature_and_photos_stored_and_visible_only_to_those_who_may(make_order, staff, db, jpeg,
                                                                       signature_url):
    order = make_order("repair", assignee="repair_tech", status="on_site")
    _complete(staff, order, signature=signature_url, photos=[jpeg(), jpeg((0, 90, 0))], work_notes="换了软管")
    db.session.commit()
    rows = db.session.query(uploads.Upload).filter_by(entity="work_order", entity_id=order.id).all()
    assert sorted(u.purpose for u in rows) == ["photo", "photo", "signature"]
    signature = next(u for u in rows if u.purpose == "signature")
    assert signature.content_type == "image/png"
    assert db.session.query(Completion).filter_by(work_order_id=order.id).one().signature_id == signature.id
    assert uploads.get_visible(staff["repair_tech"], signature.id) is signature
    assert uploads.get_visible(staff["station_chief"], signature.id) is signature
    for other in ("repair_tech2", "card_clerk"):
        with pytest.raises(Exception) as exc:
            uploads.get_visible(staff[other], signature.id)
        assert exc.value.status == 404


@pytest.mark.parametrize("bad", ["data:image/png;base64,!!!", "data:text/html;base64,PGI+", "hello",
                                 "data:image/png;base64,aGVsbG8="])
def test_bad_signature_is_refused(make_order, staff, bad):
    order = make_order("repair", assignee="repair_tech", status="on_site")
    with pytest.raises(Invalid) as exc:
        _complete(staff, order, signature=bad)
    assert "signature" in exc.value.errors


def test_purge_ignition_checks_the_tightness_rule(make_order, staff, meters):
    order = make_order("purge_ignition", assignee="repair_tech", status="on_site")
    with pytest.raises(Invalid) as exc:
        _complete(staff, order, no_signature_reason="x", results={**PURGE_OK, "test_pressure_kpa": "4.5"})
    assert "test_result" in exc.value.errors
    with pytest.raises(Invalid) as exc:
        _complete(staff, order, no_signature_reason="x", results={**PURGE_OK, "test_result": "fail"})
    assert "test_result" in exc.value.errors
    missing = {k: v for k, v in PURGE_OK.items() if k not in ("burners_lit", "seal_no")}
    with pytest.raises(Invalid) as exc:
        _complete(staff, order, no_signature_reason="x", results=missing)
    assert {"burners_lit", "seal_no"} <= set(exc.value.errors)
    _complete(staff, order, no_signature_reason="用户拒绝签字", results=PURGE_OK)
    assert order.completion.results["seal_no"] == "QF-20261127"
    assert order.completion.results["opening_reading"] == "0.005"


def test_pipe_acceptance_cannot_pass_with_a_failed_check(make_order, staff):
    order = make_order("pipe_acceptance", assignee="repair_tech", status="on_site")
    with pytest.raises(Invalid) as exc:
        _complete(staff, order, no_signature_reason="x", results={"material_ok": "1", "result": "pass"})
    assert "result" in exc.value.errors
    _complete(staff, order, no_signature_reason="工地无人", results={"material_ok": "1", "result": "fail"})
    assert order.completion.results["result"] == "fail"


def test_meter_box_needs_a_photo(make_order, staff, jpeg):
    order = make_order("meter_box", assignee="pipe_fitter", status="on_site")
    results = {"condition": "fair", "corrosion": "light", "lock": "broken"}
    with pytest.raises(Invalid) as exc:
        orders.transition(staff["pipe_fitter"], order.id, "completed", order.version, completion={"results": results})
    assert "photos" in exc.value.errors
    orders.transition(staff["pipe_fitter"], order.id, "completed", order.version, completion={"results": results},
                      photos=[jpeg()])
    assert order.status == "completed"


def test_too_many_photos(make_order, staff, jpeg):
    order = make_order("pressure_check", assignee="repair_tech", status="on_site")
    with pytest.raises(Invalid):
        _complete(staff, order, photos=[jpeg()] * 11)


@pytest.mark.parametrize(("order_type", "creates"), [("repair", True), ("purge_ignition", True),
                                                     ("emergency", False), ("pressure_check", False)])
def test_followup_created_for_next_working_day(make_order, staff, db, meters, order_type, creates):
    order = make_order(order_type, assignee="repair_tech", status="on_site")
    results = {"purge_ignition": PURGE_OK, "emergency": {"leak_found": "0", "gas_state": "unaffected"}}.get(
        order_type, {})
    _complete(staff, order, no_signature_reason="用户忙", results=results)
    db.session.commit()
    followups = db.session.query(WorkOrder).filter_by(parent_id=order.id).all()
    assert len(followups) == (1 if creates else 0)
    if creates:
        f = followups[0]
        assert (f.type, f.status, f.assignee_id, f.customer_id) == ("followup_visit", "new", None, order.customer_id)
        done_day = clock.business_date(order.completed_at)
        due = f.due_at.astimezone(clock.zone())
        assert due.date() == rules.next_working_day(done_day) and due.weekday() < 5
        assert (due.hour, due.minute) == (23, 59)


def test_followup_call_records_satisfaction(make_order, staff, db):
    order = make_order("repair", assignee="repair_tech", status="on_site")
    _complete(staff, order, no_signature_reason="x")
    followup = db.session.query(WorkOrder).filter_by(parent_id=order.id).one()
    with pytest.raises(NotFound):  # not the technician's order: it does not exist for them
        orders.transition(staff["repair_tech"], followup.id, "completed", followup.version,
                          completion={"results": {"satisfaction": 5}})
    with pytest.raises(Invalid) as exc:
        orders.transition(staff["station_chief"], followup.id, "completed", followup.version,
                          completion={"results": {"satisfaction": 6}})
    assert "satisfaction" in exc.value.errors
    orders.transition(staff["station_chief"], followup.id, "completed", followup.version,
                      completion={"results": {"satisfaction": 4, "comments": "师傅很专业"}})
    assert followup.status == "completed"
    assert followup.completion.results == {"satisfaction": 4, "comments": "师傅很专业"}
    assert not db.session.query(WorkOrder).filter_by(parent_id=followup.id).count()  # no follow-up of a follow-up


def test_parts_used_come_off_the_technicians_stock(make_order, staff, db):
    chief, tech = staff["station_chief"], staff["repair_tech"]
    hose = custody.create_item(chief, {"code": "HOSE-15", "name": "燃气软管1.5米", "kind": "part", "unit": "pc"})
    detector = custody.create_item(chief, {"code": "DET-1", "name": "可燃气体检测仪", "kind": "tool"})
    custody.record_move(chief, tech.id, hose.id, "issue", Decimal(3))
    custody.record_move(chief, tech.id, detector.id, "issue", Decimal(1))
    order = make_order("repair", assignee="repair_tech", status="on_site")
    with pytest.raises(Invalid) as exc:
        _complete(staff, order, no_signature_reason="x", parts=[{"item_id": hose.id, "quantity": Decimal(4)}])
    assert "parts" in exc.value.errors
    with pytest.raises(Invalid):
        _complete(staff, order, no_signature_reason="x", parts=[{"item_id": detector.id, "quantity": 1}])
    _complete(staff, order, no_signature_reason="x", parts=[{"item_id": hose.id, "quantity": "1"},
                                                             {"item_id": hose.id, "quantity": "1"}])
    db.session.commit()
    held = {(h.item.code): h.quantity for h in custody.holdings(tech)}
    assert held == {"HOSE-15": Decimal(1), "DET-1": Decimal(1)}
    used = custody.parts_used(order)
    assert [(m.item.code, m.quantity, m.kind) for m in used] == [("HOSE-15", Decimal(2), "use")]
    assert db.session.query(CustodyMove).filter_by(work_order_id=order.id).count() == 1
