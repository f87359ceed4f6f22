"""The reader's phone pages and the chief's review, driven through the test client."""
import io
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from fieldsvc.readings.models import Bill, Reading, Skip
from tests.readings.helpers import jpeg

EN = {"Accept-Language": "en"}


@pytest.fixture
def route_of_three(world, db):
    meters = [world.customer()[1] for _ in range(3)]
    route = world.route(meters, name="城东1册")
    lasts = [world.history(m, 30, periods=6) for m in meters]
    db.session.commit()
    return route, meters, lasts


def world_chief(db):
    from fieldsvc.auth.models import User
    return db.session.execute(select(User).where(User.username == "station_chief")).scalar_one()


def page(response) -> str:
    return response.get_data(as_text=True)


def test_my_route_lists_the_readers_routes(login, route_of_three):
    route, _m, _l = route_of_three
    body = page(login("meter_reader").get("/readings/my-route", headers=EN))
    assert "城东1册" in body and "To read 3" in body
    assert "城东1册" not in page(login("meter_reader2").get("/readings/my-route", headers=EN))


def test_stop_screen_shows_what_the_reader_needs(login, route_of_three):
    route, meters, lasts = route_of_three
    body = page(login("meter_reader").get(f"/readings/routes/{route.id}/stops/1", headers=EN))
    assert meters[0].serial_no in body
    assert 'inputmode="decimal"' in body
    assert f"{int(lasts[0]):,}" in body  # previous reading
    assert "Expected" in body
    assert 'rel="next"' in body and 'rel="prev"' not in body


def test_reading_saved_goes_to_next_stop(login, route_of_three, db):
    route, meters, lasts = route_of_three
    client = login("meter_reader")
    response = client.post(f"/readings/routes/{route.id}/stops/1/read", data={"value": str(lasts[0] + 29)})
    assert response.status_code == 302 and response.location.endswith(f"/readings/routes/{route.id}/stops/2")
    reading = db.session.execute(select(Reading).where(Reading.meter_id == meters[0].id, Reading.source == "field")
                                 ).scalar_one()
    assert reading.consumption_m3 == 29 and reading.route_id == route.id


def test_a_value_the_chief_types_on_the_stop_page_is_from_the_office(login, route_of_three, db):
    route, meters, lasts = route_of_three
    response = login("station_chief").post(f"/readings/routes/{route.id}/stops/2/read",
                                            data={"value": str(lasts[1] + 25)})
    assert response.status_code == 302
    reading = db.session.execute(select(Reading).where(Reading.meter_id == meters[1].id)
                                 .order_by(Reading.id.desc()).limit(1)).scalar_one()
    assert (reading.source, reading.consumption_m3, reading.route_id) == ("office", 25, route.id)


@pytest.mark.parametrize("role, source", [("meter_reader", "field"), ("station_chief", "office")])
def test_source_of_a_page_reading_follows_the_permission_to_walk_routes(world, role, source):
    from fieldsvc.readings.services import recording
    assert recording.source_for(world.staff[role]) == source


def test_refused_reading_keeps_the_value_and_says_why(login, route_of_three, db):
    route, meters, lasts = route_of_three
    client = login("meter_reader")
    typed = str(lasts[0] + 400)
    response = client.post(f"/readings/routes/{route.id}/stops/1/read", data={"value": typed}, headers=EN)
    assert response.status_code == 422
    body = page(response)
    assert f'value="{typed}"' in body
    assert "Unusually high" in body and "more than 3 times" in body
    assert 'name="confirm"' in body and 'name="photo"' in body
    # Confirming without the photo is refused again, keeping the value and the reason.
    response = client.post(f"/readings/routes/{route.id}/stops/1/read", headers=EN,
                           data={"value": typed, "confirm": "true", "reason": "new boiler"})
    assert response.status_code == 422
    assert "Take a photo of the register." in page(response) and 'value="new boiler"' in page(response)
    response = client.post(f"/readings/routes/{route.id}/stops/1/read", content_type="multipart/form-data",
                           data={"value": typed, "confirm": "true", "reason": "new boiler",
                                 "photo": (io.BytesIO(jpeg()), "register.jpg")})
    assert response.status_code == 302
    reading = db.session.execute(select(Reading).where(Reading.source == "field")).scalar_one()
    assert reading.codes == ["spike"] and reading.status == "pending" and reading.photo_id
    # The chief sees the photo; another reader does not.
    assert login("station_chief").get(f"/uploads/{reading.photo_id}").status_code == 200
    assert login("meter_reader2").get(f"/uploads/{reading.photo_id}").status_code == 404


def test_not_a_number_is_a_clear_422(login, route_of_three):
    route, _m, _l = route_of_three
    response = login("meter_reader").post(f"/readings/routes/{route.id}/stops/1/read", data={"value": "12a"},
                                          headers=EN)
    assert response.status_code == 422
    assert "Not a valid number." in page(response) and 'value="12a"' in page(response)


