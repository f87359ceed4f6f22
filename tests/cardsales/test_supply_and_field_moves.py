"""The card desk and the closed loops (RULES.md §5): the customer's gas supply shown on the desk, no
card sale while the gas is shut off for safety, and a meter replacement completed in the field moving
the card to the new meter."""
import ast
from pathlib import Path

import pytest

from fieldsvc import clock
from fieldsvc.cardsales import rules
from fieldsvc.cardsales.models import CardAccount, CardEvent, CardMeterCounter, CardSale
from fieldsvc.cardsales.services import cards, sales
from fieldsvc.customers import services as customers
from fieldsvc.errors import Conflict, Invalid
from tests.cardsales.conftest import complete, sell

SAFETY = "The gas is shut off at this customer for a safety hazard"


@pytest.mark.parametrize(("supply", "reason", "verdict"), [
    ("on", None, None),
    (None, None, None),
    ("shut_off", "safety", "refuse"),
    ("shut_off", "arrears", "warn"),
    ("shut_off", "emergency", "warn"),
    ("shut_off", "request", "warn"),
    ("shut_off", None, "warn"),
])
def test_supply_verdict(supply, reason, verdict):
    assert rules.supply_verdict(supply, reason) == verdict


def shut(world, account, reason):
    customers.set_supply(world.director, account.customer, "shut_off", reason)
    world.db.session.commit()


# --- the sale and the supply ----------------------------------------------------------------------------

def test_no_sale_while_the_gas_is_shut_off_for_safety(world, api_en, db):
    account = world.card()
    shut(world, account, "safety")
    with pytest.raises(Conflict) as refused:
        sales.create_sale(world.clerk, {"account_id": account.id, "volume_m3": 10, "payment_method": "cash",
                                        "amount_paid": 30})
    assert SAFETY in refused.value.message
    db.session.rollback()
    clerk, ch = api_en("card_clerk")
    response = sell(clerk, ch, account, 10, paid=30)
    assert response.status_code == 409 and SAFETY in response.json["error"]
    assert db.session.query(CardSale).count() == 0
    assert db.session.get(CardMeterCounter, db.session.query(CardMeterCounter.id).scalar()).last_seq == 0
    # once the hazard is put right and the gas is on, the sale goes through
    customers.set_supply(world.director, account.customer, "on")
    db.session.commit()
    assert sell(clerk, ch, account, 10, paid=30).status_code == 201


def test_another_shut_off_sells_with_a_warning(world, api_en, db, login_en):
    account = world.card()
    shut(world, account, "emergency")
    notice = sales.supply_notice(world.clerk, account)
    assert not notice.refused and "(emergency)" in notice.message
    clerk, ch = api_en("card_clerk")
    assert sell(clerk, ch, account, 10, paid=30).status_code == 201
    page = login_en("card_clerk").get(f"/cardsales/cards/{account.id}?volume_m3=10").get_data(as_text=True)
    assert "Gas shut off · emergency" in page and "the gas bought stays on the card" in page
    assert "flash-warning cs-supply" in page


def test_the_desk_pages_show_the_supply_and_refuse_a_safety_shut_off(world, db, login_en):
    account = world.card()
    other = world.card()
    shut(world, account, "safety")
    client = login_en("card_clerk")
    found = client.get(f"/cardsales/?q={account.customer.account_no}&go=0").get_data(as_text=True)
    assert "Gas shut off · safety hazard" in found
    quoted = client.get(f"/cardsales/cards/{account.id}?volume_m3=10").get_data(as_text=True)
    assert "Gas shut off · safety hazard" in quoted and SAFETY in quoted
    assert f"/cardsales/cards/{account.id}/sales" not in quoted  # no payment form offered
    posted = client.post(f"/cardsales/cards/{account.id}/sales", data={
        "volume_m3": "10", "payment_method": "cash", "amount_paid": "30", "expected_seq": "1"})
    assert posted.status_code == 409 and SAFETY in posted.get_data(as_text=True)
    assert db.session.query(CardSale).count() == 0
    fine = client.get(f"/cardsales/cards/{other.id}?volume_m3=10").get_data(as_text=True)
    assert "Gas shut off" not in fine and f"/cardsales/cards/{other.id}/sales" in fine


def test_the_sale_page_shows_the_supply(world, api_en, db, login_en):
    account = world.card()
    clerk, ch = api_en("card_clerk")
    sale_id = sell(clerk, ch, account, 10, paid=30).json["id"]
    shut(world, account, "safety")  # shut after the sale: the clerk sees it while writing the card
    page = login_en("card_clerk").get(f"/cardsales/sales/{sale_id}").get_data(as_text=True)
    assert "Gas shut off · safety hazard" in page


# --- a meter replacement completed in the field ------------------------------------------------------------

