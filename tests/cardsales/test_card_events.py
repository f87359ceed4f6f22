"""Card events: issuing a card, reissuing a lost one (old blocked, history kept), and a meter change
that carries the remaining volume to the new meter through the two-phase write."""
from fieldsvc.cardsales.models import CardAccount, CardEvent, CardSale
from fieldsvc.cardsales.services import cards
from tests.cardsales.conftest import complete, sell


def test_issue_a_card_for_an_ic_meter(world, login_en, db):
    account = world.card()
    customer = account.customer
    new_meter = world.meter(customer)
    db.session.commit()
    client = login_en("card_clerk")
    listed = client.get(f"/cardsales/?q={new_meter.serial_no}&go=0").get_data(as_text=True)
    assert f"/cardsales/meters/{new_meter.id}/issue" in listed
    bad = client.post(f"/cardsales/meters/{new_meter.id}/issue", data={"card_no": "12ab"})
    assert bad.status_code == 422 and "12ab" in bad.get_data(as_text=True)
    taken = client.post(f"/cardsales/meters/{new_meter.id}/issue", data={"card_no": account.card_no})
    assert taken.status_code == 422 and "already in use" in taken.get_data(as_text=True)
    ok = client.post(f"/cardsales/meters/{new_meter.id}/issue", data={"card_no": "99000001"})
    assert ok.status_code == 302
    again = client.post(f"/cardsales/meters/{new_meter.id}/issue", data={"card_no": "99000002"})
    assert again.status_code == 422 and "already has card 99000001" in again.get_data(as_text=True)


def test_reissue_blocks_the_old_card_and_keeps_the_history(world, api_en, login_en, db):
    account = world.card()
    clerk, ch = api_en("card_clerk")
    complete(clerk, ch, sell(clerk, ch, account, 20, paid=60).json["id"])
    client = login_en("card_clerk")
    blank = client.post(f"/cardsales/cards/{account.id}/reissue", data={"new_card_no": "77000001", "reason": ""})
    assert blank.status_code == 422 and "77000001" in blank.get_data(as_text=True)
    done = client.post(f"/cardsales/cards/{account.id}/reissue", data={"new_card_no": "77000001", "reason": "lost"})
    assert done.status_code == 302
    db.session.expire_all()
    old = db.session.get(CardAccount, account.id)
    new = db.session.query(CardAccount).filter_by(card_no="77000001").one()
    assert (old.status, old.block_reason, old.replaced_by_id) == ("blocked", "lost", new.id)
    assert (new.status, new.replaces_id, new.meter_id) == ("active", old.id, old.meter_id)
    # the old card sells no more; the new one continues the meter's numbers
    assert sell(clerk, ch, old, 10, paid=30).status_code == 409
    second = sell(clerk, ch, new, 10, paid=30).json
    assert second["purchase_seq"] == 2 and second["card_no"] == "77000001"
    # history: both sales on the new card's page, the old card found by its number
    page = client.get(f"/cardsales/cards/{new.id}").get_data(as_text=True)
    assert account.card_no in page and "Card reissued" in page
    found = client.get(f"/cardsales/?q={account.card_no}&go=0").get_data(as_text=True)
    assert "Blocked card " + account.card_no in found
    assert db.session.query(CardEvent).filter_by(kind="reissue").count() == 1


def test_reissue_waits_for_an_unfinished_sale(world, api_en, en_request):
    account = world.card()
    clerk, ch = api_en("card_clerk")
    sell(clerk, ch, account, 20, paid=60)
    import pytest

    from fieldsvc.errors import Conflict
    with pytest.raises(Conflict):
        cards.reissue_card(world.clerk, account, "77000002", "lost")


def test_meter_change_carries_the_remaining_volume(world, api_en, login_en, db):
    account = world.card()
    clerk, ch = api_en("card_clerk")
    complete(clerk, ch, sell(clerk, ch, account, 30, paid=80).json["id"])
    old_meter_id = account.meter_id
    new_meter = world.meter(account.customer)
    db.session.commit()
    client = login_en("card_clerk")
    form = client.get(f"/cardsales/cards/{account.id}/meter-change").get_data(as_text=True)
    assert new_meter.serial_no in form
    too_much = client.post(f"/cardsales/cards/{account.id}/meter-change",
                           data={"new_meter_id": new_meter.id, "remaining_m3": "31"})
    assert too_much.status_code == 422 and "More than was ever put on the old meter" in too_much.get_data(as_text=True)
    done = client.post(f"/cardsales/cards/{account.id}/meter-change",
                       data={"new_meter_id": new_meter.id, "remaining_m3": "12", "reason": "meter stuck"})
    assert done.status_code == 302
    db.session.expire_all()
    transfer = db.session.query(CardSale).filter_by(kind="transfer").one()
    assert done.location.endswith(f"/cardsales/sales/{transfer.id}")
    assert (transfer.meter_id, transfer.purchase_seq, transfer.volume_m3, transfer.amount_due) == (
        new_meter.id, 1, 12, 0)
    assert transfer.payment_method == "none" and transfer.lines == []
    assert db.session.get(CardAccount, account.id).meter_id == new_meter.id
    # the transfer is written like a sale; it adds nothing to the purchased volume or the takings
    complete(clerk, ch, transfer.id)
    quote = clerk.post("/api/v1/card-sales/quote", headers=ch, json={"account_id": account.id, "volume_m3": 10}).json
    assert quote["used_before_m3"] == 30
    nxt = sell(clerk, ch, account, 10, paid=30).json
    assert (nxt["meter_id"], nxt["purchase_seq"]) == (new_meter.id, 2)
    event = db.session.query(CardEvent).filter_by(kind="meter_change").one()
    assert event.data["old_meter_id"] == old_meter_id and event.data["remaining_m3"] == "12"
    pdf = client.get(f"/cardsales/sales/{transfer.id}/receipt.pdf")
    assert pdf.status_code == 200


def test_a_removed_meter_sells_no_more_until_the_meter_change(world, api_en, db, en_request):
    from datetime import timedelta

    from fieldsvc import clock
    from fieldsvc.customers import services as customers
    account = world.card()
    customers.remove_meter(world.director, account.meter, clock.today() - timedelta(days=1), None, "broken")
    db.session.commit()
    clerk, ch = api_en("card_clerk")
    refused = sell(clerk, ch, account, 10, paid=30)
    assert refused.status_code == 409 and "meter change" in refused.json["error"]
