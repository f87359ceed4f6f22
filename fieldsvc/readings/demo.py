"""Demo data of the readings domain, called from the demo seeding (fieldsvc/core/demo.py):

    readings.demo.seed_tariffs()                                  the RULES.md §4 default tariffs
    readings.demo.seed_routes_and_history(rnd, today, size)       routes and 12 months (city: 18) of readings and bills

Routes cover every installed meter that is read (IC-card meters are prepaid and not read), per district,
in address order; the routes of a demo reader's district are assigned to that reader, the others wait
for the chief. History: one reading a month on the route's reading day for 12 months, ending last
month (this month's cycle is still to read), with its bill priced by the real tier rules; most bills
are paid, a few are left open so that the arrears stages show. Bulk inserts with explicit ids keep
the city size (tens of thousands of meters) fast. Deterministic and re-runnable: a second run adds
nothing once routes exist.
"""
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer, District, Meter
from fieldsvc.db import sync_sequences
from fieldsvc.extensions import db
from fieldsvc.readings import rules
from fieldsvc.readings.models import Bill, BillLine, Reading, Route, RouteStop, Tariff
from fieldsvc.readings.services import billing

ROUTE_SIZE = {"small": 30, "city": 300}
# Months of history: a year; the city carries 18 so that it holds the benchmark's ~600,000 readings
# (IC-card meters, about a third, are not read).
MONTHS = {"small": 12, "city": 18}
BATCH = 5000
SEASON = [1.6, 1.5, 1.2, 1.0, 0.8, 0.7, 0.6, 0.6, 0.7, 0.9, 1.2, 1.5]  # Jan … Dec, heating in winter
UNPAID_SHARE = 0.04  # bills of the last three months left unpaid: the arrears list shows every stage
EARLY_PAYERS = 0.45  # bills not yet due that are paid already


def seed_demo(rnd: random.Random, today: date, size: str) -> dict:
    """Called by the demo seeding (fieldsvc/core/demo.py) for this domain."""
    return {"tariffs": seed_tariffs(), **seed_routes_and_history(rnd, today, size)}


def seed_tariffs() -> int:
    """The default tariffs (residential tiers, commercial and industrial flat prices) when missing."""
    return billing.seed_tariffs()


def seed_routes_and_history(rnd: random.Random, today: date, size: str = "small") -> dict:
    """Routes for the demo readers and a year of readings and bills; nothing when routes exist."""
    if db.session.execute(select(func.count(Route.id))).scalar_one():
        return {"routes": 0, "readings": 0, "bills": 0}
    seed_tariffs()
    routes = _routes(rnd, ROUTE_SIZE.get(size, ROUTE_SIZE["small"]))
    counts = _history(rnd, today, routes, MONTHS.get(size, MONTHS["small"]))
    sync_sequences(db.session, "routes", "route_stops", "readings", "bills", "bill_lines")
    return {"routes": len(routes), **counts}


def _routes(rnd: random.Random, route_size: int) -> list[tuple[int, int, list[tuple]]]:
    """[(route id, reading day, [meter rows])] — every read meter on exactly one route."""
    readers = defaultdict(list)
    for user in db.session.execute(select(User).where(User.role == "meter_reader", User.active.is_(True))
                                   .order_by(User.id)).scalars():
        readers[user.district_id].append(user.id)
    districts = db.session.execute(select(District).order_by(District.code)).scalars().all()
    stmt = (select(Meter.id, Meter.customer_id, Meter.digits, Meter.start_reading, Meter.installed_on,
                   Customer.category, Customer.district_id)
            .join(Customer, Customer.id == Meter.customer_id)
            .where(Meter.status == "installed", Meter.kind != "ic_card")
            .order_by(Customer.district_id, Customer.address, Meter.id))
    by_district = defaultdict(list)
    for row in db.session.execute(stmt):
        by_district[row.district_id].append(tuple(row))
    routes, stops, next_id = [], [], (db.session.execute(select(func.max(Route.id))).scalar() or 0) + 1
    for district in districts:
        meters = by_district.get(district.id, [])
        district_readers = readers.get(district.id, [])
        for n, start in enumerate(range(0, len(meters), route_size), start=1):
            chunk = meters[start:start + route_size]
            reader = district_readers[(n - 1) % len(district_readers)] if district_readers else None
            routes.append(dict(id=next_id, name=f"{district.name}{n}册", district_id=district.id, reader_id=reader,
                               active=True, version=1))
            stops.extend(dict(route_id=next_id, seq=i, meter_id=m[0]) for i, m in enumerate(chunk, start=1))
            routes[-1]["_day"] = 3 + (next_id * 7) % 20  # each route has its own reading day in the month
            routes[-1]["_meters"] = chunk
            next_id += 1
    db.session.execute(insert(Route), [{k: v for k, v in r.items() if not k.startswith("_")} for r in routes])
    for start in range(0, len(stops), BATCH):
        db.session.execute(insert(RouteStop), stops[start:start + BATCH])
    return [(r["id"], r["_day"], r["_meters"]) for r in routes]


