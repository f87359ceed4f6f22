"""The demo seeding of the readings domain: routes for the demo readers, a year of history and bills."""
import random
from datetime import date

from sqlalchemy import func, select

from fieldsvc.core import demo as core_demo
from fieldsvc.readings import demo, rules
from fieldsvc.readings.models import Bill, BillLine, Reading, Route, RouteStop, Tariff


def test_seed_small_demo(db, login):
    today = date(2026, 11, 28)
    added = core_demo.seed("small", today)  # the demo seeding calls this domain's seed_demo
    db.session.commit()
    assert added["tariffs"] == 3
    assert added["routes"] > 6 and added["readings"] > 3000 and added["bills"] > 3000
    assert demo.seed_tariffs() == 0
    assert demo.seed_routes_and_history(random.Random(1), today, "small") == {"routes": 0, "readings": 0, "bills": 0}
    assert db.session.execute(select(func.count(Tariff.id))).scalar_one() == 3
    readers = set(db.session.execute(select(Route.reader_id).where(Route.reader_id.is_not(None))).scalars())
    assert len(readers) == 3  # each demo reader has routes in their district
    # Every bill's lines add up; no reading in the current cycle (the demo reader has work to do).
    for bill in db.session.execute(select(Bill).limit(200)).scalars():
        lines = db.session.execute(select(BillLine).where(BillLine.bill_id == bill.id)).scalars().all()
        assert sum(x.amount for x in lines) == bill.amount and sum(x.volume_m3 for x in lines) == bill.volume_m3
    assert not db.session.execute(select(Reading.id).where(Reading.cycle == rules.cycle_of(today))).first()
    meters_on_routes = db.session.execute(select(func.count(RouteStop.id))).scalar_one()
    with_history = db.session.execute(select(func.count(func.distinct(Reading.meter_id)))).scalar_one()
    assert meters_on_routes * 0.95 < with_history <= meters_on_routes  # meters installed last month have none
    assert db.session.execute(select(func.count(Bill.id)).where(Bill.status == "open")).scalar_one() > 0
