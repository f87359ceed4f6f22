"""The API of the desk: quote, the two-phase sale (create → write → confirm), idempotent creates,
failed writes and their reversal, the cumulative volume and the new cycle, the bridge-reported flow."""
from datetime import date, timedelta

import pytest

from fieldsvc import clock
from fieldsvc.cardsales.models import CardMeterCounter, CardSale, CardSaleLine
from fieldsvc.cardsales.writer import SimulatedWriter
from tests.cardsales.conftest import D, complete, new_id, sell


def test_quote_shape_per_api_md(world, api_en):
    account = world.card()
    client, headers = api_en("card_clerk")
    response = client.post("/api/v1/card-sales/quote", headers=headers,
                           json={"customer_id": account.customer_id, "volume_m3": 20})
    assert response.status_code == 200
    body = response.json
    assert body["tiers"] == [{"tier": 1, "volume_m3": 20, "price": 2.61, "amount": 52.2}]
    assert body["amount"] == 52.2


def test_quote_by_amount_gives_the_change(world, api_en):
    account = world.card()
    client, headers = api_en("card_clerk")
    body = client.post("/api/v1/card-sales/quote", headers=headers,
                       json={"account_id": account.id, "amount": 100}).json
    assert (body["volume_m3"], body["amount"], body["change"]) == (38, 99.18, 0.82)


@pytest.mark.parametrize("payload, field", [
    ({"volume_m3": 0}, "volume_m3"),
    ({"volume_m3": 10.5}, "volume_m3"),
    ({"amount": 1}, "amount"),
    ({}, "volume_m3"),
])
def test_bad_quotes_are_422_naming_the_field(world, api_en, payload, field):
    account = world.card()
    client, headers = api_en("card_clerk")
    response = client.post("/api/v1/card-sales/quote", headers=headers, json={"customer_id": account.customer_id,
                                                                              **payload})
    assert response.status_code == 422 and field in response.json["errors"], response.json


def test_a_customer_without_a_card_cannot_be_quoted(world, api_en):
    account = world.card()
    client, headers = api_en("card_clerk")
    response = client.post("/api/v1/card-sales/quote", headers=headers, json={"customer_id": 99999, "volume_m3": 1})
    assert response.status_code == 404
    assert account.id


def test_two_phase_sale(world, api_en, db):
    account = world.card()
    client, headers = api_en("card_clerk")
    created = sell(client, headers, account, 20, "cash", paid=60)
    assert created.status_code == 201, created.json
    sale = created.json
    assert sale["status"] == "pending" and sale["purchase_seq"] == 1
    assert (sale["amount_due"], sale["amount_paid"], sale["change"]) == (52.2, 60, 7.8)
    assert sale["card"] == {"card_no": account.card_no, "account_no": account.customer.account_no,
                            "meter_serial": account.meter.serial_no, "purchase_seq": 1, "volume_m3": 20,
                            "sale_id": sale["id"]}
    # no receipt before the card is confirmed; confirm needs the write first
    assert client.post(f"/api/v1/card-sales/{sale['id']}/confirm", headers=headers, json={}).status_code == 409
    done = complete(client, headers, sale["id"])
    assert done["writer"] == "simulated" and done["confirmed_at"]
    second = sell(client, headers, account, 10, "wechat", ref="WX42").json
    assert second["purchase_seq"] == 2 and second["amount_paid"] == 26.1 and second["change"] == 0
    listed = client.get(f"/api/v1/card-sales?customer_id={account.customer_id}", headers=headers).json
    assert listed["total"] == 2 and [s["id"] for s in listed["items"]] == [second["id"], sale["id"]]


def test_a_second_sale_waits_for_the_unfinished_one(world, api_en):
    account = world.card()
    client, headers = api_en("card_clerk")
    first = sell(client, headers, account, 20, paid=60).json
    response = sell(client, headers, account, 5, paid=20)
    assert response.status_code == 409 and str(first["id"]) in response.json["error"]


