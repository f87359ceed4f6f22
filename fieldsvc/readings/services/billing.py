"""Tariffs as data, and the bill of each reading period priced by tier (RULES.md §4).

Billed volume is whole m³ (RULES.md §2): the difference of the whole-m³ parts of the two register
values, so fractions are never lost nor billed twice from one period to the next. A period with no
billable volume (zero, or a confirmed negative reading) gets no bill. The annual tier count is the sum
of the volumes already billed to the customer in the cycle (bill lines carry their cycle).
"""
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from fieldsvc import audit, clock
from fieldsvc.customers.models import Customer, Meter
from fieldsvc.customers.services.changes import category_on
from fieldsvc.errors import Conflict, Duplicate, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.permissions import P, can, require
from fieldsvc.readings import rules
from fieldsvc.readings.models import Bill, BillLine, Reading, Tariff, TariffTier
from fieldsvc.readings.services import access, history

CATEGORIES = ("residential", "commercial", "industrial")


# --- tariffs --------------------------------------------------------------------------------------

def list_tariffs(actor) -> list[Tariff]:
    require(actor, P.tariffs_view)
    stmt = select(Tariff).order_by(Tariff.valid_from.desc())
    rank = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(db.session.execute(stmt).scalars(), key=lambda t: rank.get(t.category, len(rank)))


def tariff_for(category: str, on: date) -> Tariff:
    stmt = (select(Tariff).where(Tariff.category == category, Tariff.valid_from <= on)
            .order_by(Tariff.valid_from.desc()).limit(1))
    tariff = db.session.execute(stmt).scalar_one_or_none()
    if tariff is None:
        raise Invalid({"tariff": [_("No tariff for %(category)s customers on %(date)s.", category=category,
                                    date=on.isoformat())]})
    return tariff


def tiers_of(tariff: Tariff) -> list[rules.Tier]:
    return [rules.Tier(t.upper_m3, t.price) for t in tariff.tiers]


def create_tariff(actor, data: dict) -> Tariff:
    """data: category, name, valid_from, cycle_start_month/day, tiers [{"upper_m3" or None, "price"}]."""
    require(actor, P.tariffs_manage)
    return _insert_tariff(actor, data)


def _insert_tariff(actor, data: dict) -> Tariff:
    tiers = [rules.Tier(t.get("upper_m3"), Decimal(t["price"])) for t in data["tiers"]]
    try:
        rules.check_tiers(tiers)
        date(2001, data.get("cycle_start_month", 1), data.get("cycle_start_day", 1))
    except ValueError as exc:
        raise Invalid({"tiers": [_("The tiers need increasing upper limits, the last one open-ended, "
                                   "and prices of 0 or more; the cycle start must be a real day.")]}) from exc
    exists = select(Tariff.id).where(Tariff.category == data["category"], Tariff.valid_from == data["valid_from"])
    if db.session.execute(exists).first():
        raise Duplicate("valid_from", _("A tariff for this category already starts on this day."))
    tariff = Tariff(category=data["category"], name=data["name"], valid_from=data["valid_from"],
                    cycle_start_month=data.get("cycle_start_month", 1), cycle_start_day=data.get("cycle_start_day", 1),
                    created_by=getattr(actor, "id", None),
                    tiers=[TariffTier(seq=i, upper_m3=t.upper, price=t.price) for i, t in enumerate(tiers, 1)])
    db.session.add(tariff)
    db.session.flush()
    audit.record(actor, "tariff.create", "tariff", tariff.id, category=tariff.category,
                 valid_from=tariff.valid_from, tiers=[[t.upper, t.price] for t in tiers])
    return tariff


def default_tariffs() -> list[dict]:
    """RULES.md §4 seed data: residential tiers on an annual cycle from 1 January; flat prices otherwise."""
    valid_from = date(2000, 1, 1)
    rows = [{"category": "residential", "name": "居民阶梯气价", "valid_from": valid_from,
             "tiers": [{"upper_m3": t.upper, "price": t.price} for t in rules.RESIDENTIAL_TIERS]}]
    names = {"commercial": "商业气价", "industrial": "工业福利气价"}
    for category, price in rules.FLAT_PRICES.items():
        rows.append({"category": category, "name": names[category], "valid_from": valid_from,
                     "tiers": [{"upper_m3": None, "price": price}]})
    return rows


def seed_tariffs() -> int:
    """Insert the default tariffs for the categories that have none; returns how many were added."""
    have = set(db.session.execute(select(Tariff.category)).scalars())
    added = 0
    for row in default_tariffs():
        if row["category"] not in have:
            _insert_tariff(None, row)
            added += 1
    return added


# --- bills ----------------------------------------------------------------------------------------

def used_in_cycles(customer_id: int, cycle_starts: list[date]) -> dict[date, Decimal]:
    stmt = (select(BillLine.cycle_start, func.sum(BillLine.volume_m3))
            .where(BillLine.customer_id == customer_id, BillLine.cycle_start.in_(cycle_starts))
            .group_by(BillLine.cycle_start))
    return {start: Decimal(total) for start, total in db.session.execute(stmt)}


