"""Handling a complaint through the services: the whole loop timed and audited, who may move it, illegal
moves, reopening on rejection or dissatisfaction, the follow-up call, work orders and notes."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from fieldsvc.audit import AuditEntry
from fieldsvc.complaints.services import access, followup, handling, intake
from fieldsvc.customers.models import District
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotFound
from fieldsvc.models import utcnow
from tests.complaints.conftest import followup_call, move_data

WEB = {"category": "billing", "description": "账单金额不对", "contact_name": "张三", "contact_phone": "13912345678"}


def _district(db, code):
    return db.session.execute(select(District).where(District.code == code)).scalar_one()


# --- the loop --------------------------------------------------------------------------------------

def test_the_whole_loop_is_timed_and_audited(make_complaint, staff, db):
    c = make_complaint(upto="closed")
    assert c.status == "closed" and c.valid is True and c.department == "metering_office"
    assert c.first_contacted_at and c.resolved_at and c.closed_at and c.approved_at
    assert c.approved_by_id == staff["director"].id
    assert c.approved_solution.description == "更换燃气表并退还多收气费"
    assert str(c.compensation) == "35.50" and c.cause == "meter_fault"
    followup_call(staff, c, 5, "很满意")
    db.session.commit()
    assert (c.satisfaction, c.status) == (5, "closed")
    actions = [e.action for e in access.history(staff["director"], c)]
    assert actions == ["receive", "contact", "investigate", "propose", "approve", "resolve", "confirm", "followup"]
    audited = db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "complaint",
                                                                 AuditEntry.entity_id == c.id)
                                 .order_by(AuditEntry.id)).all()
    assert audited == [f"complaint.{a}" for a in actions]


def test_only_the_director_approves(make_complaint, staff):
    c = make_complaint(upto="solution_proposed")
    with pytest.raises(NotAllowed):
        handling.transition(staff["station_chief"], c.id, "solution_approved", move_data("solution_approved", c))
    with pytest.raises(NotAllowed):
        handling.transition(staff["station_chief"], c.id, "investigating", {"note": "再查"})


@pytest.mark.parametrize("role", ["repair_tech", "meter_reader", "statistician", "card_clerk"])
def test_other_roles_cannot_handle(make_complaint, staff, role):
    c = make_complaint(role)
    with pytest.raises(NotAllowed):
        handling.transition(staff[role], c.id, "contacted", {"department": "service_station"})


@pytest.mark.parametrize("upto, to", [
    ("received", "closed"), ("received", "investigating"), ("contacted", "solution_approved"),
    ("solution_approved", "closed"), ("closed", "resolved"), ("resolved", "received"),
])
def test_illegal_moves_are_409(make_complaint, staff, upto, to):
    c = make_complaint(upto=upto)
    with pytest.raises(Conflict):
        handling.transition(staff["director"], c.id, to, {"note": "x", "department": "service_station"})


def test_stale_version_is_409(make_complaint, staff):
    c = make_complaint()
    with pytest.raises(Conflict):
        handling.transition(staff["station_chief"], c.id, "contacted", {"department": "service_station"},
                            version=c.version - 1)


@pytest.mark.parametrize("to, data, field", [
    ("contacted", {}, "department"),
    ("contacted", {"department": "kitchen"}, "department"),
    ("rejected_invalid", {}, "note"),
])
def test_contact_needs_its_fields(make_complaint, staff, to, data, field):
    c = make_complaint()
    with pytest.raises(Invalid) as exc:
        handling.transition(staff["station_chief"], c.id, to, data)
    assert field in exc.value.errors


@pytest.mark.parametrize("data, field", [
    ({"solutions": [{"description": "换表"}]}, "cause"),
    ({"cause": "meter_fault"}, "solutions"),
    ({"cause": "meter_fault", "solutions": [{"description": "  "}]}, "solutions"),
    ({"cause": "meter_fault", "solutions": [{"description": "换表"}], "responsible_id": 99999}, "responsible_id"),
])
def test_propose_needs_cause_and_a_solution(make_complaint, staff, data, field):
    c = make_complaint(upto="investigating")
    with pytest.raises(Invalid) as exc:
        handling.transition(staff["station_chief"], c.id, "solution_proposed", data)
    assert field in exc.value.errors


def test_approve_only_a_current_solution(make_complaint, staff):
    c = make_complaint(upto="solution_proposed")
    with pytest.raises(Invalid):
        handling.transition(staff["director"], c.id, "solution_approved", {"solution_id": 99999})
    with pytest.raises(Invalid):
        handling.transition(staff["director"], c.id, "solution_approved", {})


def test_not_valid_is_answered_and_closed_on_acknowledgement(make_complaint, staff, db):
    c = make_complaint(category="suggestion")
    handling.transition(staff["station_chief"], c.id, "rejected_invalid", {"note": "该建议已在执行"})
    assert (c.status, c.valid, c.invalid_reason) == ("rejected_invalid", False, "该建议已在执行")
    assert c.first_contacted_at is not None  # the polite answer is the first contact
    handling.transition(staff["station_chief"], c.id, "closed_invalid", {})
    assert c.status == "closed_invalid" and c.closed_at is not None


def test_disputed_not_valid_reopens(make_complaint, staff):
    c = make_complaint()
    handling.transition(staff["station_chief"], c.id, "rejected_invalid", {"note": "表计正常"})
    handling.transition(staff["station_chief"], c.id, "investigating", {"note": "客户不认可"})
    assert (c.status, c.reopen_count, c.valid) == ("investigating", 1, True)


def test_customer_rejecting_the_solution_reopens_it(make_complaint, staff, shift, db):
    c = make_complaint(upto="resolved")
    shift(c, 24 * 10)  # ten days ago: a new round gets a new clock from now
    old_due = c.resolve_due
    handling.transition(staff["station_chief"], c.id, "investigating", {"note": "客户不接受退费金额"})
    db.session.commit()
    assert (c.status, c.reopen_count, c.resolved_at, c.closed_at) == ("investigating", 1, None, None)
    assert c.resolve_due > old_due and c.resolve_due > utcnow() + timedelta(days=5)
    assert c.current_solutions == [] and c.approved_solution is None
    # The next round proposes and approves afresh.
    for to in ("solution_proposed", "solution_approved", "resolved", "closed"):
        actor = staff["director"] if to == "solution_approved" else staff["station_chief"]
        handling.transition(actor, c.id, to, move_data(to, c))
    assert c.status == "closed" and len(c.solutions) == 4 and len(c.current_solutions) == 2


def test_customer_rejection_needs_a_reason(make_complaint, staff):
    c = make_complaint(upto="resolved")
    with pytest.raises(Invalid):
        handling.transition(staff["station_chief"], c.id, "investigating", {"note": " "})


def test_director_sends_back_and_the_solutions_are_withdrawn(make_complaint, staff):
    c = make_complaint(upto="solution_proposed")
    handling.transition(staff["director"], c.id, "investigating", {"note": "原因分析不充分"})
    assert c.status == "investigating" and c.reopen_count == 0 and c.current_solutions == []


# --- follow-up -------------------------------------------------------------------------------------

@pytest.mark.parametrize("score, reopened", [(1, True), (2, True), (3, False), (4, False), (5, False)])
def test_followup_reopens_when_dissatisfied(make_complaint, staff, db, score, reopened):
    c = make_complaint(upto="closed")
    followup_call(staff, c, score, "回访意见")
    db.session.commit()
    assert c.satisfaction == score and c.followed_up_at is not None
    assert c.status == ("investigating" if reopened else "closed")
    assert c.reopen_count == int(reopened)
    assert (c.closed_at is None) is reopened
    due = followup.followups_due(staff["station_chief"])
    assert c not in due


def test_followup_only_after_closure(make_complaint, staff):
    c = make_complaint(upto="resolved")
    with pytest.raises(Conflict):
        followup_call(staff, c, 5)


@pytest.mark.parametrize("score", [0, 6, -1])
def test_followup_score_range(make_complaint, staff, score):
    c = make_complaint(upto="closed")
    with pytest.raises(Invalid):
        followup_call(staff, c, score)


def test_followups_due_lists_closed_not_yet_called(make_complaint, staff, db):
    called = make_complaint(upto="closed")
    waiting = make_complaint(upto="closed")
    make_complaint(upto="resolved")
    followup_call(staff, called, 4)
    db.session.commit()
    assert [c.id for c in followup.followups_due(staff["station_chief"])] == [waiting.id]
    with pytest.raises(NotAllowed):
        followup.followups_due(staff["repair_tech"])


# --- work orders -----------------------------------------------------------------------------------

def test_meter_accuracy_starts_a_verification_order_on_contact(make_complaint, staff, db):
    c = make_complaint()
    handling.transition(staff["station_chief"], c.id, "contacted",
                        {"department": "metering_office", "order_type": "meter_verification"})
    db.session.commit()
    order = db.session.get(WorkOrder, c.work_order_id)
    assert (order.type, order.customer_id, order.priority, order.status) == (
        "meter_verification", c.customer_id, "normal", "new")
    assert c.tracking_no in order.description
    assert [e.action for e in c.events][-1] == "order"
    with pytest.raises(Conflict):  # one live order per complaint
        handling.start_order(staff["station_chief"], c.id, "meter_verification")


def test_safety_concern_starts_an_urgent_emergency_at_the_address(staff, customers, db, en_request):
    c = intake.receive(staff["station_chief"], {**WEB, "channel": "hotline", "category": "safety",
                                                "description": "楼道有燃气味"})
    with pytest.raises(Invalid) as exc:  # no customer, no address: the order needs a place
        handling.start_order(staff["station_chief"], c.id, "emergency")
    assert set(exc.value.errors) == {"address", "district_id"}
    handling.start_order(staff["station_chief"], c.id, "emergency",
                         {"address": "幸福小区 5栋 楼道", "district_id": _district(db, "D02").id})
    order = db.session.get(WorkOrder, c.work_order_id)
    assert (order.type, order.priority, order.address) == ("emergency", "urgent", "幸福小区 5栋 楼道")
    assert c.address == "幸福小区 5栋 楼道"


@pytest.mark.parametrize("category, order_type", [("billing", "meter_verification"), ("meter_accuracy", "emergency"),
                                                  ("meter_accuracy", "nonsense")])
def test_order_type_must_fit_the_category(make_complaint, staff, category, order_type):
    c = make_complaint(category=category)
    with pytest.raises(Invalid):
        handling.start_order(staff["station_chief"], c.id, order_type)


def test_no_order_for_closed_or_by_field_staff(make_complaint, staff):
    closed = make_complaint(upto="closed")
    with pytest.raises(Conflict):
        handling.start_order(staff["station_chief"], closed.id, "meter_verification")
    mine = make_complaint("metering_tech")
    with pytest.raises(NotAllowed):
        handling.start_order(staff["metering_tech"], mine.id, "meter_verification")


def test_a_cancelled_order_can_be_replaced(make_complaint, staff, db):
    from fieldsvc.dispatch.services import orders
    c = make_complaint()
    handling.start_order(staff["station_chief"], c.id, "meter_verification")
    first = db.session.get(WorkOrder, c.work_order_id)
    orders.transition(staff["station_chief"], first.id, "cancelled", first.version, note="重复")
    handling.start_order(staff["station_chief"], c.id, "meter_verification")
    assert c.work_order_id != first.id


# --- notes -----------------------------------------------------------------------------------------

def test_owner_may_add_notes_others_not(make_complaint, staff):
    c = make_complaint("meter_reader")
    handling.add_note(staff["meter_reader"], c.id, "客户下午在家")
    assert c.events[-1].action == "note" and c.events[-1].note == "客户下午在家"
    with pytest.raises(NotFound):
        handling.add_note(staff["pipe_fitter"], c.id, "x")
    with pytest.raises(Invalid):
        handling.add_note(staff["meter_reader"], c.id, "  ")


