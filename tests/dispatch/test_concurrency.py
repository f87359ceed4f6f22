"""Two station chiefs assign the same order at the same moment: exactly one wins, the other gets 409.

Each thread has its own app context, request and database session (its own connection). On SQLite the
database serialises the writers (BEGIN IMMEDIATE); on PostgreSQL a barrier placed just before the
conditional UPDATE makes both read version 1 and write at once, so the row lock and the
`WHERE version = :seen` clause decide.
"""
import os
import threading

import pytest
from sqlalchemy import text

from fieldsvc.auth.models import User
from fieldsvc.dispatch.models import WorkOrder, WorkOrderEvent
from fieldsvc.dispatch.services import orders, steps
from fieldsvc.errors import Conflict

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")


def _race(app, db, order_id: int, chief_ids: list[int], tech_ids: list[int], barrier_in_claim: bool,
          monkeypatch) -> list:
    start = threading.Barrier(2, timeout=30)
    results: list = [None, None]
    if barrier_in_claim:
        both_read = threading.Barrier(2, timeout=30)
        original = steps.claim

        def claim_after_both_read(order, version):
            both_read.wait()  # both have read the order at version 1; now both write
            return original(order, version)
        monkeypatch.setattr(steps, "claim", claim_after_both_read)

    def chief(i: int):
        with app.app_context(), app.test_request_context("/", method="POST", headers={"Accept-Language": "en"}):
            try:
                start.wait()
                actor = db.session.get(User, chief_ids[i])
                orders.assign(actor, order_id, tech_ids[i], 1)
                db.session.commit()
                results[i] = "won"
            except Conflict as exc:
                db.session.rollback()
                results[i] = exc
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                db.session.rollback()
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=chief, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _check(results, db, order_id, techs):
    winners = [i for i, r in enumerate(results) if r == "won"]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].status == 409 and "Changed by" in losers[0].message
    db.session.expire_all()
    order = db.session.get(WorkOrder, order_id)
    assert order.version == 2 and order.status == "assigned"
    assert order.assignee_id == techs[winners[0]]
    assigns = db.session.query(WorkOrderEvent).filter_by(work_order_id=order_id, action="assign").count()
    assert assigns == 1


def _setup(make_order, staff, db):
    order = make_order("repair")
    ids = (order.id, [staff["station_chief"].id, staff["station_chief2"].id],
           [staff["repair_tech"].id, staff["repair_tech2"].id])
    db.session.commit()
    db.session.remove()  # the test's own session holds no transaction while the threads race
    return ids


@pytest.mark.skipif(ON_POSTGRES, reason="the PostgreSQL run has its own race below")
def test_two_chiefs_race_sqlite(app, db, make_order, staff, monkeypatch):
    order_id, chiefs, techs = _setup(make_order, staff, db)
    results = _race(app, db, order_id, chiefs, techs, barrier_in_claim=False, monkeypatch=monkeypatch)
    _check(results, db, order_id, techs)


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="needs TEST_DATABASE_URL=postgresql://…")
def test_two_chiefs_race_postgres(app, db, make_order, staff, monkeypatch):
    order_id, chiefs, techs = _setup(make_order, staff, db)
    results = _race(app, db, order_id, chiefs, techs, barrier_in_claim=True, monkeypatch=monkeypatch)
    _check(results, db, order_id, techs)


def test_the_conditional_update_decides(make_order, staff, db):
    """The writer's copy says version 1, but the row moved on: the UPDATE … WHERE version = 1 finds nothing."""
    order = make_order("repair")
    db.session.execute(text("UPDATE work_orders SET version = 2 WHERE id = :id"), {"id": order.id})
    assert order.version == 1  # the in-memory copy is stale, so only the database can tell
    with pytest.raises(steps.StaleOrder):
        orders.assign(staff["station_chief"], order.id, staff["repair_tech"].id, 1)
