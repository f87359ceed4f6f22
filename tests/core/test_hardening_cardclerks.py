"""Card clerks (issue 23, item 9): one rule for seeing sales, receipts and days. A clerk sees their own and
those of the outlets they work at (where they sell); the office roles see every clerk's. The probe found
clerks reading every clerk's sales and receipts but only their own days."""
import pytest

from fieldsvc import clock
from fieldsvc.cardsales.services import days
from tests.cardsales.conftest import EN, World, complete, sell


@pytest.fixture
def world(app, db, staff):
    with app.test_request_context(headers=EN, method="POST"):
        w = World(app, db, staff)
        db.session.commit()
        yield w


@pytest.fixture
def closed_sale(world, api):
    """card_clerk sells at outlet 0 and closes the day there; returns the confirmed sale (JSON)."""
    client, headers = api("card_clerk")
    sale = complete(client, headers, sell(client, headers, world.card(), 20, "cash", paid=60,
                                          outlet_id=world.outlets[0].id).json["id"])
    assert client.post("/api/v1/card-days", headers=headers, json={
        "outlet_id": world.outlets[0].id, "counted_cash": "52.20"}).status_code == 201
    return sale


def _urls(world, sale):
    day = f"/cardsales/days/{world.clerk.id}/{world.outlets[0].id}/{clock.today().isoformat()}"
    return [f"/cardsales/sales/{sale['id']}", f"/cardsales/sales/{sale['id']}/receipt.pdf", day]


def _seen(api, username):
    client, headers = api(username)
    sales = {s["id"] for s in client.get("/api/v1/card-sales", headers=headers).json["items"]}
    day_list = {(d["clerk_id"], d["outlet_id"]) for d in client.get("/api/v1/card-days", headers=headers).json["items"]}
    return sales, day_list, client.get


def test_a_clerk_of_another_outlet_sees_none_of_it(world, closed_sale, api, login):
    sales, day_list, _get = _seen(api, "card_clerk2")
    assert closed_sale["id"] not in sales and day_list == set()
    client, headers = api("card_clerk2")
    assert client.get(f"/api/v1/card-sales/{closed_sale['id']}", headers=headers).status_code == 404
    page = login("card_clerk2")
    assert [page.get(url).status_code for url in _urls(world, closed_sale)] == [404, 404, 404]


def test_a_colleague_at_the_same_outlet_sees_sales_receipts_and_days_alike(world, closed_sale, api, login):
    client, headers = api("card_clerk2")
    mine = sell(client, headers, world.card(), 10, "cash", paid=30, outlet_id=world.outlets[0].id)
    assert mine.status_code == 201
    sales, day_list, _get = _seen(api, "card_clerk2")
    assert closed_sale["id"] in sales and (world.clerk.id, world.outlets[0].id) in day_list
    page = login("card_clerk2")
    assert [page.get(url).status_code for url in _urls(world, closed_sale)] == [200, 200, 200]


def test_a_colleague_does_not_see_the_clerks_other_outlet(world, api):
    clerk, ch = api("card_clerk")
    elsewhere = sell(clerk, ch, world.card(), 10, "cash", paid=30, outlet_id=world.outlets[1].id).json
    other, oh = api("card_clerk2")
    sell(other, oh, world.card(), 10, "cash", paid=30, outlet_id=world.outlets[0].id)
    assert other.get(f"/api/v1/card-sales/{elsewhere['id']}", headers=oh).status_code == 404
    assert elsewhere["id"] not in {s["id"] for s in other.get("/api/v1/card-sales", headers=oh).json["items"]}


@pytest.mark.parametrize("role", ["station_chief", "director", "statistician"])
def test_the_office_roles_see_every_clerks(world, closed_sale, api, login, role):
    sales, day_list, _get = _seen(api, role)
    assert closed_sale["id"] in sales and (world.clerk.id, world.outlets[0].id) in day_list
    page = login(role)
    assert [page.get(url).status_code for url in _urls(world, closed_sale)] == [200, 200, 200]


def test_the_rule_is_one_function(world, closed_sale, staff, app):
    """Sales, receipts and days all ask days.may_see / days.visible: the table of who sees what."""
    outlet = world.outlets[0].id
    with app.test_request_context():
        assert days.may_see(world.clerk, world.clerk.id, outlet)          # own
        assert not days.may_see(world.clerk2, world.clerk.id, outlet)     # never sold there
        assert days.may_see(staff["station_chief"], world.clerk.id, outlet)
