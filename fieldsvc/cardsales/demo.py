"""Demo data of the IC-card sales desk, called from the demo seeding (fieldsvc/core/demo.py):

    cardsales.demo.seed(rnd, today)

Two outlets; a card for every installed IC-card meter without one; and, for a sample of cards, a few
confirmed purchases by the demo clerk over the past months, priced by the real tier rules against the
cumulative volume of their cycle, with the past days closed (one with a small cash difference).
Deterministic and re-runnable: outlets and cards are added only where missing, sales only when there
are none yet.
"""
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.cardsales import rules
from fieldsvc.cardsales.models import (
    CardAccount,
    CardDay,
    CardEvent,
    CardMeterCounter,
    CardSale,
    CardSaleLine,
    Outlet,
)
from fieldsvc.cardsales.services.days import snapshot
from fieldsvc.customers.models import Customer, District, Meter
from fieldsvc.extensions import db
from fieldsvc.readings.rules import cycle_start_of
from fieldsvc.readings.services import billing

OUTLETS = [("YT01", "城东营业厅", "D01"), ("YT02", "城西营业厅", "D02")]
SAMPLE = 40            # cards with a purchase history
PURCHASES = (1, 4)     # purchases per sampled card
BATCH = 5000


def card_no_for(meter_id: int) -> str:
    return f"88{meter_id:010d}"


def seed_demo(rnd: random.Random, today: date, size: str) -> dict:
    """Called by the demo seeding (fieldsvc/core/demo.py)."""
    return seed(rnd, today)


def seed(rnd: random.Random, today: date) -> dict:
    billing.seed_tariffs()
    added = {"outlets": _outlets(), "cards": _cards(today)}
    added.update(_sales(rnd, today))
    return added


def _outlets() -> int:
    have = set(db.session.execute(select(Outlet.code)).scalars())
    districts = dict(db.session.execute(select(District.code, District.id)).all())
    rows = [{"code": c, "name": n, "district_id": districts.get(d), "active": True}
            for c, n, d in OUTLETS if c not in have]
    if rows:
        db.session.execute(insert(Outlet), rows)
    return len(rows)


def _cards(today: date) -> int:
    bound = select(CardAccount.meter_id)
    meters = db.session.execute(select(Meter.id, Meter.customer_id, Meter.serial_no, Meter.installed_on)
                                .where(Meter.kind == "ic_card", Meter.status == "installed",
                                       Meter.customer_id.is_not(None), Meter.id.not_in(bound))
                                .order_by(Meter.id)).all()
    counted = set(db.session.execute(select(CardMeterCounter.meter_id)).scalars())
    accounts = [{"card_no": card_no_for(m.id), "customer_id": m.customer_id, "meter_id": m.id, "status": "active",
                 "issued_on": m.installed_on or today} for m in meters]
    counters = [{"meter_id": m.id, "last_seq": 0} for m in meters if m.id not in counted]
    for start in range(0, len(accounts), BATCH):
        db.session.execute(insert(CardAccount), accounts[start:start + BATCH])
    for start in range(0, len(counters), BATCH):
        db.session.execute(insert(CardMeterCounter), counters[start:start + BATCH])
    if accounts:
        ids = dict(db.session.execute(select(CardAccount.meter_id, CardAccount.id)
                                      .where(CardAccount.meter_id.in_([m.id for m in meters]))).all())
        events = [{"account_id": ids[m.id], "customer_id": m.customer_id, "kind": "issue",
                   "at": datetime.combine(m.installed_on or today, time(9), clock.zone()),
                   "data": {"card_no": card_no_for(m.id), "meter_id": m.id, "meter_serial": m.serial_no}}
                  for m in meters]
        for start in range(0, len(events), BATCH):
            db.session.execute(insert(CardEvent), events[start:start + BATCH])
    return len(accounts)


