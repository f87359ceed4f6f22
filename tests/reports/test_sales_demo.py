"""Gas sold reconciles with the tables it reads, on the demo city (`flask seed-demo`, small): for the last
closed month, the report's billed m³ and yuan (by category, by district and by tier) add up to the bills
issued in it, and its IC-card figures to the purchases confirmed in it that were not reversed."""
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from fieldsvc import clock
from fieldsvc.cardsales.models import CardSale
from fieldsvc.core import demo as core_demo
from fieldsvc.customers.models import Customer
from fieldsvc.readings.models import Bill, BillLine


@pytest.fixture
def demo_city(db, staff):
    core_demo.seed("small", clock.today())
    db.session.commit()


def last_closed_month() -> tuple[date, date]:
    first_of_this = clock.today().replace(day=1)
    end = first_of_this - timedelta(days=1)
    return end.replace(day=1), end


def d(value) -> Decimal:
    return Decimal(str(value))


def test_the_report_adds_up_to_the_bills_table(demo_city, db, api):
    start, end = last_closed_month()
    bills = db.session.execute(select(Bill.category, Bill.volume_m3, Bill.amount, Customer.district_id)
                               .join(Customer, Customer.id == Bill.customer_id)
                               .where(Bill.issued_on >= start, Bill.issued_on <= end)).all()
    assert len(bills) > 100  # the demo bills every month: a month with nothing would prove nothing
    volume, amount = defaultdict(Decimal), defaultdict(Decimal)
    for category, vol, money, _district in bills:
        volume[category] += vol
        amount[category] += money
    client, headers = api("statistician")
    sales = client.get("/api/v1/reports/kpis", query_string={"from": start.isoformat(), "to": end.isoformat()},
                       headers=headers).json["sales"]
    for category in ("residential", "commercial", "industrial"):
        assert d(sales["billed_m3"][category]) == volume[category], category
        assert d(sales["billed_amount"][category]) == amount[category], category
    assert d(sales["billed_m3"]["total"]) == sum(volume.values())
    assert d(sales["billed_amount"]["total"]) == sum(amount.values())
    assert sales["bills"]["total"] == len(bills)
    # the tiers are the stored split of the residential bills, and add up to them
    lines = db.session.execute(select(BillLine.tier, BillLine.volume_m3).join(Bill, Bill.id == BillLine.bill_id)
                               .where(Bill.issued_on >= start, Bill.issued_on <= end,
                                      Bill.category == "residential")).all()
    tiers = defaultdict(Decimal)
    for tier, vol in lines:
        tiers[str(tier)] += vol
    assert {k: d(v) for k, v in sales["tiers_m3"].items() if v} == {k: v for k, v in tiers.items() if v}
    assert sum(d(v) for v in sales["tiers_m3"].values()) == volume["residential"]


def test_districts_add_up_and_card_sales_reconcile(demo_city, db, app):
    from fieldsvc.reports import sales
    start, end = last_closed_month()
    figures = sales.period(start, end, None)
    assert sum(x["billed_m3"] for x in figures["by_district"]) == figures["billed_m3"]["total"]
    assert sum(x["billed_amount"] for x in figures["by_district"]) == figures["billed_amount"]["total"]
    zone = clock.zone()
    confirmed = db.session.execute(select(CardSale.status, CardSale.volume_m3, CardSale.amount_due).where(
        CardSale.kind == "purchase", CardSale.confirmed_at >= datetime.combine(start, time.min, zone),
        CardSale.confirmed_at < datetime.combine(end + timedelta(days=1), time.min, zone))).all()
    kept = [(v, a) for status, v, a in confirmed if status != "reversed"]
    assert kept  # the demo sells gas every week: a month without a sale would prove nothing
    assert figures["card_sales"] == len(kept)
    assert figures["card_m3"] == sum((v for v, _a in kept), Decimal(0))
    assert figures["card_amount"] == sum((a for _v, a in kept), Decimal(0))
    assert sum(x["card_m3"] for x in figures["by_district"]) == figures["card_m3"]
    # a district's figures are the company's restricted to it
    one = figures["by_district"][0]
    alone = sales.period(start, end, one["id"])
    assert (alone["billed_m3"]["total"], alone["card_m3"]) == (one["billed_m3"], one["card_m3"])
