"""The chief's route pages (create, add meters, assign, remove), progress, tariffs pages, the reader's day."""
import pytest
from sqlalchemy import select

from fieldsvc.customers.models import District
from fieldsvc.readings.models import Route, RouteStop
from fieldsvc.readings.services import recording, routes

EN = {"Accept-Language": "en"}


def text(response) -> str:
    return response.get_data(as_text=True)


def test_chief_builds_a_route(world, db, login):
    meters = [world.customer()[1] for _ in range(3)]
    db.session.commit()
    chief = login("station_chief")
    district = db.session.execute(select(District).where(District.code == "D01")).scalar_one()
    bad = chief.post("/readings/routes/new", data={"name": "", "district_id": str(district.id)}, headers=EN)
    assert bad.status_code == 422
    response = chief.post("/readings/routes/new", data={"name": "城东3册", "district_id": str(district.id)})
    assert response.status_code == 302
    route = db.session.execute(select(Route)).scalar_one()
    again = chief.post("/readings/routes/new", data={"name": "城东3册", "district_id": str(district.id)}, headers=EN)
    assert again.status_code == 422 and "already exists" in text(again)
    serials = "\n".join(m.serial_no for m in reversed(meters))
    chief.post(f"/readings/routes/{route.id}/stops/add", data={"serials": serials + "\nNOPE"})
    assert db.session.execute(select(RouteStop)).first() is None  # one bad serial: nothing added
    chief.post(f"/readings/routes/{route.id}/stops/add", data={"serials": serials})
    db.session.expire_all()
    assert [s.meter_id for s in route.stops] == [m.id for m in reversed(meters)]
    dup = chief.post(f"/readings/routes/{route.id}/stops/add", data={"serials": meters[0].serial_no},
                     follow_redirects=True, headers=EN)
    assert "already on a route" in text(dup)
    chief.post(f"/readings/routes/{route.id}/assign", data={"reader_id": str(world.staff["meter_reader3"].id),
                                                           "version": str(route.version)})
    db.session.expire_all()
    assert route.reader_id == world.staff["meter_reader3"].id
    wrong = chief.post(f"/readings/routes/{route.id}/assign", data={"reader_id": str(world.staff["repair_tech"].id)},
                       follow_redirects=True, headers=EN)
    assert "Choose an active meter reader." in text(wrong)
    chief.post(f"/readings/routes/{route.id}/stops/{route.stops[0].id}/remove")
    db.session.expire_all()
    assert [s.seq for s in route.stops] == [1, 2]
    assert login("meter_reader").post(f"/readings/routes/{route.id}/stops/add", data={"serials": "x"}).status_code == 403


def test_progress_per_route_and_reader(world, db, login):
    meters = [world.customer()[1] for _ in range(4)]
    world.route(meters[:2], name="A册")
    world.route(meters[2:], reader="meter_reader2", name="B册")
    for m in meters:
        world.history(m, 30, periods=3)
    recording.record_reading(world.chief, meters[0].id, {"value": 100})
    db.session.commit()
    result = routes.progress(world.chief)
    by_name = {r.name: result["per_route"][r.id] for r in result["routes"]}
    assert by_name["A册"]["read"] == 1 and by_name["A册"]["left"] == 1 and by_name["B册"]["left"] == 2
    assert result["per_reader"][world.staff["meter_reader"].id]["read"] == 1
    body = text(login("station_chief").get("/readings/routes/", headers=EN))
    assert "A册" in body and "By reader" in body
    assert login("meter_reader").get("/readings/routes/").status_code == 403
    day = routes.reader_today(world.staff["meter_reader"])
    assert day["totals"]["read"] == 1 and day["totals"]["left"] == 1 and day["next_route"].name == "A册"


def test_tariff_pages(world, login, db):
    body = text(login("card_clerk").get("/readings/tariffs", headers=EN))
    assert "2.61" in body and "3.92" in body and "3.45" in body
    assert login("station_chief").get("/readings/tariffs/new").status_code == 403
    director = login("director")
    bad = director.post("/readings/tariffs/new", headers=EN, data={
        "category": "residential", "name": "居民2027", "valid_from": "2027-01-01",
        "upper_1": "300", "price_1": "2.70", "upper_2": "200", "price_2": "3.00", "price_3": "3.90"})
    assert bad.status_code == 422 and 'value="居民2027"' in text(bad)
    missing_price = director.post("/readings/tariffs/new", headers=EN, data={
        "category": "residential", "name": "居民2027", "valid_from": "2027-01-01", "upper_1": "300"})
    assert missing_price.status_code == 422 and "Missing data for required field." in text(missing_price)
    assert 'id="e-price_1"' in text(missing_price)  # the message ("tiers.0.price") is shown at tier 1's price
    ok = director.post("/readings/tariffs/new", data={
        "category": "residential", "name": "居民2027", "valid_from": "2027-01-01",
        "upper_1": "300", "price_1": "2.70", "upper_2": "450", "price_2": "3.20", "price_3": "4.00"})
    assert ok.status_code == 302
    assert "居民2027" in text(director.get("/readings/tariffs"))


@pytest.mark.parametrize("url, allowed", [
    ("/readings/review", {"station_chief"}),
    ("/readings/export", {"station_chief", "director", "statistician"}),
    ("/readings/arrears", {"station_chief", "director", "statistician", "card_clerk"}),
    ("/readings/tampering", {"station_chief", "director", "safety_officer"}),
    ("/readings/my-route", {"meter_reader"}),
])
def test_pages_by_role(world, login, url, allowed):
    for role in ("station_chief", "director", "statistician", "card_clerk", "safety_officer", "meter_reader",
                 "repair_tech"):
        assert login(role).get(url).status_code == (200 if role in allowed else 403), (role, url)


def test_openapi_lists_the_readings_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/readings", "/api/v1/meters/{meter_id}/readings", "/api/v1/routes",
                 "/api/v1/routes/{route_id}", "/api/v1/tariffs", "/api/v1/bills", "/api/v1/bills/{bill_id}"):
        assert path in paths