def billable_volume(previous: Decimal, current: Decimal, digits: int, consumption: Decimal) -> Decimal:
    if consumption <= 0:
        return Decimal(0)
    whole = current.to_integral_value(ROUND_FLOOR) - previous.to_integral_value(ROUND_FLOOR)
    if whole < 0:  # across the register's rollover
        whole += rules.register_limit(digits)
    return whole


def bill_for_reading(actor, reading: Reading, issued_on: date | None = None) -> Bill | None:
    """Price the period that ends with this reading; None when there is nothing to bill. One bill per
    meter per cycle plus one for a final reading (RULES.md §3): a second is a `Conflict`."""
    if reading.kind == rules.Kind.start or reading.customer_id is None:
        return None
    _check_one_bill(reading)
    meter = db.session.get(Meter, reading.meter_id)
    earlier = history.live_readings(meter, before=reading.read_at, limit=1)
    if earlier:
        prev_value, period_start = earlier[0].value, earlier[0].read_on
    else:
        prev_value = meter.start_reading or Decimal(0)
        period_start = clock.business_date(history.meter_start(meter))
    volume = billable_volume(prev_value, reading.value, meter.digits, reading.consumption_m3)
    if volume <= 0:
        return None
    customer = db.session.get(Customer, reading.customer_id)
    category = category_on(customer, reading.read_on)  # a category change counts from its date on
    tariff = tariff_for(category, reading.read_on)
    cycle_start = (tariff.cycle_start_month, tariff.cycle_start_day)
    starts = [s for s, _v in rules.split_by_cycle(period_start, reading.read_on, volume, cycle_start)]
    lines = rules.bill_lines(period_start, reading.read_on, volume, tiers_of(tariff),
                             used_in_cycles(customer.id, starts), cycle_start)
    issued_on = issued_on or clock.today()
    bill = Bill(customer_id=customer.id, meter_id=meter.id, reading_id=reading.id, tariff_id=tariff.id,
                category=category, cycle=reading.cycle, period_start=period_start,
                period_end=reading.read_on, volume_m3=volume, amount=rules.total(lines), issued_on=issued_on,
                due_on=rules.due_date(issued_on, current_app.config.get("READINGS_BILL_DUE_DAYS", rules.DUE_DAYS)),
                paid_amount=Decimal("0.00"), fee_accrued=Decimal("0.00"), fee_paid=Decimal("0.00"), status="open",
                lines=[BillLine(seq=i, cycle_start=x.cycle_start, tier=x.tier, volume_m3=x.volume_m3, price=x.price,
                                amount=x.amount, customer_id=customer.id) for i, x in enumerate(lines, 1)])
    db.session.add(bill)
    db.session.flush()
    audit.record(actor, "bill.issue", "customer", customer.id, bill_id=bill.id, reading_id=reading.id,
                 volume_m3=volume, amount=bill.amount)
    return bill


def _check_one_bill(reading: Reading) -> None:
    if reading.kind == rules.Kind.final:
        return
    stmt = (select(Bill.id).join(Reading, Reading.id == Bill.reading_id)
            .where(Reading.meter_id == reading.meter_id, Reading.cycle == reading.cycle,
                   Reading.kind != rules.Kind.final, Reading.id != reading.id))
    if db.session.execute(stmt.limit(1)).first() is not None:
        raise Conflict(_("This meter already has a bill for %(cycle)s: a second one is not made.",
                         cycle=reading.cycle))


def billed_volume(meter_id: int, start: date, end: date) -> Decimal:
    """m³ billed for a meter's periods ending in [start, end] — e.g. the last 12 months a complaint
    back-billing estimate (RULES.md §7) applies to."""
    stmt = select(func.coalesce(func.sum(Bill.volume_m3), 0)).where(
        Bill.meter_id == meter_id, Bill.period_end >= start, Bill.period_end <= end)
    return Decimal(db.session.execute(stmt).scalar_one())


def list_bills(actor, customer_id: int | None = None, status: str | None = None, cycle: str | None = None,
               page: int = 1, per_page: int = 50) -> tuple[list[Bill], int]:
    """Bills, newest first. A meter reader sees the bills of customers on their own routes."""
    require(actor, P.bills_view)
    stmt = select(Bill)
    if customer_id:
        stmt = stmt.where(Bill.customer_id == customer_id)
    if status:
        stmt = stmt.where(Bill.status == status)
    if cycle:
        stmt = stmt.where(Bill.cycle == cycle)
    if not _sees_all_bills(actor):
        stmt = stmt.where(Bill.customer_id.in_(access.own_customer_ids_select(actor)))
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.options(selectinload(Bill.lines)).order_by(Bill.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).scalars()
    return list(rows), total


def _sees_all_bills(actor) -> bool:
    return can(actor, P.bills_view_all)


def get_bill(actor, bill_id: int) -> Bill:
    require(actor, P.bills_view)
    bill = db.session.get(Bill, bill_id)
    if bill is None or (not _sees_all_bills(actor) and not access.customer_visible(actor, bill.customer_id)):
        raise NotFound(_("No such bill."))
    return bill