def _reading_dates(today: date, day: int, months: int) -> list[date]:
    """The route's reading day in each of the last `months` months before this one."""
    first = today.replace(day=1)
    out = []
    for back in range(months, 0, -1):
        month = (first.month - 1 - back) % 12 + 1
        year = first.year + (first.month - 1 - back) // 12
        out.append(date(year, month, min(day, 28)))
    return out


def _history(rnd: random.Random, today: date, routes, months: int) -> dict:
    zone = clock.zone()
    tariffs = {t.category: t for t in db.session.execute(select(Tariff)).scalars()}
    ids = {m: (db.session.execute(select(func.max(m.id))).scalar() or 0) + 1 for m in (Reading, Bill, BillLine)}
    readings, bills, lines = [], [], []
    for route_id, day, meters in routes:
        dates = _reading_dates(today, day, months)
        for meter_id, customer_id, digits, start_value, installed_on, category, _district in meters:
            base = rnd.uniform(12, 45) if category == "residential" else rnd.uniform(150, 900)
            value = Decimal(start_value or 0)
            if rnd.random() < 0.01:
                value = Decimal(99_700 + rnd.randrange(250))  # near the end of the register: a rollover soon
            # The first reading of the year is billed only for a meter installed since: older periods were
            # billed before the history starts.
            recent = installed_on is not None and installed_on >= dates[0] - timedelta(days=31)
            previous_day, used = (installed_on if recent else None), defaultdict(Decimal)
            for read_on in dates:
                if installed_on and read_on <= installed_on + timedelta(days=3):
                    continue
                use = Decimal(round(base * SEASON[read_on.month - 1] * rnd.uniform(0.85, 1.15)))
                new_value = (value + use) % rules.register_limit(digits)
                read_at = datetime.combine(read_on, time(9 + rnd.randrange(8), rnd.randrange(60)), tzinfo=zone)
                rid = ids[Reading]
                ids[Reading] += 1
                readings.append(dict(id=rid, meter_id=meter_id, customer_id=customer_id, route_id=route_id,
                                     cycle=rules.cycle_of(read_on), read_at=read_at, read_on=read_on, value=new_value,
                                     kind="actual", consumption_m3=use, anomalies="rollover" if new_value < value else "",
                                     status="accepted", source="field", created_at=read_at))
                if previous_day is not None and use > 0:
                    _bill(rnd, ids, bills, lines, tariffs[category], rid, meter_id, customer_id, category,
                          previous_day, read_on, use, used, today)
                value, previous_day = new_value, read_on
    for model, rows in ((Reading, readings), (Bill, bills), (BillLine, lines)):
        for start in range(0, len(rows), BATCH):
            db.session.execute(insert(model), rows[start:start + BATCH])
    return {"readings": len(readings), "bills": len(bills)}


def _bill(rnd, ids, bills, lines, tariff, reading_id, meter_id, customer_id, category, start, end, volume,
          used, today) -> None:
    cycle_start = (tariff.cycle_start_month, tariff.cycle_start_day)
    priced = rules.bill_lines(start, end, volume, billing.tiers_of(tariff), used, cycle_start)
    for line in priced:
        used[line.cycle_start] += line.volume_m3
    issued = end + timedelta(days=2)
    due = rules.due_date(issued)
    amount = rules.total(priced)
    # As a city pays: bills fall due 15 days after issue and most are paid in the days before; a bill not
    # yet due is paid already by a share of early payers; a share of the last three months' bills is left
    # unpaid (overdue, past the 30 days after which a notice is served, or further), so each arrears stage
    # holds a few real cases instead of every customer on a route owing money (issue #22 item 8).
    recent = due >= today - timedelta(days=100)
    if due >= today:
        paid = issued < today and rnd.random() < EARLY_PAYERS
        paid_on = issued + timedelta(days=rnd.randrange(0, max(1, (today - issued).days)))
    else:
        paid = not (recent and rnd.random() < UNPAID_SHARE)
        paid_on = max(issued, due - timedelta(days=rnd.randrange(0, 10)))
    bid = ids[Bill]
    ids[Bill] += 1
    bills.append(dict(id=bid, customer_id=customer_id, meter_id=meter_id, reading_id=reading_id, tariff_id=tariff.id,
                      category=category, cycle=rules.cycle_of(end), period_start=start, period_end=end,
                      volume_m3=volume, amount=amount, issued_on=issued, due_on=due,
                      paid_amount=amount if paid else Decimal("0.00"), fee_accrued=Decimal("0.00"),
                      fee_paid=Decimal("0.00"), status="paid" if paid else "open",
                      paid_on=paid_on if paid else None))
    for seq, line in enumerate(priced, start=1):
        lines.append(dict(id=ids[BillLine], bill_id=bid, seq=seq, cycle_start=line.cycle_start, tier=line.tier,
                          volume_m3=line.volume_m3, price=line.price, amount=line.amount, customer_id=customer_id))
        ids[BillLine] += 1
