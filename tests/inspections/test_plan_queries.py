"""The plan of a district renders with a fixed number of SQL queries: the same for 100 customers as
for 2,000 (aggregated in SQL, paginated), and its figures are right."""
import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, insert, select

from fieldsvc import clock
from fieldsvc.customers.models import Customer, District
from fieldsvc.inspections.models import Inspection
from fieldsvc.inspections.services import plan
from fieldsvc.models import utcnow

MAX_QUERIES = 12


def _bulk(db, staff, n: int, start: int, district_id: int) -> None:
    """n customers; a third inspected this cycle, a third last year, some refused or not at home."""
    rnd = random.Random(n)
    now = utcnow()
    rows = [{"account_no": f"7{start + i:07d}", "name": f"批量{i}", "category": "residential", "gas": "NG",
             "district_id": district_id, "address": f"批量小区 {start + i}号", "status": "active", "version": 1,
             "created_at": now - timedelta(days=800), "updated_at": now} for i in range(n)]
    db.session.execute(insert(Customer), rows)
    ids = db.session.execute(select(Customer.id).where(Customer.account_no.in_([r["account_no"] for r in rows]))
                             ).scalars().all()
    zone = clock.zone()
    this_cycle = datetime.combine(clock.today().replace(month=1, day=1), datetime.min.time(), tzinfo=zone)
    visits = []
    for cid in ids:
        roll = rnd.random()
        outcome, at = None, None
        if roll < 0.33:
            outcome, at = "completed", this_cycle + timedelta(hours=10)
        elif roll < 0.66:
            outcome, at = "completed", this_cycle - timedelta(days=200)
        elif roll < 0.8:
            outcome, at = rnd.choice(["refused", "nobody_home"]), this_cycle + timedelta(hours=12)
        if outcome:
            visits.append({"customer_id": cid, "inspector_id": staff["repair_tech"].id, "outcome": outcome,
                           "visited_at": at, "created_at": now, "gas": "NG", "card_left": False,
                           "supply_shut_off": False})
    if visits:
        db.session.execute(insert(Inspection), visits)
    db.session.commit()


def _count(db, client, url) -> int:
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("query", ["", "&status=overdue&page=2", "&status=done", "&cycle=-1"])
def test_plan_queries_do_not_grow_with_customers(db, staff, login, query):
    district = db.session.execute(select(District).order_by(District.code)).scalars().first()
    client = login("safety_officer")
    url = f"/inspections/plan?district_id={district.id}{query}"
    _bulk(db, staff, 100, 0, district.id)
    small = _count(db, client, url)
    _bulk(db, staff, 1900, 100, district.id)
    large = _count(db, client, url)
    assert small == large <= MAX_QUERIES, (small, large)


def test_plan_figures(db, staff):
    district = db.session.execute(select(District).order_by(District.code)).scalars().first()
    _bulk(db, staff, 300, 0, district.id)
    officer = staff["safety_officer"]
    summary = plan.summary(officer, district.id, plan.cycle())
    inspections = db.session.execute(select(Inspection)).scalars().all()
    start = clock.today().replace(month=1, day=1)
    done = {i.customer_id for i in inspections
            if i.outcome == "completed" and clock.business_date(i.visited_at) >= start}
    visited = {i.customer_id for i in inspections if clock.business_date(i.visited_at) >= start}
    assert summary.total == 300 and summary.counts["done"] == len(done)
    assert summary.visited == len(visited)
    # The SQL status is the Python rule (rules.plan_status), customer by customer.
    expected = {"done": 0, "due": 0, "overdue": 0}
    for customer in db.session.execute(select(Customer)).scalars():
        last = max((clock.business_date(i.visited_at) for i in inspections
                    if i.customer_id == customer.id and i.outcome == "completed"), default=None)
        expected[plan.rules.plan_status(last, clock.business_date(customer.created_at), clock.today(), 12)] += 1
    assert summary.counts == expected
    assert summary.coverage == plan.rules.rate(len(done), 300)
    assert summary.entry_rate == plan.rules.rate(len(done), len(visited))
    rows = plan.rows(officer, district.id, plan.cycle(), "done", 1, 500)
    assert {r.customer.id for r in rows} == done
