"""fieldsvc/cache.py: kept values expire, any committed write drops them, Redis shares them and its
outage never fails a page; the director's home costs a handful of statements once warm."""
import re
import uuid

import pytest
import redis
from sqlalchemy import event

from fieldsvc import cache, create_app
from fieldsvc.customers.models import Customer, District
from fieldsvc.dispatch.services import orders
from fieldsvc.extensions import db
from tests.conftest import make_test_config

REDIS_URL = "redis://127.0.0.1:6379/15"


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}
    return calls, compute


def test_a_value_is_computed_once_until_a_write(app, staff):
    calls, compute = _counter()
    assert cache.cached("t:1", compute) == {"n": 1}
    assert cache.cached("t:1", compute) == {"n": 1}
    db.session.commit()  # a commit that wrote nothing keeps the entries
    assert cache.cached("t:1", compute) == {"n": 1}
    db.session.add(District(code="ZZ", name="测试站"))
    db.session.commit()  # a write drops them
    assert cache.cached("t:1", compute) == {"n": 2}
    assert len(calls) == 2


def test_a_write_without_the_orm_unit_still_drops_them(app, staff):
    calls, compute = _counter()
    cache.cached("t:2", compute)
    db.session.execute(District.__table__.insert().values(code="ZY", name="另一站"))
    db.session.commit()
    cache.cached("t:2", compute)
    assert len(calls) == 2


def test_a_rolled_back_write_keeps_them(app, staff):
    calls, compute = _counter()
    cache.cached("t:3", compute)
    db.session.add(District(code="ZX", name="回滚站"))
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    cache.cached("t:3", compute)
    assert len(calls) == 1


def test_zero_seconds_keeps_nothing(app, staff):
    calls, compute = _counter()
    app.config["CACHE_SECONDS"] = 0
    try:
        cache.cached("t:4", compute)
        cache.cached("t:4", compute)
    finally:
        app.config["CACHE_SECONDS"] = 60
    assert len(calls) == 2


def test_entries_expire(app, staff, monkeypatch):
    store = cache.MemoryStore()
    store.put("k", 1, 60)
    assert store.get("k") == 1
    now = cache.time.monotonic()
    monkeypatch.setattr(cache.time, "monotonic", lambda: now + 61)
    assert store.get("k") is None


def _statements(client, path):
    seen = []

    def count(conn, cursor, statement, *args):
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            seen.append(statement)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return response, seen


def test_the_directors_home_is_cheap_when_warm_and_fresh_after_a_write(app, staff, login):
    director = login("director")
    _, cold = _statements(director, "/")  # cold: every card's figures in one statement
    assert len(cold) <= 10, cold  # issue #19: ≤ 10 statements, also the first view after a write
    page, warm = _statements(director, "/")
    assert len(warm) <= 5, warm
    emergencies = re.search(r'<strong>(\d+)</strong><span>[^<]*(?:Open emergencies|待处理抢险|抢险)', page.text)
    before = int(emergencies.group(1)) if emergencies else 0

    district = db.session.query(District).first()
    customer = Customer(account_no="5199999001", name="张三", category="residential", gas="NG",
                        district_id=district.id, address="幸福小区 1栋")
    db.session.add(customer)
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        orders.create_order(staff["station_chief"], {"type": "emergency", "customer_id": customer.id,
                                                     "description": "闻到燃气味"})
    db.session.commit()
    after = director.get("/", headers={"Accept-Language": "en"})
    figure = re.search(r'<strong>(\d+)</strong><span>Open emergencies', after.text)
    assert figure and int(figure.group(1)) == before + 1


@pytest.mark.parametrize("role", ["director", "station_chief", "safety_officer", "metering_head", "repair_tech",
                                  "meter_reader", "card_clerk", "statistician"])
def test_every_roles_home_is_cheap_after_a_write(app, staff, login, role):
    """At city size writes are constant, so the cold home is the usual one: the counting cards ask their
    figures together (fieldsvc/home.py); only cards with rows to list add a statement."""
    client = login(role)
    cache.invalidate()
    _, cold = _statements(client, "/")
    assert len(cold) <= 10, cold


def test_home_cards_come_in_groups_most_pressing_first(app, staff, login):
    page = login("director").get("/", headers={"Accept-Language": "en"})
    headings = re.findall(r'<h2 class="home-group" id="g-(\w+)"', page.text)
    order = ["today", "safety", "sales", "hse", "office", "overview"]
    assert headings and headings == sorted(headings, key=order.index)
    assert headings[0] == "today"


def _redis_or_skip():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("Redis at 127.0.0.1:6379 is not running")
    return client


def test_redis_shares_entries_and_a_write_on_one_app_drops_them_on_the_other(tmp_path):
    _redis_or_skip()
    prefix = f"fieldsvc:test:{uuid.uuid4().hex}:"
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    apps = []
    for name in ("a", "b"):
        app = create_app({**make_test_config(url, tmp_path / name), "CACHE_URL": REDIS_URL})
        app.extensions["fieldsvc_cache"] = cache.RedisStore(REDIS_URL, prefix=prefix)
        apps.append(app)
    a, b = apps
    with a.app_context():
        db.create_all()
    calls, compute = _counter()
    with a.app_context():
        assert cache.cached("shared", compute) == {"n": 1}
    with b.app_context():
        assert cache.cached("shared", compute) == {"n": 1}  # B reads what A kept
    with a.app_context():
        db.session.add(District(code="RD", name="红站"))
        db.session.commit()
    with b.app_context():
        assert cache.cached("shared", compute) == {"n": 2}  # A's write reached B
    redis.Redis.from_url(REDIS_URL).delete(*redis.Redis.from_url(REDIS_URL).keys(prefix + "*"))
    with a.app_context():
        db.drop_all()


def test_redis_down_never_fails_the_page(app, staff, login):
    kept = app.extensions["fieldsvc_cache"]
    app.extensions["fieldsvc_cache"] = cache.RedisStore("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        assert login("director").get("/").status_code == 200
        calls, compute = _counter()
        assert cache.cached("down", compute) == {"n": 1}
        db.session.add(District(code="DN", name="断站"))
        db.session.commit()  # the bump fails quietly
    finally:
        app.extensions["fieldsvc_cache"] = kept