def replace_meter(world, account, kind="ic_card"):
    """What the dispatch completion does before calling move_for_order: old meter out, new one in."""
    old = account.meter
    customers.unfit_meter(world.director, old, clock.today(), None, "replaced")
    new = customers.create_meter(world.director, {
        "serial_no": f"NEW{account.id:05d}{kind[:2]}", "size": "G2.5", "accuracy_class": "1.5", "kind": kind,
        "location": "indoor"})
    customers.fit_meter(world.director, new, account.customer, clock.today(), 0)
    return old, new


def test_field_replacement_moves_the_card_with_nothing_carried(world, api_en, db, login_en):
    account = world.card()
    clerk, ch = api_en("card_clerk")
    complete(clerk, ch, sell(clerk, ch, account, 20, paid=60).json["id"])
    old, new = replace_meter(world, account)
    tech = world.staff["repair_tech"]  # no card permission: the dispatch completion checked the job
    moved = cards.move_for_order(tech, account.customer_id, old.id, new, work_order_id=321)
    db.session.commit()
    assert moved.id == account.id and moved.meter_id == new.id and moved.status == "active"
    counter = db.session.query(CardMeterCounter).filter_by(meter_id=new.id).one()
    assert counter.last_seq == 0
    event = db.session.query(CardEvent).filter_by(kind="meter_change").one()
    assert (event.data["old_meter_id"], event.data["new_meter_id"], event.data["remaining_m3"],
            event.data["work_order_id"]) == (old.id, new.id, "0", 321)
    assert db.session.query(CardSale).filter_by(kind="transfer").count() == 0  # no money, nothing carried
    nxt = sell(clerk, ch, account, 10, paid=30).json
    assert (nxt["meter_id"], nxt["purchase_seq"]) == (new.id, 1)
    page = login_en("card_clerk").get(f"/cardsales/cards/{account.id}").get_data(as_text=True)
    assert "replaced in the field, work order 321" in page and new.serial_no in page


def test_field_replacement_needs_no_open_day(world, db):
    """A clerk whose day is closed can still have a card moved by a field job (no money moves)."""
    from fieldsvc.cardsales.services import days, meter_change
    account = world.card()
    days.close_day(world.clerk, world.outlets[0].id, 0)
    spare = world.meter(account.customer)
    db.session.commit()
    with pytest.raises(Conflict):  # the desk's change carries volume: it needs the clerk's open day
        meter_change.change_meter(world.clerk, account, spare.id, 0, None, world.outlets[0].id)
    db.session.rollback()
    account = db.session.get(CardAccount, account.id)
    old, new = replace_meter(world, account)
    assert cards.move_for_order(world.clerk, account.customer_id, old.id, new, work_order_id=1).meter_id == new.id


def test_field_replacement_with_a_meter_that_is_not_an_ic_card_meter(world, db):
    account = world.card()
    old, new = replace_meter(world, account, kind="diaphragm")
    with pytest.raises(Invalid) as refused:
        cards.move_for_order(world.staff["repair_tech"], account.customer_id, old.id, new, work_order_id=5)
    message = refused.value.errors["new_serial"][0]
    assert new.serial_no in message and "not an IC-card meter" in message and account.card_no in message
    assert db.session.get(CardAccount, account.id).meter_id == old.id


def test_field_replacement_without_a_card_moves_nothing(world, db):
    account = world.card()
    customer = account.customer
    second = world.meter(customer)  # an IC-card meter that never had a card
    plain = customers.create_meter(world.director, {"serial_no": "DIA00001", "size": "G2.5", "accuracy_class": "1.5",
                                                    "kind": "diaphragm", "location": "indoor"})
    # no card on that meter: nothing moves, whatever the new meter is
    assert cards.move_for_order(world.staff["repair_tech"], customer.id, second.id, plain, work_order_id=9) is None
    assert db.session.query(CardEvent).filter_by(kind="meter_change").count() == 0
    assert db.session.get(CardAccount, account.id).meter_id != second.id


def test_field_replacement_keeps_an_unfinished_sale_in_sight(world, api_en, db, login_en):
    account = world.card()
    clerk, ch = api_en("card_clerk")
    pending = sell(clerk, ch, account, 10, paid=30).json["id"]
    old, new = replace_meter(world, account)
    cards.move_for_order(world.staff["repair_tech"], account.customer_id, old.id, new, work_order_id=7)
    db.session.commit()
    event = db.session.query(CardEvent).filter_by(kind="meter_change").one()
    assert event.data["unfinished_sale_id"] == pending
    page = login_en("card_clerk").get(f"/cardsales/cards/{account.id}").get_data(as_text=True)
    assert f"sale {pending} on the old meter was not finished" in page


def test_cards_module_no_longer_imports_sales():
    """The meter change needs cards and sales; it lives in meter_change.py so neither imports the other."""
    source = Path(__file__).parents[2] / "fieldsvc/cardsales/services/cards.py"
    imported = {alias.name for node in ast.walk(ast.parse(source.read_text()))
                if isinstance(node, ast.ImportFrom) and node.module == "fieldsvc.cardsales.services"
                for alias in node.names}
    assert imported.isdisjoint({"sales", "meter_change", "writing", "reversals", "days"})
