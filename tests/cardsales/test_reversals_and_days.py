"""Reversal of a confirmed sale with the station chief's approval, and the day's reconciliation:
the totals stay right, the day closes once, and a closed day is read-only."""
from fieldsvc import clock
from fieldsvc.cardsales.models import CardDay
from tests.cardsales.conftest import complete, sell


def _day(client, headers):
    return client.get("/api/v1/card-days", headers=headers).json


def test_a_reversal_leaves_the_days_totals_right(world, api_en, login_en, db):
    first, second = world.card(), world.card()
    clerk, ch = api_en("card_clerk")
    cash = complete(clerk, ch, sell(clerk, ch, first, 20, "cash", paid=60).json["id"])           # 52.20
    wechat = complete(clerk, ch, sell(clerk, ch, second, 10, "wechat", ref="WX1").json["id"])     # 26.10
    wrong = complete(clerk, ch, sell(clerk, ch, first, 30, "cash", paid=100).json["id"])          # 78.30
    # the clerk asks; the sale stands (and counts) until the chief approves
    asked = clerk.post(f"/api/v1/card-sales/{wrong['id']}/reverse", headers=ch, json={"reason": "wrong volume"}).json
    assert asked["status"] == "confirmed" and asked["reversals"][0]["status"] == "requested"
    again = clerk.post(f"/api/v1/card-sales/{wrong['id']}/reverse", headers=ch, json={"reason": "again"})
    assert again.status_code == 409
    # the day cannot close while the request waits
    closing = clerk.post("/api/v1/card-days", headers=ch, json={"outlet_id": world.outlets[0].id,
                                                               "counted_cash": "130.50"})
    assert closing.status_code == 409
    # a clerk cannot approve; the chief can
    assert clerk.post(f"/api/v1/card-sales/{wrong['id']}/reversal", headers=ch,
                      json={"decision": "approve"}).status_code == 403
    chief, hh = api_en("station_chief")
    decided = chief.post(f"/api/v1/card-sales/{wrong['id']}/reversal", headers=hh,
                         json={"decision": "approve", "note": "checked the card"}).json
    assert decided["status"] == "reversed" and decided["reversals"][0]["status"] == "approved"
    # the purchase number stays used: the card was confirmed
    assert sell(clerk, ch, first, 5, "cash", paid=20).json["purchase_seq"] == 3

    page = login_en("card_clerk").get(
        f"/cardsales/days/{world.clerk.id}/{world.outlets[0].id}/{clock.today().isoformat()}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    expected = text.split("Cash expected in the till")[1][:120]
    assert "65.25" in expected, expected  # 52.20 + the pending 13.05; the reversed 78.30 left out
    assert "−CN¥78.30" in text or "−¥78.30" in text

    # finish the last sale, then close: expected cash = 52.20 + 13.05 (5 m³), the reversed 78.30 left out
    last = clerk.get(f"/api/v1/card-sales?customer_id={first.customer_id}&status=pending", headers=ch).json["items"][0]
    complete(clerk, ch, last["id"])
    closed = clerk.post("/api/v1/card-days", headers=ch, json={"outlet_id": world.outlets[0].id,
                                                              "counted_cash": "65.00", "note": "0.25 short"})
    assert closed.status_code == 201, closed.json
    body = closed.json
    assert body["expected_cash"] == 65.25 and body["counted_cash"] == 65 and body["difference"] == -0.25
    assert body["net_total"] == 65.25 + 26.1
    assert body["totals"]["cash"] == {"count": 3, "gross": "143.55", "reversed_count": 1, "reversed": "78.30",
                                      "net": "65.25"}
    assert body["totals"]["wechat"]["net"] == "26.10"
    assert cash["amount_due"] == 52.2 and wechat["amount_due"] == 26.1


def test_a_rejected_reversal_keeps_the_sale(world, api_en):
    account = world.card()
    clerk, ch = api_en("card_clerk")
    sale = complete(clerk, ch, sell(clerk, ch, account, 20, "cash", paid=60).json["id"])
    clerk.post(f"/api/v1/card-sales/{sale['id']}/reverse", headers=ch, json={"reason": "customer changed mind"})
    chief, hh = api_en("director")
    decided = chief.post(f"/api/v1/card-sales/{sale['id']}/reversal", headers=hh, json={"decision": "reject"}).json
    assert decided["status"] == "confirmed" and decided["reversals"][0]["status"] == "rejected"
    assert chief.post(f"/api/v1/card-sales/{sale['id']}/reversal", headers=hh,
                      json={"decision": "approve"}).status_code == 409


def test_a_closed_day_is_read_only_and_refuses_new_sales(world, api_en, db):
    account = world.card()
    clerk, ch = api_en("card_clerk")
    pending = sell(clerk, ch, account, 20, "cash", paid=60, outlet_id=world.outlets[0].id).json
    refused = clerk.post("/api/v1/card-days", headers=ch, json={"outlet_id": world.outlets[0].id,
                                                               "counted_cash": "52.20"})
    assert refused.status_code == 409 and "not finished" in refused.json["error"]
    sale = complete(clerk, ch, pending["id"])
    closed = clerk.post("/api/v1/card-days", headers=ch, json={"outlet_id": world.outlets[0].id,
                                                              "counted_cash": "52.20"})
    assert closed.status_code == 201 and closed.json["difference"] == 0
    twice = clerk.post("/api/v1/card-days", headers=ch, json={"outlet_id": world.outlets[0].id, "counted_cash": "1"})
    assert twice.status_code == 409
    # no more sales by this clerk at this outlet today; no reversal of the closed day's sale
    again = sell(clerk, ch, account, 5, "cash", paid=20, outlet_id=world.outlets[0].id)
    assert again.status_code == 409 and "closed" in again.json["error"]
    assert clerk.post(f"/api/v1/card-sales/{sale['id']}/reverse", headers=ch,
                      json={"reason": "late"}).status_code == 409
    # another outlet, or another clerk, may still sell
    other = sell(clerk, ch, account, 5, "cash", paid=20, outlet_id=world.outlets[1].id)
    assert other.status_code == 201, other.json
    assert db.session.query(CardDay).count() == 1
    assert [d["business_date"] for d in _day(clerk, ch)["items"]] == [clock.today().isoformat()]


def test_clerks_see_their_own_days_chiefs_see_all(world, api_en, login_en):
    account = world.card()
    clerk, ch = api_en("card_clerk")
    complete(clerk, ch, sell(clerk, ch, account, 20, "cash", paid=60, outlet_id=world.outlets[0].id).json["id"])
    clerk.post("/api/v1/card-days", headers=ch, json={"outlet_id": world.outlets[0].id, "counted_cash": "52.20"})
    other, oh = api_en("card_clerk2")
    assert _day(other, oh)["total"] == 0
    chief, hh = api_en("station_chief")
    assert _day(chief, hh)["total"] == 1
    day_url = f"/cardsales/days/{world.clerk.id}/{world.outlets[0].id}/{clock.today().isoformat()}"
    assert login_en("card_clerk2").get(day_url).status_code == 404
    assert login_en("statistician").get(day_url).status_code == 200


def test_a_day_left_open_can_be_closed_later(world, api_en, login_en, db):
    from datetime import timedelta

    from fieldsvc.cardsales.models import CardSale
    account = world.card()
    clerk, ch = api_en("card_clerk")
    sale = complete(clerk, ch, sell(clerk, ch, account, 20, "cash", paid=60,
                                    outlet_id=world.outlets[0].id).json["id"])
    yesterday = clock.today() - timedelta(days=1)
    db.session.query(CardSale).filter_by(id=sale["id"]).update({"business_date": yesterday})
    db.session.commit()
    days_page = login_en("card_clerk").get("/cardsales/days").get_data(as_text=True)
    assert f"/cardsales/days/{world.clerk.id}/{world.outlets[0].id}/{yesterday.isoformat()}" in days_page
    future = clerk.post("/api/v1/card-days", headers=ch, json={
        "outlet_id": world.outlets[0].id, "counted_cash": "52.20",
        "business_date": (clock.today() + timedelta(days=1)).isoformat()})
    assert future.status_code == 422
    page = login_en("card_clerk").post(f"/cardsales/days/{world.outlets[0].id}/close",
                                       data={"counted_cash": "52.20", "business_date": yesterday.isoformat()})
    assert page.status_code == 302 and yesterday.isoformat() in page.location
    day = db.session.query(CardDay).one()
    assert (day.business_date, str(day.expected_cash), day.difference) == (yesterday, "52.20", 0)
