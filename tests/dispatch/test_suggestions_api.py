"""GET /api/v1/work-orders/<id>/suggestions: who may do the type with a valid licence, ranked by open jobs,
distance and being out today, each with reasons; dispatchers only; a fixed number of queries."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event

from fieldsvc import clock
from fieldsvc.auth.models import Qualification
from fieldsvc.dispatch.services import orders

DOOR = (Decimal("31.230416"), Decimal("121.473701"))
TWO_KM_AWAY = (Decimal("31.248416"), Decimal("121.473701"))  # 0.018° north: 2.0 km
EN = {"Accept-Language": "en"}
FIELD = ["repair_tech", "repair_tech2", "repair_tech3", "pipe_fitter", "pipe_fitter2", "pipe_fitter3",
         "metering_tech", "metering_tech2", "metering_tech3"]


@pytest.fixture
def licensed(staff, db):
    """Every field worker's licence runs a year from today (the demo's dates depend on the day it was made)."""
    for username in FIELD:
        for q in staff[username].qualifications:
            q.expires_on = clock.today() + timedelta(days=365)
    db.session.commit()
    return staff


def _get(api, username, order_id, headers=EN):
    client, auth = api(username)
    return client.get(f"/api/v1/work-orders/{order_id}/suggestions", headers={**auth, **headers})


def _ids(response, staff):
    by_id = {u.id: name for name, u in staff.items()}
    return [by_id[item["user_id"]] for item in response.json["items"]]


@pytest.mark.parametrize(("order_type", "expected"), [
    ("repair", {"repair_tech", "repair_tech2", "repair_tech3"}),
    ("emergency", {"repair_tech", "repair_tech2", "repair_tech3"}),
    ("rectification", {"pipe_fitter", "pipe_fitter2", "pipe_fitter3"}),
    ("meter_replacement", {"repair_tech", "repair_tech2", "repair_tech3", "pipe_fitter", "pipe_fitter2",
                           "pipe_fitter3"}),
    ("meter_verification", {"metering_tech", "metering_tech2", "metering_tech3"}),
])
def test_only_roles_that_do_the_type(api, make_order, licensed, order_type, expected):
    order = make_order(order_type)
    response = _get(api, "station_chief", order.id)
    assert response.status_code == 200
    assert set(_ids(response, licensed)) == expected
    for item in response.json["items"]:
        assert set(item) == {"user_id", "score", "reasons"} and len(item["reasons"]) == 4


def test_expired_licence_is_left_out_and_one_running_out_says_until(api, make_order, licensed, db):
    q = licensed["repair_tech2"].qualifications[0]
    q.expires_on = clock.today() - timedelta(days=1)
    soon = licensed["repair_tech3"].qualifications[0]
    soon.expires_on = clock.today() + timedelta(days=10)
    db.session.commit()
    order = make_order("repair")
    response = _get(api, "station_chief", order.id)
    assert _ids(response, licensed) and "repair_tech2" not in _ids(response, licensed)
    reasons = {name: item["reasons"] for name, item in zip(_ids(response, licensed), response.json["items"], strict=True)}
    assert reasons["repair_tech"][-1] == "Licence valid"
    assert reasons["repair_tech3"][-1].startswith("Licence valid until ")
    # A metering technician without a metrology licence (only a service certificate) is not sent either.
    licensed["metering_tech"].qualifications[0].kind = "service_cert_1"
    db.session.commit()
    response = _get(api, "station_chief", make_order("meter_verification").id)
    assert set(_ids(response, licensed)) == {"metering_tech2", "metering_tech3"}


def test_a_licence_expiring_today_still_counts(api, make_order, licensed, db):
    licensed["repair_tech"].qualifications[0].expires_on = clock.today()
    db.session.commit()
    assert "repair_tech" in _ids(_get(api, "station_chief", make_order("repair").id), licensed)


def _move(order, tech, to, where=None):
    lat, lng = where or (None, None)
    orders.transition(tech, order.id, to, order.version, lat, lng)


def test_ranked_by_load_distance_and_being_out(api, make_order, licensed, customers, db, en_request):
    """repair_tech3 is at the customer's door on another job (1 job, out, 0 km); repair_tech2 is out 2 km away
    (1 job); repair_tech has two jobs waiting and has not moved one today."""
    chief = licensed["station_chief"]
    at_door = make_order("repair", assignee="repair_tech3", status="en_route")
    _move(at_door, licensed["repair_tech3"], "on_site", DOOR)
    away = make_order("repair", assignee="repair_tech2", status="accepted", customer=customers[1])
    _move(away, licensed["repair_tech2"], "en_route", TWO_KM_AWAY)
    for _ in range(2):
        waiting = make_order("pressure_check", customer=customers[1])
        orders.assign(chief, waiting.id, licensed["repair_tech"].id, waiting.version)
    db.session.commit()
    new = make_order("repair")  # at the first customer, whose door has a fix now

    response = _get(api, "station_chief", new.id)
    assert _ids(response, licensed) == ["repair_tech3", "repair_tech2", "repair_tech"]
    items = response.json["items"]
    assert [i["score"] for i in items] == [103.0, 99.0, 64.0]
    assert items[0]["reasons"] == ["1 open job", "0.0 km", "On duty today", "Licence valid"]
    assert items[1]["reasons"] == ["1 open job", "2.0 km", "On duty today", "Licence valid"]
    assert items[2]["reasons"] == ["2 open jobs", "Location unknown", "Not out yet today", "Licence valid"]

    # For a leak, being near counts double (repair_tech2 loses 8 for 2 km), and the reasons are in Chinese.
    leak = make_order("emergency")
    response = _get(api, "station_chief", leak.id, {"Accept-Language": "zh-CN"})
    assert [i["score"] for i in response.json["items"]] == [103.0, 95.0, 52.0]
    assert response.json["items"][1]["reasons"][:3] == ["1 单未结", "2.0 公里", "今日已出工"]


def test_district_stands_in_without_a_fix(api, make_order, licensed, customers, db, en_request):
    """No fix at the door: whoever works in the order's district today ranks above someone elsewhere."""
    from fieldsvc.customers.models import Customer, District
    other = db.session.query(District).order_by(District.code.desc()).first()
    elsewhere = Customer(account_no="51000099", name="赵六", category="residential", gas="NG", district_id=other.id,
                         address="城北 1 号")
    db.session.add(elsewhere)
    db.session.commit()
    here = make_order("repair", assignee="repair_tech", status="en_route")  # first customer's district
    there = make_order("repair", assignee="repair_tech2", status="en_route", customer=elsewhere)
    assert here.district_id != there.district_id
    response = _get(api, "station_chief", make_order("rectification").id)  # fitters: nobody moved today
    assert {tuple(i["reasons"][1:3]) for i in response.json["items"]} == {("Location unknown", "Not out yet today")}
    response = _get(api, "station_chief", make_order("repair").id)
    names = _ids(response, licensed)
    assert names.index("repair_tech") < names.index("repair_tech2")
    reasons = dict(zip(names, (i["reasons"] for i in response.json["items"]), strict=True))
    assert reasons["repair_tech"][1] == "In this district" and reasons["repair_tech2"][1] == "In another district"