def _sales(rnd: random.Random, today: date) -> dict:
    none = {"sales": 0, "days": 0}
    if db.session.execute(select(func.count(CardSale.id))).scalar_one():
        return none
    clerk = db.session.execute(select(User).where(User.username == "card_clerk")).scalar()
    outlet = db.session.execute(select(Outlet).order_by(Outlet.code)).scalars().first()
    if clerk is None or outlet is None:
        return none
    accounts = list(db.session.execute(select(CardAccount).where(CardAccount.status == "active")
                                       .order_by(CardAccount.id).limit(SAMPLE * 4)).scalars())
    accounts = sorted(rnd.sample(accounts, min(SAMPLE, len(accounts))), key=lambda a: a.id)
    plans = []
    for account in accounts:
        for _ in range(rnd.randint(*PURCHASES)):
            plans.append((today - timedelta(days=rnd.randrange(1, 240)), account))
    plans.sort(key=lambda p: (p[0], p[1].id))
    used, seqs, by_day = defaultdict(Decimal), defaultdict(int), defaultdict(list)
    for day, account in plans:
        sale = _sale(rnd, account, day, clerk, outlet, used, seqs)
        by_day[day].append(sale)
    db.session.flush()
    for meter_id, seq in seqs.items():
        db.session.execute(CardMeterCounter.__table__.update().where(CardMeterCounter.meter_id == meter_id)
                           .values(last_seq=seq, last_clerk_id=clerk.id))
    closed = _close_days(rnd, by_day, clerk, outlet)
    return {"sales": len(plans), "days": closed}


def _sale(rnd, account, day, clerk, outlet, used, seqs) -> CardSale:
    customer = db.session.get(Customer, account.customer_id)
    tariff = billing.tariff_for(customer.category, day)
    cycle_start = cycle_start_of(day, (tariff.cycle_start_month, tariff.cycle_start_day))
    volume = Decimal(rnd.choice([20, 30, 50, 50, 80, 100, 150, 200]))
    key = (customer.id, cycle_start)
    quote = rules.quote_by_volume(volume, used[key], billing.tiers_of(tariff), cycle_start)
    used[key] += volume
    seqs[account.meter_id] += 1
    method = rnd.choices(["cash", "wechat", "alipay", "card"], weights=[4, 3, 2, 1])[0]
    paid = quote.amount if method != "cash" else Decimal(int(quote.amount) + rnd.choice([0, 1, 10, 50]))
    at = datetime.combine(day, time(9 + rnd.randrange(8), rnd.randrange(60)), clock.zone())
    sale = CardSale(kind="purchase", account_id=account.id, card_no=account.card_no, customer_id=customer.id,
                    account_no=customer.account_no, meter_id=account.meter_id, purchase_seq=seqs[account.meter_id],
                    volume_m3=volume, cycle_start=cycle_start, used_before_m3=quote.used_before_m3,
                    tariff_id=tariff.id, amount_due=quote.amount, amount_paid=paid,
                    change=rules.change_due(method, quote.amount, paid), payment_method=method,
                    payment_ref=None if method == "cash" else f"{method.upper()}{rnd.randrange(10**10):010d}",
                    outlet_id=outlet.id, clerk_id=clerk.id, business_date=day, status="confirmed",
                    writer="simulated", write_attempts=1, writer_ref=f"SIM-demo-{seqs[account.meter_id]}",
                    written_at=at, confirmed_at=at, created_at=at, updated_at=at,
                    lines=[CardSaleLine(seq=i, tier=x.tier, volume_m3=x.volume_m3, price=x.price, amount=x.amount,
                                        cycle_start=x.cycle_start, customer_id=customer.id)
                           for i, x in enumerate(quote.lines, 1)])
    db.session.add(sale)
    return sale


def _close_days(rnd, by_day, clerk, outlet) -> int:
    days = sorted(by_day)
    short = rnd.choice(days) if days else None
    for day in days:
        rec = rules.reconcile(rules.SaleFigure(s.payment_method, s.amount_due, s.status, s.kind)
                              for s in by_day[day])
        counted = rec.expected_cash - (Decimal("10.00") if day == short and rec.expected_cash >= 10 else 0)
        rec = rules.reconcile((rules.SaleFigure(s.payment_method, s.amount_due, s.status, s.kind)
                               for s in by_day[day]), counted)
        db.session.add(CardDay(clerk_id=clerk.id, outlet_id=outlet.id, business_date=day,
                               expected_cash=rec.expected_cash, counted_cash=counted, difference=rec.difference,
                               net_total=rec.totals.net, totals=snapshot(rec), closed_at=datetime.combine(
                                   day, time(17, 30), clock.zone())))
    db.session.flush()
    return len(days)
