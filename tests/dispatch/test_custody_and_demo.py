"""Custody rules through the service, the lead's home-page figures, and the demo data."""
from datetime import timedelta
from decimal import Decimal

import pytest

from fieldsvc.dispatch import demo
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.dispatch.services import board, custody
from fieldsvc.errors import Invalid, NotAllowed
from fieldsvc.models import utcnow


def test_issue_return_and_holdings(staff, en_request):
    chief, tech = staff["station_chief"], staff["pipe_fitter"]
    seal = custody.create_item(chief, {"code": "SEAL", "name": "铅封", "kind": "part"})
    with pytest.raises(Invalid):
        custody.create_item(chief, {"code": "SEAL", "name": "again", "kind": "part"})
    custody.record_move(chief, tech.id, seal.id, "issue", Decimal(10))
    custody.record_move(chief, tech.id, seal.id, "return", Decimal(4))
    with pytest.raises(Invalid):
        custody.record_move(chief, tech.id, seal.id, "return", Decimal(7))
    with pytest.raises(Invalid):
        custody.record_move(chief, tech.id, seal.id, "issue", Decimal(0))
    with pytest.raises(Invalid):
        custody.record_move(chief, staff["card_clerk"].id, seal.id, "issue", Decimal(1))
    assert [(h.holder.username, h.quantity) for h in custody.holdings(chief)] == [("pipe_fitter", Decimal(6))]
    assert custody.holdings(staff["repair_tech"]) == []  # a technician sees only their own
    with pytest.raises(NotAllowed):
        custody.record_move(tech, tech.id, seal.id, "issue", Decimal(1))
    with pytest.raises(NotAllowed):
        custody.holdings(staff["card_clerk"])


def test_home_figures(make_order, staff, db):
    make_order("emergency")
    late = make_order("repair", assignee="repair_tech")
    late.due_at = utcnow() - timedelta(hours=1)  # overdue: today's work whatever the hour of the test
    make_order("emergency", assignee="repair_tech2")
    make_order("purge_ignition", assignee="repair_tech")  # due in 3 days
    db.session.commit()
    assert board.jobs_today_count(staff["repair_tech"]) == 1
    assert board.jobs_today_count(staff["repair_tech2"]) == 1  # an emergency is always today's
    assert board.chief_summary(staff["station_chief"]) == {"new": 1, "emergencies": 2, "overdue": 1}
    with pytest.raises(NotAllowed):
        board.chief_summary(staff["repair_tech"])


def test_demo_seed_is_rerunnable(customers, staff, db, en_request):
    first = demo.seed()
    db.session.commit()
    assert first["orders"] == len(demo.ORDERS) and first["items"] == len(demo.CATALOGUE)
    assert demo.seed() == {"items": 0, "orders": 0}
    statuses = {o.status for o in db.session.query(WorkOrder)}
    assert {"new", "assigned", "accepted", "en_route", "on_site"} <= statuses


def test_city_history_is_closed_orders_with_followups_and_rerunnable(customers, staff, db, en_request):
    import random

    from fieldsvc import clock
    from fieldsvc.dispatch.models import Completion

    today = clock.today()
    added = demo.seed_history(random.Random(3), today, 200)
    db.session.commit()
    orders = db.session.query(WorkOrder).all()
    assert added == len(orders) > 200  # the 200 plus the follow-up calls after repairs and ignitions
    assert {o.status for o in orders} == {"closed"}
    assert all(o.completed_at and o.created_at < o.completed_at for o in orders)
    assert all(o.on_site_at for o in orders if o.type != "followup_visit")
    assert db.session.query(Completion).count() == len(orders)
    followups = [o for o in orders if o.type == "followup_visit"]
    assert followups and all(1 <= o.completion.results["satisfaction"] <= 5 for o in followups)
    assert demo.seed_history(random.Random(3), today, 200) == 0
