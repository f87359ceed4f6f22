"""A closed account (销户) is sold no gas: approving the closing request deactivates the card, and the desk
refuses a sale with a clear message even for a card that somehow is still active."""
import pytest

from fieldsvc.cardsales.models import CardAccount, CardEvent, CardSale
from fieldsvc.cardsales.services import sales
from fieldsvc.customers.services import changes
from fieldsvc.errors import Conflict
from tests.cardsales.conftest import complete, sell

CLOSED = "is closed"


def close(world, account, reading=0):
    change = changes.request_change(world.clerk, {"customer_id": account.customer_id, "kind": "close",
                                                  "final_reading": reading, "close_reason": "房屋出售，申请销户"})
    changes.approve(world.director, change.id)
    world.db.session.commit()


def test_closing_deactivates_the_card_and_no_gas_is_sold(world, api_en, db):
    account = world.card()
    clerk, ch = api_en("card_clerk")
    assert sell(clerk, ch, account, 10, paid=30).status_code == 201  # before: sold
    sale = db.session.query(CardSale).one()
    sales_before = db.session.query(CardSale).count()
    # an unfinished sale blocks the closing (the card cannot be deactivated mid-sale)
    change = changes.request_change(world.clerk, {"customer_id": account.customer_id, "kind": "close",
                                                  "final_reading": 0, "close_reason": "销户"})
    db.session.commit()
    with pytest.raises(Conflict):
        changes.approve(world.director, change.id)
    db.session.rollback()
    assert db.session.get(CardAccount, account.id).status == "active"
    complete(clerk, ch, sale.id)
    changes.approve(world.director, change.id)
    db.session.commit()
    db.session.expire_all()
    card = db.session.get(CardAccount, account.id)
    assert card.status == "blocked" and card.block_reason == "销户"
    assert db.session.query(CardEvent).filter_by(account_id=account.id, kind="deactivate").count() == 1
    response = sell(clerk, ch, account, 10, paid=30)
    assert response.status_code == 409 and CLOSED in response.json["error"], response.json
    assert db.session.query(CardSale).count() == sales_before


def test_the_desk_refuses_a_closed_account_even_with_an_active_card(world, db):
    account = world.card()
    close(world, account)
    db.session.get(CardAccount, account.id).status = "active"  # a card reactivated by mistake
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        sales.create_sale(world.clerk, {"account_id": account.id, "volume_m3": 10, "payment_method": "cash",
                                        "amount_paid": 30})
    assert CLOSED in refused.value.message and account.customer.account_no in refused.value.message
