"""Work order services: create, read (own only), assign, transitions, optimistic lock, history and audit."""
from datetime import timedelta
from decimal import Decimal

import pytest

from fieldsvc.audit import AuditEntry
from fieldsvc.dispatch.models import WorkOrder, WorkOrderEvent
from fieldsvc.dispatch.services import orders, steps
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotFound


def test_create_sets_due_from_target_and_records_history(make_order, db):
    order = make_order("emergency")
    assert order.status == "new" and order.version == 1
    assert order.due_at - order.created_at == timedelta(minutes=30)
    assert order.address.startswith("幸福小区") and order.contact_name == "王小明"
    events = db.session.query(WorkOrderEvent).filter_by(work_order_id=order.id).all()
    assert [(e.action, e.from_status, e.to_status) for e in events] == [("create", None, "new")]
    assert db.session.query(AuditEntry).filter_by(entity="work_order", entity_id=order.id,
                                                  action="work_order.create").count() == 1


def test_targets_from_config(app, make_order):
    app.config["DISPATCH_TARGETS"] = {"repair": 90}
    try:
        order = make_order("repair")
    finally:
        app.config.pop("DISPATCH_TARGETS")
    assert order.due_at - order.created_at == timedelta(minutes=90)


def test_create_by_address_without_customer(staff, en_request, db):
    district_id = staff["station_chief"].district_id
    order = orders.create_order(staff["station_chief"], {
        "type": "emergency", "description": "楼道里有燃气味", "address": "建设路12号楼道",
        "district_id": district_id, "contact_phone": "13900000000"})
    assert order.customer_id is None and order.district_id == district_id


def test_create_needs_customer_or_address(staff, en_request):
    with pytest.raises(Invalid) as exc:
        orders.create_order(staff["station_chief"], {"type": "repair", "description": "x"})
    assert set(exc.value.errors) == {"address", "district_id"}
    with pytest.raises(Invalid) as exc:
        orders.create_order(staff["station_chief"], {"type": "repair", "description": "x", "account_no": "999"})
    assert "account_no" in exc.value.errors


def test_followups_are_not_created_by_hand(staff, customers, en_request):
    with pytest.raises(Invalid):
        orders.create_order(staff["station_chief"], {"type": "followup_visit", "description": "x",
                                                     "customer_id": customers[0].id})


@pytest.mark.parametrize("role", ["repair_tech", "pipe_fitter", "meter_reader", "card_clerk", "metering_tech"])
def test_only_dispatchers_create(staff, customers, en_request, role):
    with pytest.raises(NotAllowed):
        orders.create_order(staff[role], {"type": "repair", "description": "x", "customer_id": customers[0].id})


def test_assign_checks_role_fits_type(make_order, staff, en_request):
    order = make_order("rectification")
    with pytest.raises(Invalid) as exc:
        orders.assign(staff["station_chief"], order.id, staff["repair_tech"].id, order.version)
    assert "assignee_id" in exc.value.errors
    orders.assign(staff["station_chief"], order.id, staff["pipe_fitter"].id, order.version)
    assert order.status == "assigned" and order.version == 2


def test_reassign_records_from_and_to(make_order, staff, db):
    order = make_order("repair", assignee="repair_tech", status="accepted")
    orders.assign(staff["station_chief"], order.id, staff["repair_tech2"].id, order.version, "王磊请假")
    db.session.commit()
    last = db.session.query(WorkOrderEvent).filter_by(work_order_id=order.id).order_by(WorkOrderEvent.id.desc()).first()
    assert (last.action, last.from_status, last.to_status, last.assignee_id, last.note) == (
        "reassign", "accepted", "assigned", staff["repair_tech2"].id, "王磊请假")


def test_cannot_assign_once_on_site(make_order, staff):
    order = make_order("repair", assignee="repair_tech", status="on_site")
    with pytest.raises(Conflict):
        orders.assign(staff["station_chief"], order.id, staff["repair_tech2"].id, order.version)


def test_stale_version_names_who_changed_it(make_order, staff, en_request):
    order = make_order("repair")
    orders.assign(staff["station_chief2"], order.id, staff["repair_tech"].id, 1)
    with pytest.raises(steps.StaleOrder) as exc:
        orders.assign(staff["station_chief"], order.id, staff["repair_tech2"].id, 1)
    assert exc.value.changed_by == staff["station_chief2"].name
    assert "Changed by " + staff["station_chief2"].name in exc.value.message
    assert "reload" in exc.value.message


