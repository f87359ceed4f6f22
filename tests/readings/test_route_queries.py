"""The route page answers in a fixed number of SQL queries, whatever the number of stops and the
length of the reading history (30 vs 300 stops, 1× vs 20× history)."""
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, func, insert, select

from fieldsvc import clock
from fieldsvc.customers.models import Customer, District, Meter
from fieldsvc.readings import rules
from fieldsvc.readings.models import Bill, Reading, Route, RouteStop

MAX_QUERIES = 10


@contextmanager
def count_queries(engine):
    seen = []

    def listener(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA")):
            seen.append(statement)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def build_route(db, staff, stops: int, history: int, tag: str) -> int:
    """A route of `stops` meters, each with `history` monthly readings; a third read this cycle, some owing."""
    district_id = db.session.execute(select(District.id).limit(1)).scalar_one()
    base = (db.session.execute(select(func.max(Customer.id))).scalar() or 0) + 1
    today, now = clock.today(), clock.now()
    customers, meters, readings, bills = [], [], [], []
    for i in range(stops):
        cid = base + i
        customers.append(dict(id=cid, account_no=f"{tag}{i:06d}", name=f"用户{i}", category="residential", gas="NG",
                              district_id=district_id, address=f"测试小区 {i}室", status="active", version=1))
        meters.append(dict(id=cid, serial_no=f"{tag}M{i:06d}", customer_id=cid, size="G2.5", accuracy_class="1.5",
                           kind="diaphragm", location="indoor", installed_on=today - timedelta(days=365 * 3),
                           start_reading=Decimal(0), digits=5, status="installed", version=1))
        for k in range(history):
            at = now - timedelta(days=30 * (history - k) + 3)
            readings.append(dict(meter_id=cid, customer_id=cid, cycle=rules.cycle_of(at.date()), read_at=at,
                                 read_on=at.date(), value=Decimal(30 * (k + 1)), kind="actual",
                                 consumption_m3=Decimal(30), anomalies="", status="accepted", source="import"))
        if i % 3 == 0:
            readings.append(dict(meter_id=cid, customer_id=cid, cycle=rules.cycle_of(today), read_at=now,
                                 read_on=today, value=Decimal(30 * history + 31), kind="actual",
                                 consumption_m3=Decimal(31), anomalies="", status="accepted", source="field"))
    db.session.execute(insert(Customer), customers)
    db.session.execute(insert(Meter), meters)
    db.session.execute(insert(Reading), readings)
    route_id = db.session.execute(insert(Route).values(name=f"Q{tag}", district_id=district_id, active=True,
                                                       version=1, reader_id=staff["meter_reader"].id)
                                  .returning(Route.id)).scalar_one()
    db.session.execute(insert(RouteStop), [dict(route_id=route_id, seq=i + 1, meter_id=m["id"])
                                           for i, m in enumerate(meters)])
    first_readings = {r["meter_id"]: r for r in readings}
    for i, m in enumerate(meters[::4]):
        reading_id = db.session.execute(select(Reading.id).where(Reading.meter_id == m["id"]).limit(1)).scalar_one()
        bills.append(dict(customer_id=m["id"], meter_id=m["id"], reading_id=reading_id, tariff_id=1,
                          category="residential", cycle=first_readings[m["id"]]["cycle"],
                          period_start=today - timedelta(days=90), period_end=today - timedelta(days=60),
                          volume_m3=Decimal(30), amount=Decimal("78.30"), issued_on=today - timedelta(days=60 + i % 3),
                          due_on=today - timedelta(days=45), paid_amount=0, fee_accrued=0, fee_paid=0, status="open"))
    db.session.execute(insert(Bill), bills)
    db.session.commit()
    return route_id


@pytest.fixture
def tariffs(world):
    return world


def queries_for_route_page(app, db, login, route_id, who="meter_reader") -> tuple[int, str]:
    client = login(who)
    with count_queries(db.engine) as seen:
        response = client.get(f"/readings/routes/{route_id}")
    assert response.status_code == 200
    return len(seen), response.get_data(as_text=True)


def test_route_page_query_count_is_fixed(app, db, staff, login, tariffs):
    small = build_route(db, staff, 30, 1, "A")
    big = build_route(db, staff, 300, 20, "B")  # 6,000 history rows behind 300 stops
    n_small, _ = queries_for_route_page(app, db, login, small)
    n_big, body = queries_for_route_page(app, db, login, big)
    assert body.count('class="stop-row"') == 300
    assert "Owes" in body or "欠" in body or "¥" in body
    assert n_big == n_small, (n_small, n_big)
    assert n_big <= MAX_QUERIES
    n_chief, _ = queries_for_route_page(app, db, login, big, "station_chief")
    assert n_chief <= MAX_QUERIES + 1  # + the list of readers for the assignment picker


def test_route_page_query_count_does_not_grow_with_history(app, db, staff, login, tariffs):
    thin = build_route(db, staff, 50, 1, "C")
    thick = build_route(db, staff, 50, 20, "D")
    assert queries_for_route_page(app, db, login, thin)[0] == queries_for_route_page(app, db, login, thick)[0]