def test_nobody_home_records_an_estimate(login, route_of_three, db):
    route, meters, lasts = route_of_three
    response = login("meter_reader").post(f"/readings/routes/{route.id}/stops/2/skip",
                                          data={"code": "nobody_home"}, headers=EN)
    assert response.status_code == 302
    skip = db.session.execute(select(Skip)).scalar_one()
    assert skip.reading.kind == "estimated" and skip.status == "resolved"
    assert skip.reading.value == lasts[1] + skip.reading.consumption_m3
    assert 25 <= skip.reading.consumption_m3 <= 35  # about a month at 1 m³/day
    assert db.session.execute(select(Bill).where(Bill.reading_id == skip.reading_id)).scalar_one()


def test_nobody_home_at_a_shut_off_supply_estimates_nothing(login, route_of_three, db):
    route, meters, lasts = route_of_three
    meters[1].customer.supply, meters[1].customer.supply_reason = "shut_off", "arrears"
    db.session.commit()
    login("meter_reader").post(f"/readings/routes/{route.id}/stops/2/skip", data={"code": "nobody_home"})
    skip = db.session.execute(select(Skip)).scalar_one()
    assert skip.reading.kind == "estimated" and skip.reading.value == lasts[1]
    assert skip.reading.consumption_m3 == 0 and "zero" not in skip.reading.anomalies


def test_damaged_meter_creates_replacement_order_or_flag(login, route_of_three, db):
    from fieldsvc.readings.services.workorders import REPLACEMENT, dispatch_offers
    route, _m, _l = route_of_three
    login("meter_reader").post(f"/readings/routes/{route.id}/stops/3/skip", data={"code": "meter_damaged",
                                                                                  "note": "glass broken"})
    skip = db.session.execute(select(Skip)).scalar_one()
    if dispatch_offers(REPLACEMENT):
        assert skip.work_order_id and not skip.needs_replacement
    else:
        assert skip.needs_replacement and skip.work_order_id is None
    body = page(login("station_chief").get("/readings/review", headers=EN))
    assert "Meter damaged" in body and "glass broken" in body


def test_bypass_is_listed_for_the_safety_officer(login, route_of_three):
    route, meters, _l = route_of_three
    login("meter_reader").post(f"/readings/routes/{route.id}/stops/1/skip", data={"code": "bypass",
                                                                                  "note": "hose around meter"})
    body = page(login("safety_officer").get("/readings/tampering", headers=EN))
    assert "hose around meter" in body and meters[0].serial_no in body
    assert login("meter_reader").get("/readings/tampering").status_code == 403


def test_reader_reorders_stops(login, route_of_three, db):
    route, meters, _l = route_of_three
    client = login("meter_reader")
    stop_id = route.stops[2].id
    client.post(f"/readings/routes/{route.id}/stops/{stop_id}/move", data={"direction": "up"})
    client.post(f"/readings/routes/{route.id}/stops/{stop_id}/move", data={"direction": "up"})
    client.post(f"/readings/routes/{route.id}/stops/{stop_id}/move", data={"direction": "up"})  # already first
    db.session.expire_all()
    assert [s.meter_id for s in route.stops] == [meters[2].id, meters[0].id, meters[1].id]
    other = login("meter_reader2").post(f"/readings/routes/{route.id}/stops/{stop_id}/move",
                                        data={"direction": "down"})
    assert other.status_code == 404


@pytest.mark.parametrize("url", ["/readings/routes/{route}", "/readings/routes/{route}/stops/1"])
def test_other_reader_gets_404_on_pages(login, route_of_three, url):
    route, _m, _l = route_of_three
    client = login("meter_reader2")
    assert client.get(url.format(route=route.id)).status_code == 404
    assert client.post(f"/readings/routes/{route.id}/stops/1/read", data={"value": "1"}).status_code == 404


def test_chief_reviews_and_exports(login, route_of_three, db):
    route, meters, lasts = route_of_three
    reader = login("meter_reader")
    reader.post(f"/readings/routes/{route.id}/stops/1/read", data={"value": str(lasts[0] + 30)})
    reader.post(f"/readings/routes/{route.id}/stops/2/read", data={"value": str(lasts[1] + 500), "confirm": "true",
                                                                  "reason": "re-read", "photo": (io.BytesIO(jpeg()), "r.jpg")},
                content_type="multipart/form-data")
    reader.post(f"/readings/routes/{route.id}/stops/3/read", data={"value": str(lasts[2] + 600), "confirm": "true",
                                                                  "reason": "re-read", "photo": (io.BytesIO(jpeg()), "r.jpg")},
                content_type="multipart/form-data")
    from fieldsvc.readings.services import review
    assert review.counts(world_chief(db)) == {"pending": 2, "open_skips": 0}
    chief = login("station_chief")
    body = page(chief.get("/readings/review", headers=EN))
    ids = [int(x) for x in re.findall(r'id="reading-(\d+)"', body)]
    assert len(ids) == 2
    assert chief.post(f"/readings/review/{ids[0]}/approve").status_code == 302
    assert chief.post(f"/readings/review/{ids[1]}/send-back").status_code == 302
    cycle = db.session.get(Reading, ids[0]).cycle
    csv_text = chief.get(f"/readings/export/{cycle}/readings.csv").get_data(as_text=True)
    assert csv_text.startswith("\ufeffreading_id,")
    exported = {line.split(",")[0] for line in csv_text.splitlines()[1:]}
    assert str(ids[0]) in exported and str(ids[1]) not in exported
    assert len([x for x in exported if x]) == 2
    bills = chief.get(f"/readings/export/{cycle}/bills.csv").get_data(as_text=True).splitlines()
    assert len(bills) == 1 + 1 + 2  # header, the 30 m³ bill, the 500 m³ bill crossing into tier 2
    # The stop sent back is to be read again.
    assert "To read 1" in page(reader.get(f"/readings/routes/{route.id}", headers=EN))
    assert login("meter_reader").get(f"/readings/export/{cycle}/readings.csv").status_code == 403


