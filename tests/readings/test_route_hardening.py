"""Issue #23 leftovers on routes: a taken route name is a Duplicate (409 on the API, the field's message on the
page), a meter already on a route is one too, and a pasted list of serials never comes back whole in the
flash (the session cookie)."""
import pytest
from sqlalchemy import func, select

from fieldsvc.errors import Duplicate, Invalid
from fieldsvc.readings.models import Route, RouteStop
from fieldsvc.readings.services import routes

EN = {"Accept-Language": "en"}
COOKIE_BUDGET = 1500  # bytes: a session cookie with a short flash stays far below this (browsers cap at 4 kB)


def _session_cookie(app, response) -> str:
    name = app.config["SESSION_COOKIE_NAME"]
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]
    assert cookies, "the flash is stored in the session cookie"
    return cookies[-1]


def _district_id(world):
    _customer, meter = world.customer()
    return meter.customer.district_id


# --- route names ------------------------------------------------------------------------------------

def test_a_taken_route_name_is_409_on_the_api(world, db, api):
    district_id = _district_id(world)
    db.session.commit()
    client, headers = api("station_chief")
    body = {"name": "城东1册", "district_id": district_id}
    assert client.post("/api/v1/routes", json=body, headers=headers).status_code == 201
    again = client.post("/api/v1/routes", json=body, headers={**headers, **EN})
    assert again.status_code == 409
    assert again.json == {"error": "A route with this name already exists."}
    other = client.post("/api/v1/routes", json={**body, "name": "城东2册"}, headers=headers).json
    renamed = client.patch(f"/api/v1/routes/{other['id']}", json={"name": "城东1册"}, headers={**headers, **EN})
    assert renamed.status_code == 409 and set(renamed.json) == {"error"}
    same = client.patch(f"/api/v1/routes/{other['id']}", json={"name": "城东2册"}, headers=headers)
    assert same.status_code == 200  # its own name is not taken


def test_a_route_name_race_is_409_not_500(world, db, api, monkeypatch):
    district_id = _district_id(world)
    db.session.commit()
    monkeypatch.setattr(routes, "_check_name_free", lambda *args, **kwargs: None)
    client, headers = api("station_chief")
    body = {"name": "城东1册", "district_id": district_id}
    assert client.post("/api/v1/routes", json=body, headers=headers).status_code == 201
    again = client.post("/api/v1/routes", json=body, headers={**headers, **EN})
    assert again.status_code == 409 and set(again.json) == {"error"}
    assert db.session.execute(select(func.count()).select_from(Route)).scalar() == 1


def test_a_taken_route_name_on_the_page_is_the_fields_message_with_the_typed_values(world, db, login):
    district_id = _district_id(world)
    db.session.commit()
    chief = login("station_chief")
    form = {"name": "城东1册", "district_id": str(district_id)}
    assert chief.post("/readings/routes/new", data=form).status_code == 302
    again = chief.post("/readings/routes/new", data=form, headers=EN)
    page = again.get_data(as_text=True)
    assert again.status_code == 422
    assert "A route with this name already exists." in page and 'value="城东1册"' in page


# --- stops: a meter on one route, bounded messages -----------------------------------------------------

def test_a_meter_already_on_a_route_is_a_duplicate(world, db, english):
    _c, meter = world.customer()
    world.route([meter], name="A册")
    other = routes.create_route(world.chief, {"name": "B册", "district_id": meter.customer.district_id})
    with pytest.raises(Duplicate) as caught:
        routes.add_stops(world.chief, other, [meter.serial_no])
    assert caught.value.status == 409
    assert caught.value.errors == {"serials": [f"1 meter is already on a route: {meter.serial_no}"]}


def test_a_serial_given_twice_is_added_once(world, db, english):
    _c, meter = world.customer()
    route = routes.create_route(world.chief, {"name": "A册", "district_id": meter.customer.district_id})
    added = routes.add_stops(world.chief, route, [meter.serial_no, f" {meter.serial_no} "])
    assert [s.meter_id for s in added] == [meter.id]


def test_unknown_serials_are_named_a_few_at_a_time_and_counted(world, db, english):
    _c, meter = world.customer()
    route = routes.create_route(world.chief, {"name": "A册", "district_id": meter.customer.district_id})
    unknown = [f"NOPE{i:03d}" for i in range(45)] + ["Z" * 500]
    with pytest.raises(Invalid) as caught:
        routes.add_stops(world.chief, route, [meter.serial_no, *unknown])
    (message,) = caught.value.errors["serials"]
    assert message == ("46 serial numbers match no installed meter: "
                       "NOPE000, NOPE001, NOPE002, NOPE003, NOPE004 (+41 more)")
    long_one = routes._some(["Z" * 500])
    assert long_one == "Z" * 19 + "…"


@pytest.mark.parametrize("serials", [
    "\n".join(f"NOPE{i:06d}" for i in range(900)),  # ~10 kB of serials no meter has
    "Q" * 10_000,  # one 10 kB "serial"
    ",".join(["Q" * 30] * 330),  # the same long serial over and over
])
def test_a_10kb_paste_keeps_the_cookie_small_and_never_500s(app, world, db, login, serials):
    _c, meter = world.customer()
    route = world.route([meter], name="A册")
    db.session.commit()
    chief = login("station_chief")
    response = chief.post(f"/readings/routes/{route.id}/stops/add", data={"serials": serials}, headers=EN)
    assert response.status_code == 302
    assert len(_session_cookie(app, response)) < COOKIE_BUDGET
    page = chief.get(response.location, headers=EN).get_data(as_text=True)
    assert "match no installed meter" in page or "matches no installed meter" in page
    assert db.session.execute(select(func.count()).select_from(RouteStop)).scalar() == 1


def test_a_paste_of_taken_meters_is_flashed_bounded(app, world, db, login):
    meters = [world.customer()[1] for _ in range(8)]
    world.route(meters, name="A册")
    other = routes.create_route(world.chief, {"name": "B册", "district_id": meters[0].customer.district_id})
    db.session.commit()
    chief = login("station_chief")
    response = chief.post(f"/readings/routes/{other.id}/stops/add",
                          data={"serials": "\n".join(m.serial_no for m in meters)}, headers=EN)
    assert response.status_code == 302 and len(_session_cookie(app, response)) < COOKIE_BUDGET
    page = chief.get(response.location, headers=EN).get_data(as_text=True)
    assert "8 meters are already on a route:" in page and "(+3 more)" in page


def test_too_many_serials_at_once_are_refused_with_a_message(world, db, english):
    _c, meter = world.customer()
    route = routes.create_route(world.chief, {"name": "A册", "district_id": meter.customer.district_id})
    with pytest.raises(Invalid) as caught:
        routes.add_stops(world.chief, route, [f"S{i}" for i in range(routes.MAX_NEW_STOPS + 1)])
    assert caught.value.errors == {"serials": [f"At most {routes.MAX_NEW_STOPS} serial numbers at a time."]}