@pytest.mark.parametrize("username", ["repair_tech", "pipe_fitter", "metering_tech", "meter_reader", "statistician"])
def test_only_dispatchers_may_ask(api, make_order, licensed, username):
    order = make_order("repair", assignee="repair_tech")
    assert _get(api, username, order.id).status_code == 403
    assert _get(api, username, 999999).status_code == 403  # refused before anything is looked up


def test_unknown_order_is_404_and_a_done_one_has_nobody(api, make_order, licensed, db):
    assert _get(api, "station_chief", 999999).status_code == 404
    assert _get(api, "director", 999999).status_code == 404
    order = make_order("repair", assignee="repair_tech", status="on_site")
    assert _get(api, "station_chief", order.id).json == {"items": []}


def test_a_fixed_number_of_queries(api, app, db, make_order, licensed, customers, en_request):
    client, auth = api("station_chief")
    order = make_order("repair")

    def count() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"/api/v1/work-orders/{order.id}/suggestions", headers=auth).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    before = count()
    for i, tech in enumerate(["repair_tech", "repair_tech2", "repair_tech3", "pipe_fitter", "pipe_fitter2"] * 3):
        o = make_order("meter_replacement", assignee=tech, status="accepted", customer=customers[i % 2])
        _move(o, licensed[tech], "en_route", DOOR)
        _move(o, licensed[tech], "on_site", TWO_KM_AWAY)
    db.session.commit()
    assert count() == before
    db.session.add(Qualification(user_id=licensed["repair_tech"].id, kind="driving_licence", number="D1",
                                 issuer="交管局"))
    db.session.commit()
    assert count() == before