def test_arrears_at_the_door(login, world, db):
    from datetime import timedelta

    from fieldsvc import clock
    _c, meter = world.customer()
    route = world.route([meter])
    world.history(meter, 30, periods=4)
    reading = db.session.execute(select(Reading).order_by(Reading.read_at.desc())).scalars().first()
    from fieldsvc.readings.services import billing
    bill = billing.bill_for_reading(world.chief, reading, issued_on=clock.today() - timedelta(days=50))
    db.session.commit()
    client = login("meter_reader")
    body = page(client.get(f"/readings/routes/{route.id}/stops/1", headers=EN))
    fee = (bill.amount * Decimal("0.003") * 25).quantize(Decimal("0.01"))  # due 35 days ago: 25 fee days
    assert "Notice to serve" in body and f"{bill.amount + fee:.2f}" in body
    response = client.post(f"/readings/routes/{route.id}/stops/1/pay", data={"amount": "1", "method": "wechat"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Bill, bill.id).fee_paid == Decimal("1.00")
    response = client.post(f"/readings/routes/{route.id}/stops/1/pay", data={"amount": "-3", "method": "cash"},
                           headers=EN)
    assert response.status_code == 422
    client.post(f"/readings/routes/{route.id}/stops/1/pay", data={"amount": str(bill.amount + fee), "method": "cash"})
    db.session.expire_all()
    assert db.session.get(Bill, bill.id).status == "paid"


def test_customer_timeline_shows_readings_and_bills(login, route_of_three, db):
    route, meters, lasts = route_of_three
    login("meter_reader").post(f"/readings/routes/{route.id}/stops/1/read", data={"value": str(lasts[0] + 30)})
    body = page(login("station_chief").get(f"/customers/{meters[0].customer_id}", headers=EN))
    assert "Actual reading" in body and "/readings/bills/" in body
    bill_id = db.session.execute(select(Bill.id)).scalar_one()
    bill_page = page(login("station_chief").get(f"/readings/bills/{bill_id}", headers=EN))
    assert "Tier split" in bill_page and "78.30" in bill_page
    assert login("meter_reader").get(f"/readings/bills/{bill_id}").status_code == 200  # own route's customer
    assert login("meter_reader2").get(f"/readings/bills/{bill_id}").status_code == 404


def test_second_tap_on_save_records_nothing(login, route_of_three, db):
    route, meters, lasts = route_of_three
    client = login("meter_reader")
    for _ in range(2):
        client.post(f"/readings/routes/{route.id}/stops/1/read", data={"value": str(lasts[0] + 30)})
    assert len(db.session.execute(select(Reading).where(Reading.source == "field")).all()) == 1


def test_second_reading_of_a_month_says_so_on_the_page_and_conflicts_from_the_outbox(login, route_of_three, db):
    """A second value for a meter read this month: the page shows the stop again with the service's message and
    the value typed (409); from the phone's outbox (it asks for JSON) the same message as a 409, so the value
    typed offline is shown to the reader as a conflict instead of being dropped."""
    route, _meters, lasts = route_of_three
    client = login("meter_reader")
    url = f"/readings/routes/{route.id}/stops/1/read"
    assert client.post(url, data={"value": str(lasts[0] + 29)}).status_code == 302
    again = client.post(url, data={"value": str(lasts[0] + 31)}, headers=EN)
    body = page(again)
    assert again.status_code == 409 and "already has a reading for" in body and "was not saved" in body
    assert f"You typed: {lasts[0] + 31}" in body
    replay = client.post(url, data={"value": str(lasts[0] + 31)},
                         headers={**EN, "Accept": "application/json, text/html;q=0.5"})
    assert replay.status_code == 409 and "already has a reading for" in replay.get_json()["error"]
    assert db.session.query(Reading).filter(Reading.kind != "start", Reading.route_id == route.id,
                                            Reading.value == lasts[0] + 31).count() == 0
