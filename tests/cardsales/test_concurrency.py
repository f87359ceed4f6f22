"""Clerks selling to one card at the same moment: exactly one wins, the others get 409 naming the
winner, and the meter's purchase numbers have no gap and no duplicate.

Each thread has its own test client (its own request, app context and database connection). On
SQLite the database serialises the writers (BEGIN IMMEDIATE), so a barrier only lines up the starts;
on PostgreSQL a second barrier inside `claim_seq` makes every clerk read the counter before any of
them writes, so the row lock and the `WHERE last_seq = :seen` clause of the conditional UPDATE decide.
"""
import os
import threading

import pytest
from werkzeug.security import generate_password_hash

from fieldsvc.auth.models import User
from fieldsvc.cardsales.models import CardMeterCounter, CardSale
from fieldsvc.cardsales.services import sales
from tests.cardsales.conftest import complete
from tests.conftest import DEMO_PASSWORD

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")


def _clerks(world, db, api_en, count: int):
    """`count` clerks with their own API client: card_clerk, card_clerk2, then extra ones."""
    names = ["card_clerk", "card_clerk2"]
    for i in range(3, count + 1):
        db.session.add(User(username=f"card_clerk{i}", role="card_clerk", name=f"售气员{i}", active=True,
                            session_token=f"{i:02d}" * 16, password_hash=generate_password_hash(
                                DEMO_PASSWORD, method=world.app.config["PASSWORD_HASH_METHOD"])))
        names.append(f"card_clerk{i}")
    db.session.commit()
    names = names[:count]
    return names, [api_en(n) for n in names]


def _race(db, clients, account_id: int, expected_seq: int | None, barrier_in_claim: bool, monkeypatch) -> list:
    parties = len(clients)
    start = threading.Barrier(parties, timeout=30)
    if barrier_in_claim:
        all_read = threading.Barrier(parties, timeout=30)
        original = sales.claim_seq

        def claim_after_all_read(actor, meter_id, seen):
            all_read.wait()  # every clerk has read the counter and found the card free: now all write
            return original(actor, meter_id, seen)
        monkeypatch.setattr(sales, "claim_seq", claim_after_all_read)
    results: list = [None] * parties

    def clerk(i: int):
        client, headers = clients[i]
        body = {"account_id": account_id, "volume_m3": 20, "payment_method": "wechat", "payment_ref": f"WX{i}"}
        if expected_seq is not None:
            body["expected_seq"] = expected_seq
        try:
            start.wait()
            response = client.post("/api/v1/card-sales", headers=headers, json=body)
            results[i] = (response.status_code, response.get_json())
        except Exception as exc:  # noqa: BLE001 - reported by the assertions
            results[i] = (None, repr(exc))

    db.session.rollback()  # the test's own transaction must not hold SQLite's write lock
    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(parties)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _check(results, names, staff_names, db, meter_id):
    winners = [i for i, (status, _body) in enumerate(results) if status == 201]
    losers = [i for i, (status, _body) in enumerate(results) if status == 409]
    assert len(winners) == 1 and len(losers) == len(results) - 1, results
    winner_name = staff_names[names[winners[0]]]
    for i in losers:
        message = results[i][1]["error"]
        assert winner_name in message, message
    assert results[winners[0]][1]["purchase_seq"] == 1
    db.session.expire_all()
    live = [s.purchase_seq for s in db.session.query(CardSale).filter(CardSale.meter_id == meter_id,
                                                                       CardSale.status != "reversed")]
    assert live == [1]
    assert db.session.query(CardMeterCounter).filter_by(meter_id=meter_id).one().last_seq == 1
    return winners[0]


def _run(world, db, api_en, monkeypatch, count, expected_seq, barrier_in_claim):
    account = world.card()
    db.session.commit()
    names, clients = _clerks(world, db, api_en, count)
    staff_names = {u.username: u.name for u in db.session.query(User)}
    results = _race(db, clients, account.id, expected_seq, barrier_in_claim, monkeypatch)
    monkeypatch.undo()
    winner = _check(results, names, staff_names, db, account.meter_id)
    # the winner finishes; a loser refreshes and sells the next number: no gap, no duplicate
    client, headers = clients[winner]
    complete(client, headers, results[winner][1]["id"])
    loser_client, loser_headers = clients[(winner + 1) % count]
    again = loser_client.post("/api/v1/card-sales", headers=loser_headers, json={
        "account_id": account.id, "volume_m3": 10, "payment_method": "cash", "amount_paid": 30, "expected_seq": 2})
    assert again.status_code == 201 and again.json["purchase_seq"] == 2, again.json
    seqs = sorted(s.purchase_seq for s in db.session.query(CardSale).filter(CardSale.meter_id == account.meter_id))
    assert seqs == [1, 2]


@pytest.mark.skipif(ON_POSTGRES, reason="the PostgreSQL run has its own races below")
def test_two_clerks_race_with_the_number_they_saw_sqlite(world, db, api_en, monkeypatch):
    _run(world, db, api_en, monkeypatch, 2, expected_seq=1, barrier_in_claim=False)


@pytest.mark.skipif(ON_POSTGRES, reason="the PostgreSQL run has its own races below")
def test_four_clerks_race_sqlite(world, db, api_en, monkeypatch):
    _run(world, db, api_en, monkeypatch, 4, expected_seq=None, barrier_in_claim=False)


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="needs TEST_DATABASE_URL=postgresql://…")
def test_two_clerks_race_with_the_number_they_saw_postgres(world, db, api_en, monkeypatch):
    _run(world, db, api_en, monkeypatch, 2, expected_seq=1, barrier_in_claim=True)


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="needs TEST_DATABASE_URL=postgresql://…")
def test_four_clerks_race_postgres(world, db, api_en, monkeypatch):
    """Nobody sent the number they saw: all read 0, all write; the conditional UPDATE lets one through."""
    _run(world, db, api_en, monkeypatch, 4, expected_seq=None, barrier_in_claim=True)


def test_the_conditional_update_decides(world, db, en_request):
    """The counter moved on after the clerk read it: the UPDATE … WHERE last_seq = 0 matches nothing."""
    account = world.card()
    db.session.query(CardMeterCounter).filter_by(meter_id=account.meter_id).update(
        {"last_seq": 1, "last_clerk_id": world.clerk2.id})
    from fieldsvc.errors import Conflict
    with pytest.raises(Conflict) as exc:
        sales.claim_seq(world.clerk, account.meter_id, 0)
    assert "孙小梅" in exc.value.message and "refresh" in exc.value.message
