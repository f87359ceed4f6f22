"""The server dies in the middle of a sync and comes back: the phone sends again and every record is on the
server exactly once (counted rows), whether the server died after its commit or before it."""
import json
import urllib.error
import urllib.request
import uuid

import pytest
from sqlalchemy import func, select

from fieldsvc.customers.models import Appliance, Customer, District
from fieldsvc.extensions import db
from fieldsvc.idempotency import IdempotencyKey
from fieldsvc.sync import batch
from tests.sync.restartable import RestartableServer, make_app

BATCH = 200


@pytest.fixture
def server(tmp_path):
    server = RestartableServer(make_app(tmp_path))
    server.start()
    yield server
    server.stop()


def _post(url, body, headers=None):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


class Phone:
    """The client side of a sync as the phone does it: items leave the queue only once the server answered
    for them; a request that gets no answer (connection cut, refused, 5xx) is sent again later."""

    def __init__(self, server, token, items):
        self.server, self.headers, self.queue = server, {"Authorization": f"Bearer {token}"}, list(items)
        self.confirmed: dict[str, int] = {}
        self.statuses: list[int] = []

    def sync(self) -> bool:
        """Send batch after batch; False when the server stopped answering (the rest waits)."""
        while self.queue:
            chunk = self.queue[:BATCH]
            try:
                status, body = _post(f"{self.server.base_url}/api/v1/sync", {"items": chunk}, self.headers)
            except (urllib.error.URLError, ConnectionError, OSError):
                return False
            if status != 200:
                return False
            for result in body["results"]:
                assert result["status"] in (200, 201), result
                self.statuses.append(result["status"])
                self.confirmed[result["client_id"]] = result["id"]
            self.queue = self.queue[BATCH:]
        return True


def _setup(server) -> tuple[str, int]:
    with server.app.app_context():
        district = db.session.execute(select(District).limit(1)).scalar_one()
        customer = Customer(account_no="82000001", name="断电", category="residential", gas="NG",
                            district_id=district.id, address="断电路1号")
        db.session.add(customer)
        db.session.commit()
        customer_id = customer.id
        db.session.remove()
    _, body = _post(f"{server.base_url}/api/v1/auth/token", {"username": "station_chief",
                                                            "password": "fieldsvc-demo"})
    return body["token"], customer_id


def _rows(server, customer_id) -> tuple[int, int]:
    with server.app.app_context():
        appliances = db.session.execute(select(func.count(Appliance.id)).where(
            Appliance.customer_id == customer_id)).scalar_one()
        keys = db.session.execute(select(func.count(IdempotencyKey.id))).scalar_one()
        db.session.remove()
        return appliances, keys


def _items(customer_id, n):
    return [{"client_id": str(uuid.uuid4()), "kind": "appliance",
             "data": {"customer_id": customer_id, "kind": "stove", "brand": f"品牌{i}"}} for i in range(n)]


def test_server_killed_after_committing_a_batch_then_restarted(server):
    token, customer_id = _setup(server)
    phone = Phone(server, token, _items(customer_id, 500))
    # The second batch is committed, then the server dies before the phone hears back.
    server.crash_after_requests(2, lambda environ: environ["PATH_INFO"] == "/api/v1/sync")
    assert phone.sync() is False
    assert server.crashed.wait(10)
    assert len(phone.confirmed) == BATCH and len(phone.queue) == 500 - BATCH
    assert _rows(server, customer_id) == (2 * BATCH, 2 * BATCH)  # the phone does not know batch 2 arrived

    # While it is down the phone gets no answer and keeps everything.
    assert phone.sync() is False and len(phone.queue) == 500 - BATCH

    server.start()  # the same address again
    assert phone.sync() is True
    assert phone.statuses.count(200) == BATCH  # batch 2 again: answered as repeats, with the first ids
    assert phone.statuses.count(201) == 500 - BATCH
    assert len(phone.confirmed) == 500 and len(set(phone.confirmed.values())) == 500
    assert _rows(server, customer_id) == (500, 500)


def test_server_dying_half_way_through_a_batch_commits_none_of_it(server, monkeypatch):
    token, customer_id = _setup(server)
    phone = Phone(server, token, _items(customer_id, 300))
    real = batch.KINDS["appliance"]
    calls = {"n": 0}

    def dies_at_the_250th(actor, data):
        calls["n"] += 1
        if calls["n"] == 250:
            raise RuntimeError("power cut")  # not a domain error: the request fails, its transaction with it
        return real.create(actor, data)

    monkeypatch.setitem(batch.KINDS, "appliance", batch.Kind(real.schema, dies_at_the_250th, real.idempotency_kind))
    assert phone.sync() is False  # batch 1 went through; batch 2 failed at its 50th record
    assert len(phone.confirmed) == BATCH
    assert _rows(server, customer_id) == (BATCH, BATCH)  # nothing of batch 2 was kept

    server.stop()
    server.start()
    assert phone.sync() is True
    assert phone.statuses.count(201) == 300 and len(set(phone.confirmed.values())) == 300
    assert _rows(server, customer_id) == (300, 300)
