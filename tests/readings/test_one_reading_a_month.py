"""RULES.md §3 through the services and every door: one actual/estimated/self reading per meter per month
(page, API, offline replay, batch sync), final and start readings outside it, one bill per meter per cycle
plus the final; the installation period judged like any other; a shut-off supply expected to read zero;
the chief's skip actions only on an open skip of the matching kind."""
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from fieldsvc import clock
from fieldsvc.customers import services as customers
from fieldsvc.errors import Conflict
from fieldsvc.readings import rules
from fieldsvc.readings.models import Bill, Reading, Skip
from fieldsvc.readings.services import billing, recording, review, skips

EN = {"Accept-Language": "en"}
JSON = {**EN, "Accept": "application/json, text/html;q=0.5"}


@pytest.fixture
def stop(world, db):
    """A meter on the demo reader's route, read monthly until last month."""
    customer, meter = world.customer()
    route = world.route([meter])
    last = world.history(meter, 30, periods=6, last_days_ago=clock.today().day + 5)
    db.session.commit()
    return route, meter, last


def bills_of(db, meter) -> int:
    return db.session.execute(select(func.count(Bill.id)).where(Bill.meter_id == meter.id)).scalar_one()


def page(response) -> str:
    return response.get_data(as_text=True)


def test_a_second_reading_is_the_same_conflict_through_every_door(api, login, stop, db):
    route, meter, last = stop
    client, headers = api("meter_reader")
    first = client.post("/api/v1/readings", json={"meter_id": meter.id, "value": float(last + 30)},
                        headers={**headers, **EN})
    assert first.status_code == 201
    message = None
    for kind in ("actual", "self", "estimated"):
        again = client.post("/api/v1/readings", json={"meter_id": meter.id, "value": float(last + 31), "kind": kind},
                            headers={**headers, **EN})
        assert again.status_code == 409 and set(again.json) == {"error"}
        assert message in (None, again.json["error"])
        message = again.json["error"]
    assert "already has a reading for" in message and "was not saved" in message
    synced = client.post("/api/v1/sync", headers={**headers, **EN}, json={"items": [
        {"client_id": str(uuid.uuid4()), "kind": "reading", "data": {"meter_id": meter.id, "value": float(last + 32)}}]})
    assert synced.json["results"][0] == {"client_id": synced.json["results"][0]["client_id"], "status": 409,
                                         "error": message}
    reader = login("meter_reader")
    on_page = reader.post(f"/readings/routes/{route.id}/stops/1/read", data={"value": str(last + 33)}, headers=EN)
    assert on_page.status_code == 409 and message in page(on_page) and f"You typed: {last + 33}" in page(on_page)
    replay = reader.post(f"/readings/routes/{route.id}/stops/1/read", data={"value": str(last + 33)}, headers=JSON)
    assert replay.status_code == 409 and replay.get_json()["error"] == message
    assert db.session.execute(select(func.count(Reading.id)).where(Reading.meter_id == meter.id,
                                                                   Reading.cycle == rules.cycle_of(clock.today()))
                              ).scalar_one() == 1
    assert bills_of(db, meter) == 6 + 1 - 6  # history rows were inserted unbilled: only the API reading's bill


def test_batch_sync_records_readings_once(api, stop, db):
    _route, meter, last = stop
    client, headers = api("meter_reader")
    item = {"client_id": str(uuid.uuid4()), "kind": "reading", "data": {"meter_id": meter.id, "value": float(last + 30)}}
    first = client.post("/api/v1/sync", json={"items": [item]}, headers=headers).json["results"][0]
    again = client.post("/api/v1/sync", json={"items": [item]}, headers=headers).json["results"][0]
    assert (first["status"], again["status"], again["id"]) == (201, 200, first["id"])
    reading = db.session.get(Reading, first["id"])
    assert reading.source == "api" and reading.consumption_m3 == 30


def test_an_estimate_is_the_months_reading(login, stop, db):
    route, meter, _last = stop
    reader = login("meter_reader")
    url = f"/readings/routes/{route.id}/stops/1"
    assert reader.post(f"{url}/skip", data={"code": "nobody_home"}).status_code == 302
    assert 'name="value"' not in page(reader.get(url, headers=EN))  # nothing left to read this month
    response = reader.post(f"{url}/read", data={"value": "99"}, headers=EN)
    assert response.status_code == 409 and "Estimated reading" in page(response)
    again = reader.post(f"{url}/skip", data={"code": "nobody_home", "note": "still away"}, headers=EN)
    assert again.status_code == 409 and "Your note: still away" in page(again)
    assert db.session.execute(select(func.count(Skip.id))).scalar_one() == 1
    assert db.session.execute(select(func.count(Reading.id)).where(Reading.kind == "estimated",
                                                                   Reading.meter_id == meter.id)).scalar_one() == 1


def test_meter_change_readings_are_outside_the_rule(world, stop, db):
    _route, old, last = stop
    customers.create_meter(world.director, {"serial_no": "NEW0200", "size": "G2.5", "accuracy_class": "1.5",
                                            "kind": "diaphragm", "location": "indoor", "digits": 5})
    recording.record_reading(world.chief, old.id, {"value": last + 30, "read_at": clock.now() - timedelta(minutes=30)})
    final, start = skips.change_meter(world.chief, old, {"on": clock.today(), "final_value": last + 31,
                                                         "new_serial": "NEW0200", "start_value": Decimal(0)})
    assert final.kind == "final" and start.kind == "start"
    billed = db.session.execute(select(Reading.kind).join(Bill, Bill.reading_id == Reading.id)
                                .where(Reading.meter_id == old.id)).scalars().all()
    assert sorted(billed) == ["actual", "final"]  # one for the month plus the final
    first_on_new = recording.record_reading(world.chief, start.meter_id, {"value": Decimal(0)})
    assert first_on_new.kind == "actual"  # the start reading does not take the month
    with pytest.raises(Conflict):
        recording.record_reading(world.chief, start.meter_id, {"value": Decimal(0)})