def test_full_path_with_gps_and_audit(make_order, staff, db):
    order = make_order("pressure_check", assignee="repair_tech", status="assigned")
    tech = staff["repair_tech"]
    orders.transition(tech, order.id, "accepted", order.version)
    orders.transition(tech, order.id, "en_route", order.version, lat=Decimal("31.230416"), lng=Decimal("121.473701"))
    orders.transition(tech, order.id, "on_site", order.version, lat=Decimal("31.2305"), lng=Decimal("121.4738"), note="到了")
    orders.transition(tech, order.id, "completed", order.version)
    orders.transition(staff["station_chief"], order.id, "closed", order.version)
    db.session.commit()
    assert order.status == "closed" and order.on_site_at and order.completed_at
    events = db.session.query(WorkOrderEvent).filter_by(work_order_id=order.id).order_by(WorkOrderEvent.id).all()
    assert [e.to_status for e in events] == ["new", "assigned", "accepted", "en_route", "on_site", "completed",
                                            "closed"]
    on_site = events[4]
    assert (float(on_site.lat), float(on_site.lng), on_site.note, on_site.actor_id) == (31.2305, 121.4738, "到了",
                                                                                         tech.id)
    actions = [a.action for a in db.session.query(AuditEntry).filter_by(entity="work_order", entity_id=order.id)
               .order_by(AuditEntry.id)]
    assert actions == ["work_order.create", "work_order.assign", "work_order.accept", "work_order.en_route",
                       "work_order.on_site", "work_order.complete", "work_order.close"]
    entry = db.session.query(AuditEntry).filter_by(action="work_order.on_site", entity_id=order.id).one()
    assert entry.data["from_status"] == "en_route" and entry.data["to_status"] == "on_site"
    assert entry.data["lat"] == "31.2305" and entry.actor_id == tech.id


def test_reject_needs_reason_and_returns_to_queue(make_order, staff):
    order = make_order("repair", assignee="repair_tech", status="assigned")
    with pytest.raises(Invalid) as exc:
        orders.transition(staff["repair_tech"], order.id, "new", order.version)
    assert "note" in exc.value.errors
    orders.transition(staff["repair_tech"], order.id, "new", order.version, note="车坏了")
    assert order.status == "new" and order.assignee_id is None


def test_illegal_transition_is_conflict(make_order, staff):
    order = make_order("repair", assignee="repair_tech", status="assigned")
    with pytest.raises(Conflict):
        orders.transition(staff["repair_tech"], order.id, "on_site", order.version)


def test_tech_cannot_make_chief_moves_and_chief_cannot_work(make_order, staff):
    order = make_order("repair", assignee="repair_tech", status="assigned")
    with pytest.raises(NotAllowed):
        orders.transition(staff["repair_tech"], order.id, "cancelled", order.version, note="不想去")
    with pytest.raises(NotAllowed):
        orders.transition(staff["station_chief"], order.id, "accepted", order.version)


def test_cancel_needs_reason(make_order, staff):
    order = make_order("repair")
    with pytest.raises(Invalid):
        orders.transition(staff["station_chief"], order.id, "cancelled", order.version)
    orders.transition(staff["station_chief"], order.id, "cancelled", order.version, note="客户自己修好了")
    assert order.status == "cancelled"


def test_technician_sees_only_own_orders(make_order, staff):
    mine = make_order("repair", assignee="repair_tech")
    theirs = make_order("repair", assignee="repair_tech2")
    assert orders.get_order(staff["repair_tech"], mine.id) is mine
    with pytest.raises(NotFound):
        orders.get_order(staff["repair_tech"], theirs.id)
    with pytest.raises(NotFound):
        orders.transition(staff["repair_tech"], theirs.id, "accepted", theirs.version)
    items, total = orders.list_orders(staff["repair_tech"], assignee_id=staff["repair_tech2"].id)
    assert (items, total) == ([], 0)
    assert orders.list_orders(staff["repair_tech"])[1] == 1
    assert orders.list_orders(staff["station_chief"])[1] == 2


@pytest.mark.parametrize("role", ["card_clerk", "statistician"])
def test_other_roles_may_not_read_orders(make_order, staff, role):
    order = make_order("repair")
    with pytest.raises(NotAllowed):
        orders.get_order(staff[role], order.id)


def test_a_meter_reader_reads_only_the_orders_they_help_on(make_order, staff):
    """Meter readers help at purge-and-ignites (tests/dispatch/test_helpers.py): any other order is 404."""
    order = make_order("repair")
    with pytest.raises(NotFound):
        orders.get_order(staff["meter_reader"], order.id)


def test_the_safety_office_may_not_read_an_order_no_hse_record_came_from(make_order, staff):
    """It reads only the orders that fed HSE (tests/dispatch/test_safety_office_reads_orders.py): others are 404."""
    order = make_order("repair")
    with pytest.raises(NotFound):
        orders.get_order(staff["safety_officer"], order.id)


def test_version_bumps_in_database(make_order, staff, db):
    order = make_order("repair", assignee="repair_tech", status="accepted")
    db.session.expire_all()
    assert db.session.get(WorkOrder, order.id).version == 3
