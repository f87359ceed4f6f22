"""What an order page offers (orders.available_moves) is exactly what the service accepts: for every state
of both state tables and every kind of actor, each target is tried through orders.transition."""
from decimal import Decimal

import pytest

from fieldsvc.auth.models import User
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.services import orders, steps
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotAuthenticated, NotFound

# The assigned technician, another technician, the dispatchers, and someone outside dispatch.
ACTORS = ("repair_tech", "repair_tech2", "station_chief", "director", "meter_reader")
WALKED = ("assigned", "accepted", "en_route", "on_site")  # reached through the service by the technician


def _order_in(make_order, db, order_type: str, status: str):
    if order_type == rules.OrderType.followup_visit:  # made by a completed repair, through the same step
        chief = db.session.get(User, make_order("repair").created_by_id)
        order = steps.new_order(chief, {"type": order_type, "customer_id": make_order("repair").customer_id})
    elif status == rules.Status.new:
        order = make_order(order_type)
    else:
        order = make_order(order_type, assignee="repair_tech", status=status if status in WALKED else "on_site")
    if order.status != status:  # completed, closed, cancelled: the state is what is tested, not the way there
        order.status = status
        db.session.commit()
    return order


def _accepts(db, actor, order, to) -> bool:
    """Whether the service takes this move (a form still missing fields is a move taken: Invalid)."""
    savepoint = db.session.begin_nested()
    try:
        orders.transition(actor, order.id, to, order.version, Decimal("30.1"), Decimal("120.1"), note="test")
        return True
    except Invalid:
        return True
    except (NotAllowed, NotAuthenticated, NotFound, Conflict):
        return False
    finally:
        savepoint.rollback()
        db.session.expire_all()


@pytest.mark.parametrize("order_type", [rules.OrderType.repair, rules.OrderType.followup_visit])
@pytest.mark.parametrize("status", list(rules.Status))
def test_available_moves_are_what_the_service_accepts(make_order, staff, db, order_type, status):
    order = _order_in(make_order, db, order_type, status)
    for username in ACTORS:
        actor = staff[username]
        offered = [step.to for step in orders.available_moves(actor, order)]
        accepted = [to for to in rules.Status if _accepts(db, actor, order, to)]
        assert sorted(offered) == sorted(accepted), (username, status)
        assert order.status == status


def test_the_page_offers_the_technician_and_the_chief_their_own_moves(make_order, staff):
    order = make_order("repair", assignee="repair_tech", status="assigned")
    assert [(s.to, s.by) for s in orders.available_moves(staff["repair_tech"], order)] == [
        ("accepted", "tech"), ("new", "tech")]
    assert [(s.to, s.by) for s in orders.available_moves(staff["station_chief"], order)] == [("cancelled", "chief")]
    assert orders.available_moves(staff["repair_tech2"], order) == []
    assert orders.available_moves(staff["meter_reader"], order) == []