def test_a_reading_sent_back_leaves_room_for_another(world, stop, db):
    _route, meter, last = stop
    flagged = recording.record_reading(world.chief, meter.id, {"value": last + 500, "confirm": True, "reason": "x"})
    with pytest.raises(Conflict):
        recording.record_reading(world.chief, meter.id, {"value": last + 30})
    review.send_back(world.chief, flagged.id)
    assert recording.record_reading(world.chief, meter.id, {"value": last + 30}).status == "accepted"


def test_billing_makes_one_bill_per_meter_per_cycle_plus_the_final(world, db):
    """Two readings of one month on file (from before the rule) get one bill; the final reading its own."""
    _c, meter = world.customer()
    last = world.history(meter, 30, periods=3, last_days_ago=clock.today().day + 40)
    first_day, _next = rules.cycle_bounds(rules.previous_cycle(rules.cycle_of(clock.today())))

    def on_file(day, value, kind="actual"):
        at = datetime(first_day.year, first_day.month, day, 10, tzinfo=clock.zone())
        reading = Reading(meter_id=meter.id, customer_id=meter.customer_id, cycle=rules.cycle_of(at.date()),
                          read_at=at, read_on=at.date(), value=value, kind=kind, consumption_m3=Decimal(10),
                          anomalies="", status="accepted", source="import")
        db.session.add(reading)
        db.session.flush()
        return reading
    readings = [on_file(10, last + 10), on_file(20, last + 20), on_file(25, last + 30, "final")]
    assert billing.bill_for_reading(world.chief, readings[0]).volume_m3 == 10
    with pytest.raises(Conflict):  # "already has a bill" (in the language of the request, if any)
        billing.bill_for_reading(world.chief, readings[1])
    assert billing.bill_for_reading(world.chief, readings[2]).volume_m3 == 10


@pytest.mark.parametrize("installed, flagged", [(True, True), (False, False)])
def test_the_period_from_installation_counts_for_zero(world, db, installed, flagged):
    """Installed with 0 on the register, nothing used by the first reading, nothing since: a zero, unless the
    meter has no installation date (its history opens at its first reading)."""
    _c, meter = world.customer(installed_days_ago=70)
    if not installed:  # registered long ago, installation date unknown
        meter.installed_on, meter.created_at = None, clock.now() - timedelta(days=100)
    first = recording.record_reading(world.chief, meter.id, {"value": Decimal(0),
                                                             "read_at": clock.now() - timedelta(days=40)})
    assert first.codes == []
    second = recording.record_reading(world.chief, meter.id, {"value": Decimal(0)})
    assert ("zero" in second.codes) is flagged


@pytest.mark.parametrize("supply, codes", [("on", ["zero"]), ("shut_off", [])])
def test_a_shut_off_supply_is_expected_to_read_zero(world, db, supply, codes):
    customer, meter = world.customer()
    world.history(meter, [10, 0], periods=2, last_days_ago=clock.today().day + 5)
    customers.set_supply(world.chief, customer, supply, "arrears")
    reading = recording.record_reading(world.chief, meter.id, {"value": Decimal(10)})
    assert reading.codes == codes and reading.status == ("pending" if codes else "accepted")


def test_the_stop_shows_a_shut_off_supply(login, world, stop, db):
    route, meter, _last = stop
    url = f"/readings/routes/{route.id}/stops/1"
    assert "Gas shut off" not in page(login("meter_reader").get(url, headers=EN))
    customers.set_supply(world.chief, meter.customer, "shut_off", "safety")
    db.session.commit()
    body = page(login("meter_reader").get(url, headers=EN))
    assert "Gas shut off" in body and "safety hazard" in body and "no consumption is expected" in body


def _skip(meter, code, status="open", **extra) -> Skip:
    from fieldsvc.extensions import db
    skip = Skip(meter_id=meter.id, customer_id=meter.customer_id, cycle=rules.cycle_of(clock.today()), code=code,
                status=status, **extra)
    db.session.add(skip)
    db.session.flush()
    return skip


def test_a_replacement_order_only_from_an_open_damaged_meter_skip(world, stop, db):
    from fieldsvc.readings.services.workorders import REPLACEMENT, dispatch_offers
    _route, meter, _last = stop
    for skip in (_skip(meter, "nobody_home", "resolved"), _skip(meter, "not_reachable"),
                 _skip(meter, "meter_damaged", "resolved", needs_replacement=True)):
        with pytest.raises(Conflict):
            review.order_replacement(world.chief, skip.id)
        assert skip.work_order_id is None
    damaged = _skip(meter, "meter_damaged", needs_replacement=True)
    review.order_replacement(world.chief, damaged.id)
    assert (damaged.work_order_id is not None) is dispatch_offers(REPLACEMENT)
    review.resolve_skip(world.chief, damaged.id)
    with pytest.raises(Conflict):
        review.resolve_skip(world.chief, damaged.id)


def test_the_review_page_refuses_an_order_from_a_resolved_nobody_home_skip(login, stop, db):
    _route, meter, _last = stop
    skip = _skip(meter, "nobody_home", "resolved")
    db.session.commit()
    response = login("station_chief").post(f"/readings/skips/{skip.id}/order", headers=EN, follow_redirects=True)
    assert "already dealt with" in page(response)
    db.session.expire_all()
    assert db.session.get(Skip, skip.id).work_order_id is None
