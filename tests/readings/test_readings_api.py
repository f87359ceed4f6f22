"""POST /api/v1/readings and friends: anomalies, refusals naming the code, idempotency, own routes only."""
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from fieldsvc import clock


@pytest.fixture
def reader_meter(world, db):
    _c, meter = world.customer()
    world.route([meter])
    last = world.history(meter, 30, periods=6)
    db.session.commit()
    return meter, last


def post(client, headers, **body):
    return client.post("/api/v1/readings", json=body, headers=headers)


def test_reader_records_a_reading_on_own_route(api, reader_meter, db):
    meter, last = reader_meter
    client, headers = api("meter_reader")
    response = post(client, headers, meter_id=meter.id, value=float(last + 31), kind="actual")
    assert response.status_code == 201, response.json
    assert response.json["consumption_m3"] == 31
    assert response.json["anomalies"] == []
    listing = client.get(f"/api/v1/meters/{meter.id}/readings", headers=headers).json
    assert listing["total"] == 7
    assert listing["items"][0]["id"] == response.json["id"]
    bills = client.get("/api/v1/bills", headers=headers).json
    assert bills["total"] == 1 and bills["items"][0]["volume_m3"] == 31
    assert bills["items"][0]["lines"][0]["price"] == 2.61


def test_spike_refused_naming_the_code_then_confirmed(api, reader_meter):
    meter, last = reader_meter
    client, headers = api("meter_reader")
    refused = post(client, headers, meter_id=meter.id, value=float(last + 200))
    assert refused.status_code == 422
    assert refused.json["errors"]["value"][0].startswith("spike:")
    confirmed = post(client, headers, meter_id=meter.id, value=float(last + 200), confirm=True)
    assert confirmed.status_code == 422 and "reason" in confirmed.json["errors"]  # a reason is needed
    confirmed = post(client, headers, meter_id=meter.id, value=float(last + 200), confirm=True,
                     reason="re-read: new water heater")
    assert confirmed.status_code == 201
    assert confirmed.json["anomalies"] == ["spike"]
    assert confirmed.json["status"] == "pending"
    assert client.get("/api/v1/bills", headers=headers).json["total"] == 0  # billed after the chief's review


@pytest.mark.parametrize("delta, kind, code", [
    (-5, "actual", "negative"),
    (50000, "actual", "implausible"),  # 50 000 m³ in a month through a G2.5
])
def test_refusals_name_the_code(api, reader_meter, delta, kind, code):
    meter, last = reader_meter
    client, headers = api("meter_reader")
    response = post(client, headers, meter_id=meter.id, value=float(last + delta), kind=kind)
    assert response.status_code == 422
    assert code in response.json["errors"]["value"][0]


def test_negative_confirmed_is_stored_with_zero_and_reviewed(api, reader_meter):
    meter, last = reader_meter
    client, headers = api("meter_reader")
    response = post(client, headers, meter_id=meter.id, value=float(last - 5), confirm=True, reason="re-read twice")
    assert response.status_code == 201
    assert response.json == {"id": response.json["id"], "consumption_m3": 0, "anomalies": ["negative"],
                             "status": "pending"}


def test_third_estimate_refused(api, world, db):
    _c, meter = world.customer()
    world.route([meter])
    world.history(meter, 30, periods=3, last_days_ago=70)
    # two estimates in a row, the last one in the previous month (one reading a month: RULES.md §3)
    world.history(meter, 30, periods=2, start_value=None, last_days_ago=clock.today().day + 1, kind="estimated")
    db.session.commit()
    client, headers = api("meter_reader")
    response = post(client, headers, meter_id=meter.id, value=99999 - 1, kind="estimated")
    assert response.status_code == 422
    assert response.json["errors"]["value"][0].startswith("estimate_limit:")


