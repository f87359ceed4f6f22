"""The demo seeding: outlets, a card for every IC-card meter, past sales priced by the tier rules and
their closed days; a second run adds nothing."""
import random

from sqlalchemy import func, select

from fieldsvc import clock
from fieldsvc.cardsales import demo, rules
from fieldsvc.cardsales.models import CardAccount, CardDay, CardMeterCounter, CardSale
from fieldsvc.core import demo as core_demo
from fieldsvc.customers.models import Meter


def test_demo_seed_is_consistent_and_rerunnable(app, db, staff, login):
    today = clock.today()
    core_demo._customers(random.Random(5), 80, today)
    ic_meters = db.session.query(Meter).filter_by(kind="ic_card", status="installed").count()
    assert ic_meters > 5
    added = demo.seed(random.Random(7), today)
    db.session.commit()
    assert added["outlets"] == 2 and added["cards"] == ic_meters and added["sales"] > 0 and added["days"] > 0
    assert demo.seed(random.Random(7), today) == {"outlets": 0, "cards": 0, "sales": 0, "days": 0}
    # every meter's counter is its highest purchase number; sales are numbered 1, 2, 3 … per meter
    for counter in db.session.query(CardMeterCounter):
        seqs = sorted(db.session.execute(select(CardSale.purchase_seq).where(
            CardSale.meter_id == counter.meter_id)).scalars())
        assert seqs == list(range(1, counter.last_seq + 1))
    # each sale was priced against what the customer had bought before it in the cycle
    for sale in db.session.query(CardSale):
        assert sale.amount_due == sum(line.amount for line in sale.lines)
        assert sale.status == "confirmed" and sale.card_no == demo.card_no_for(sale.meter_id)
    # the closed days add up to the sales
    total = db.session.execute(select(func.sum(CardSale.amount_due))).scalar()
    assert db.session.execute(select(func.sum(CardDay.net_total))).scalar() == total
    assert db.session.query(CardAccount).count() == ic_meters
    differences = [d.difference for d in db.session.query(CardDay)]
    assert sum(1 for d in differences if d) <= 1
    assert rules.Status.confirmed == "confirmed"
    page = login("card_clerk").get("/cardsales/days")
    assert page.status_code == 200