def test_create_is_idempotent_by_client_id(world, api_en):
    account = world.card()
    client, headers = api_en("card_clerk")
    key = new_id()
    first = sell(client, headers, account, 20, paid=60, client_id=key)
    again = sell(client, headers, account, 20, paid=60, client_id=key)
    other = sell(client, headers, account, 30, paid=100, client_id=key)
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert again.json["id"] == first.json["id"] and again.json["purchase_seq"] == 1


def test_payment_problems_are_422(world, api_en, db):
    account = world.card()
    client, headers = api_en("card_clerk")
    short = sell(client, headers, account, 20, "cash", paid=50)
    assert short.status_code == 422 and "amount_paid" in short.json["errors"]
    no_ref = sell(client, headers, account, 20, "alipay")
    assert no_ref.status_code == 422 and "payment_ref" in no_ref.json["errors"]
    # nothing was kept: the number was not used
    assert db.session.query(CardSale).count() == 0
    assert db.session.query(CardMeterCounter).filter_by(meter_id=account.meter_id).one().last_seq == 0


def test_sale_by_amount(world, api_en):
    account = world.card()
    client, headers = api_en("card_clerk")
    sale = client.post("/api/v1/card-sales", headers=headers, json={
        "account_id": account.id, "amount": 100, "payment_method": "cash"}).json
    assert (sale["volume_m3"], sale["amount_due"], sale["amount_paid"], sale["change"]) == (38, 99.18, 100, 0.82)


def test_cumulative_volume_splits_the_crossing_purchase(world, api_en):
    account = world.card()
    client, headers = api_en("card_clerk")
    complete(client, headers, sell(client, headers, account, 340, paid=900).json["id"])
    crossing = sell(client, headers, account, 200, paid=700).json
    assert [(t["tier"], t["volume_m3"], t["amount"]) for t in crossing["tiers"]] == [
        (1, 10, 26.1), (2, 150, 469.5), (3, 40, 156.8)]
    assert crossing["used_before_m3"] == 340 and crossing["amount_due"] == 652.4


def test_a_new_cycle_restarts_the_purchased_volume(world, api_en, db):
    """600 m³ bought in the previous annual cycle do not count in this one."""
    account = world.card()
    today = clock.today()
    last_cycle = date(today.year - 1, 1, 1)
    old = CardSale(kind="purchase", account_id=account.id, card_no=account.card_no, customer_id=account.customer_id,
                   account_no=account.customer.account_no, meter_id=account.meter_id, purchase_seq=1,
                   volume_m3=D(600), cycle_start=last_cycle, used_before_m3=D(0), amount_due=D("1775.00"),
                   amount_paid=D("1775.00"), payment_method="cash", outlet_id=world.outlets[0].id,
                   clerk_id=world.clerk.id, business_date=today - timedelta(days=400), status="confirmed",
                   lines=[CardSaleLine(seq=1, tier=1, volume_m3=D(600), price=D("2.61"), amount=D("1775.00"),
                                       cycle_start=last_cycle, customer_id=account.customer_id)])
    db.session.add(old)
    db.session.query(CardMeterCounter).filter_by(meter_id=account.meter_id).update({"last_seq": 1})
    db.session.commit()
    client, headers = api_en("card_clerk")
    sale = sell(client, headers, account, 20, paid=60).json
    assert sale["used_before_m3"] == 0 and sale["purchase_seq"] == 2
    assert [(t["tier"], t["volume_m3"]) for t in sale["tiers"]] == [(1, 20)]
    assert sale["tiers"][0]["cycle_start"] == date(today.year, 1, 1).isoformat()