def test_idempotent_client_id(api, reader_meter, db):
    meter, last = reader_meter
    client, headers = api("meter_reader")
    client_id = str(uuid.uuid4())
    first = post(client, headers, meter_id=meter.id, value=float(last + 30), client_id=client_id)
    again = post(client, headers, meter_id=meter.id, value=float(last + 30), client_id=client_id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == again.json["id"]
    other = post(client, headers, meter_id=meter.id, value=float(last + 31), client_id=client_id)
    assert other.status_code == 409
    assert client.get(f"/api/v1/meters/{meter.id}/readings", headers=headers).json["total"] == 7


def test_reader_cannot_read_meters_off_their_routes(api, world, db):
    _c, mine = world.customer()
    _c, theirs = world.customer()
    _c, nowhere = world.customer()
    world.route([mine], reader="meter_reader")
    world.route([theirs], reader="meter_reader2", name="R-other")
    db.session.commit()
    client, headers = api("meter_reader")
    for meter in (theirs, nowhere):
        assert post(client, headers, meter_id=meter.id, value=10).status_code == 404
        assert client.get(f"/api/v1/meters/{meter.id}/readings", headers=headers).status_code == 404
    assert post(client, headers, meter_id=mine.id, value=10).status_code == 201
    other_route = client.get("/api/v1/routes", headers=headers).json
    assert [r["name"] for r in other_route["items"]] == ["R3"]


def test_station_chief_records_any_meter(api, world, db):
    _c, meter = world.customer()
    db.session.commit()
    client, headers = api("station_chief")
    read_at = (clock.now() - timedelta(hours=2)).isoformat()
    response = post(client, headers, meter_id=meter.id, value=12.5, read_at=read_at)
    assert response.status_code == 201
    assert response.json["consumption_m3"] == 12.5


@pytest.mark.parametrize("username, status", [("repair_tech", 403), ("card_clerk", 403), ("director", 403)])
def test_other_roles_may_not_record(api, reader_meter, username, status):
    meter, _last = reader_meter
    client, headers = api(username)
    assert post(client, headers, meter_id=meter.id, value=1).status_code == status


@pytest.mark.parametrize("body, field", [
    ({"value": 10}, "meter_id"),
    ({"meter_id": 1}, "value"),
    ({"meter_id": 1, "value": "abc"}, "value"),
    ({"meter_id": 1, "value": 10, "kind": "guess"}, "kind"),
    ({"meter_id": 1, "value": 10, "read_at": "2026-01-01T10:00:00"}, "read_at"),  # no offset
])
def test_bad_input_is_422(api, reader_meter, body, field):
    client, headers = api("meter_reader")
    response = client.post("/api/v1/readings", json=body, headers=headers)
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_future_reading_refused(api, reader_meter):
    meter, last = reader_meter
    client, headers = api("meter_reader")
    later = (clock.now() + timedelta(days=2)).isoformat()
    response = post(client, headers, meter_id=meter.id, value=float(last + 5), read_at=later)
    assert response.status_code == 422 and "read_at" in response.json["errors"]


def test_routes_api_shape(api, world, db):
    _c, m1 = world.customer()
    _c, m2 = world.customer()
    route = world.route([m1, m2], name="东区1册")
    db.session.commit()
    client, headers = api("meter_reader")
    body = client.get(f"/api/v1/routes/{route.id}", headers=headers).json
    assert body["name"] == "东区1册" and body["reader_id"] == world.staff["meter_reader"].id
    assert body["district"]
    assert body["stops"] == [{"seq": 1, "meter_id": m1.id, "customer_id": m1.customer_id},
                             {"seq": 2, "meter_id": m2.id, "customer_id": m2.customer_id}]
    other, other_headers = api("meter_reader2")
    assert other.get(f"/api/v1/routes/{route.id}", headers=other_headers).status_code == 404
    chief, chief_headers = api("station_chief")
    assert chief.get(f"/api/v1/routes/{route.id}", headers=chief_headers).status_code == 200


def test_tariffs_api(api, world):
    client, headers = api("card_clerk")
    body = client.get("/api/v1/tariffs", headers=headers).json
    by_category = {t["category"]: t for t in body["items"]}
    assert [(t["upper_m3"], t["price"]) for t in by_category["residential"]["tiers"]] == [
        (350, 2.61), (500, 3.13), (None, 3.92)]
    assert by_category["commercial"]["tiers"] == [{"tier": 1, "upper_m3": None, "price": 3.45}]
    assert by_category["industrial"]["tiers"][0]["price"] == 3.2
    assert by_category["residential"]["cycle_start"] == "01-01"


def test_new_tariff_version_by_director(api, world):
    client, headers = api("director")
    body = {"category": "commercial", "name": "商业气价2027", "valid_from": "2027-01-01",
            "tiers": [{"price": "3.60"}]}
    assert client.post("/api/v1/tariffs", json=body, headers=headers).status_code == 201
    assert client.post("/api/v1/tariffs", json=body, headers=headers).status_code == 409  # same day twice: 409
    bad = dict(body, valid_from="2028-01-01", tiers=[{"upper_m3": 100, "price": 3}])
    assert client.post("/api/v1/tariffs", json=bad, headers=headers).status_code == 422
    chief, chief_headers = api("station_chief")
    assert chief.post("/api/v1/tariffs", json=dict(body, valid_from="2029-01-01"),
                      headers=chief_headers).status_code == 403


def test_chief_approves_flagged_reading_via_api(api, reader_meter):
    meter, last = reader_meter
    client, headers = api("meter_reader")
    rid = post(client, headers, meter_id=meter.id, value=float(last + 200), confirm=True, reason="checked").json["id"]
    assert client.post(f"/api/v1/readings/{rid}/approve", json={}, headers=headers).status_code == 403
    chief, chief_headers = api("station_chief")
    response = chief.post(f"/api/v1/readings/{rid}/approve", json={"note": "ok"}, headers=chief_headers)
    assert response.status_code == 200 and response.json["status"] == "approved"
    bill = chief.get("/api/v1/bills", headers=chief_headers).json["items"][0]
    assert bill["volume_m3"] == 200 and bill["amount"] == float(Decimal("2.61") * 200)
    assert chief.post(f"/api/v1/readings/{rid}/approve", json={}, headers=chief_headers).status_code == 409
