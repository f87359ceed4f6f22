"""The board renders with a fixed number of SQL queries: the same at 30 and at 30,000 orders (≤ 10)."""
import random
from datetime import timedelta

import pytest
from sqlalchemy import event, insert

from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.models import utcnow

MAX_QUERIES = 10


def _bulk_orders(db, n: int, customers, staff) -> None:
    rnd = random.Random(n)
    techs = [staff[u] for u in ("repair_tech", "repair_tech2", "repair_tech3", "pipe_fitter", "metering_tech")]
    now = utcnow()
    rows = []
    for i in range(n):
        created = now - timedelta(minutes=rnd.randrange(0, 60 * 24 * 60))
        status = rnd.choice(["new", "assigned", "accepted", "en_route", "on_site", "completed", "closed",
                             "cancelled"])
        type_ = rnd.choice(list(rules.OrderType))
        customer = customers[i % len(customers)]
        done = status in ("completed", "closed")
        rows.append({"type": type_, "status": status, "priority": "normal", "customer_id": customer.id,
                     "district_id": customer.district_id, "address": customer.address, "description": f"#{i}",
                     "assignee_id": None if status == "new" else techs[i % len(techs)].id,
                     "created_at": created, "updated_at": created, "due_at": created + timedelta(hours=4),
                     "completed_at": created + timedelta(hours=2) if done else None, "version": 1})
    db.session.execute(insert(WorkOrder), rows)
    db.session.commit()


def _count_board_queries(app, db, client, url="/dispatch/") -> int:
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


@pytest.mark.parametrize("url", ["/dispatch/", "/dispatch/?status=all&page=3", "/dispatch/?type=emergency"])
def test_board_queries_do_not_grow_with_orders(app, db, staff, customers, login, url):
    client = login("station_chief")
    _bulk_orders(db, 30, customers, staff)
    small = _count_board_queries(app, db, client, url)
    _bulk_orders(db, 30_000 - 30, customers, staff)
    large = _count_board_queries(app, db, client, url)
    assert small == large <= MAX_QUERIES, (small, large)
    assert db.session.query(WorkOrder).count() == 30_000