def test_a_failed_write_stays_pending_then_is_reversed_and_its_number_reused(world, api_en, db):
    account = world.card()
    client, headers = api_en("card_clerk")
    sale = sell(client, headers, account, 20, paid=60).json
    SimulatedWriter.fail_next("write", "card not responding")
    failed = client.post(f"/api/v1/card-sales/{sale['id']}/write", headers=headers, json={}).json
    assert failed["status"] == "pending" and failed["write_error"] == "card not responding"
    no_reason = client.post(f"/api/v1/card-sales/{sale['id']}/reverse", headers=headers, json={"reason": " "})
    assert no_reason.status_code == 422
    reversed_ = client.post(f"/api/v1/card-sales/{sale['id']}/reverse", headers=headers,
                            json={"reason": "write failed"}).json
    assert reversed_["status"] == "reversed" and reversed_["reversal_reason"] == "write failed"
    # kept, never deleted; the meter never saw purchase 1, so the next sale is purchase 1 again
    assert db.session.get(CardSale, sale["id"]) is not None
    again = sell(client, headers, account, 20, paid=60).json
    assert again["purchase_seq"] == 1
    complete(client, headers, again["id"])


def test_a_failed_read_back_can_be_retried_or_reversed(world, api_en):
    account = world.card()
    client, headers = api_en("card_clerk")
    sale = sell(client, headers, account, 20, paid=60).json
    client.post(f"/api/v1/card-sales/{sale['id']}/write", headers=headers, json={})
    SimulatedWriter.fail_next("read")
    unread = client.post(f"/api/v1/card-sales/{sale['id']}/confirm", headers=headers, json={})
    assert unread.status_code == 422 and "card" in unread.json["errors"]
    assert client.get(f"/api/v1/card-sales/{sale['id']}", headers=headers).json["status"] == "written"
    # the written card is cleared on the (simulated) reader, then the sale is reversed
    reversed_ = client.post(f"/api/v1/card-sales/{sale['id']}/reverse", headers=headers,
                            json={"reason": "customer left with the card unread"}).json
    assert reversed_["status"] == "reversed"


def test_bridge_mode_checks_what_the_page_reports(world, api_en, app):
    account = world.card()
    client, headers = api_en("card_clerk")
    app.config["CARDSALES_WRITER"] = "bridge"
    try:
        sale = sell(client, headers, account, 20, paid=60).json
        # the server cannot reach the reader: without a reported result it refuses
        assert client.post(f"/api/v1/card-sales/{sale['id']}/write", headers=headers, json={}).status_code == 422
        written = client.post(f"/api/v1/card-sales/{sale['id']}/write", headers=headers,
                              json={"ok": True, "writer_ref": "BR-77"}).json
        assert written["status"] == "written" and written["writer"] == "bridge"
        wrong = client.post(f"/api/v1/card-sales/{sale['id']}/confirm", headers=headers,
                            json={"card_no": account.card_no, "purchase_seq": 2, "volume_m3": 20})
        assert wrong.status_code == 422
        partial = client.post(f"/api/v1/card-sales/{sale['id']}/confirm", headers=headers,
                              json={"card_no": account.card_no})
        assert partial.status_code == 422
        right = client.post(f"/api/v1/card-sales/{sale['id']}/confirm", headers=headers,
                            json={"card_no": account.card_no, "purchase_seq": 1, "volume_m3": 20})
        assert right.status_code == 200 and right.json["status"] == "confirmed"
    finally:
        app.config["CARDSALES_WRITER"] = "simulated"


def test_only_the_selling_clerk_works_the_sale(world, api_en, app):
    account = world.card()
    client, headers = api_en("card_clerk")
    sale = sell(client, headers, account, 20, paid=60).json
    other, other_headers = api_en("card_clerk2")
    assert sell(other, other_headers, world.card(), 10, paid=30).status_code == 201  # a colleague at that outlet
    response = other.post(f"/api/v1/card-sales/{sale['id']}/write", headers=other_headers, json={})
    assert response.status_code == 403


def test_blocked_cards_and_suspended_customers_are_refused(world, api_en, db):
    account = world.card()
    account.customer.status = "suspended"
    db.session.commit()
    client, headers = api_en("card_clerk")
    assert sell(client, headers, account, 20, paid=60).status_code == 409
