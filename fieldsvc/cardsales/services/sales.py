"""Quotes and the two-phase sale: pending (paid, purchase number taken) → written → confirmed; a sale
that is never confirmed is reversed (冲正) with a reason, never deleted.

The purchase number is the meter's next one. It is taken with a conditional UPDATE of the meter's
counter row (`… SET last_seq = n + 1 WHERE meter_id = m AND last_seq = n`): on PostgreSQL the second
of two concurrent clerks waits on the row lock and then matches no row; on SQLite writers are already
serialised (BEGIN IMMEDIATE) and the second sees the new number. Either way the loser gets a 409 naming
the clerk who just sold, and the partial unique index on (meter, number) of live sales is the backstop.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from fieldsvc import audit, clock
from fieldsvc.auth.models import User
from fieldsvc.cardsales import rules
from fieldsvc.cardsales.models import CardAccount, CardDay, CardMeterCounter, CardSale, CardSaleLine
from fieldsvc.cardsales.services import cards, common, days
from fieldsvc.customers.services.changes import category_on  # a category change prices from its date on
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require

# --- quotes -------------------------------------------------------------------------------------------

def quote(actor, account: CardAccount, volume: Decimal | None = None, amount: Decimal | None = None,
          on: date | None = None) -> rules.Quote:
    """The tier split of buying `volume` m³, or of the most gas `amount` yuan buys (with the change)."""
    require(actor, P.card_sales_view)
    on = on or clock.today()
    _tariff, tiers, cycle_start = common.tariff_and_cycle(category_on(account.customer, on), on)
    used = common.purchased_in_cycle(account.customer_id, cycle_start)
    try:
        if volume is not None:
            return rules.quote_by_volume(Decimal(volume), used, tiers, cycle_start, common.step(), common.max_volume())
        if amount is not None:
            return rules.quote_by_amount(Decimal(amount), used, tiers, cycle_start, common.step(), common.max_volume())
    except rules.QuoteError as exc:
        raise common.quote_invalid(exc) from exc
    raise Invalid({"volume_m3": [_("Enter a volume or an amount.")]})


def cycle_position(actor, account: CardAccount, on: date | None = None) -> dict:
    """This cycle's purchased volume and where the tiers stand, for the desk."""
    require(actor, P.card_sales_view)
    on = on or clock.today()
    tariff, tiers, cycle_start = common.tariff_and_cycle(category_on(account.customer, on), on)
    used = common.purchased_in_cycle(account.customer_id, cycle_start)
    current = next((i for i, t in enumerate(tiers, 1) if t.upper is None or used < t.upper), len(tiers))
    upper = tiers[current - 1].upper
    return {"tariff": tariff, "tiers": tiers, "cycle_start": cycle_start, "used_m3": used, "tier": current,
            "price": tiers[current - 1].price, "left_in_tier_m3": None if upper is None else upper - used}


# --- reading ------------------------------------------------------------------------------------------

def get_sale(actor, sale_id: int) -> CardSale:
    require(actor, P.card_sales_view)
    sale = db.session.get(CardSale, sale_id)
    if sale is None or not days.may_see(actor, sale.clerk_id, sale.outlet_id):  # one rule: sales, receipts, days
        raise NotFound(_("No such sale."))
    return sale


def list_sales(actor, customer_id: int | None = None, meter_id: int | None = None, clerk_id: int | None = None,
               business_date: date | None = None, status: str | None = None, page: int = 1,
               per_page: int = 50) -> tuple[list[CardSale], int]:
    """Sales, newest first, filtered by customer, meter, clerk, business date or status."""
    require(actor, P.card_sales_view)
    stmt = days.visible(actor, select(CardSale), CardSale.clerk_id, CardSale.outlet_id)  # one rule: sales, receipts, days
    for column, value in ((CardSale.customer_id, customer_id), (CardSale.meter_id, meter_id),
                          (CardSale.clerk_id, clerk_id), (CardSale.business_date, business_date),
                          (CardSale.status, status)):
        if value is not None:
            stmt = stmt.where(column == value)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.order_by(CardSale.id.desc()).limit(per_page).offset((page - 1) * per_page))
    return list(rows.scalars()), total


def next_seq(meter_id: int) -> int:
    """The purchase number the next sale on the meter will take (shown on the desk and sent back)."""
    last = db.session.execute(select(CardMeterCounter.last_seq).where(CardMeterCounter.meter_id == meter_id)).scalar()
    return (last or 0) + 1


# --- the day ------------------------------------------------------------------------------------------

def day_closed(clerk_id: int, outlet_id: int, on: date) -> bool:
    stmt = select(CardDay.id).where(CardDay.clerk_id == clerk_id, CardDay.outlet_id == outlet_id,
                                    CardDay.business_date == on)
    return db.session.execute(stmt).first() is not None


def require_open_day(actor, outlet_id: int, on: date | None = None) -> None:
    if day_closed(actor.id, outlet_id, on or clock.today()):
        raise Conflict(_("Your day at this outlet is closed: no more sales today."))


# --- creating a sale ------------------------------------------------------------------------------------

def _clerk_name(user_id: int | None) -> str:
    user = db.session.get(User, user_id) if user_id else None
    return user.name if user else _("another clerk")


def _current_counter(meter_id: int) -> tuple[int, int | None]:
    # A fresh read (not the session's cached object): after a lost race it shows the winner's row.
    row = db.session.execute(select(CardMeterCounter.last_seq, CardMeterCounter.last_clerk_id)
                             .where(CardMeterCounter.meter_id == meter_id)
                             .execution_options(populate_existing=True)).one()
    return row.last_seq, row.last_clerk_id


def _just_sold(meter_id: int) -> Conflict:
    _seq, clerk_id = _current_counter(meter_id)
    return Conflict(_("The card was just sold to by %(name)s — refresh.", name=_clerk_name(clerk_id)))


def claim_seq(actor, meter_id: int, seen: int) -> int:
    """Take purchase number seen + 1, or raise 409 when someone took it first."""
    result = db.session.execute(
        update(CardMeterCounter)
        .where(CardMeterCounter.meter_id == meter_id, CardMeterCounter.last_seq == seen)
        .values(last_seq=seen + 1, last_clerk_id=actor.id, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise _just_sold(meter_id)
    return seen + 1


def _take_seq(actor, account: CardAccount, expected_seq: int | None) -> int:
    cards.counter_for(account.meter_id)
    last, _clerk = _current_counter(account.meter_id)
    if expected_seq is not None and expected_seq != last + 1:
        raise _just_sold(account.meter_id)
    unfinished = db.session.execute(select(CardSale).where(CardSale.meter_id == account.meter_id,
                                                           CardSale.status.in_(rules.UNFINISHED))).scalar()
    if unfinished is not None:
        raise Conflict(_("Sale %(id)s to this card by %(name)s is not finished: confirm or reverse it first.",
                         id=unfinished.id, name=unfinished.clerk.name))
    return claim_seq(actor, account.meter_id, last)


@dataclass(frozen=True)
class SupplyNotice:
    """What the desk says about the customer's gas supply before a sale: refused, or a warning."""

    refused: bool
    message: str


def supply_notice(actor, account: CardAccount) -> SupplyNotice | None:
    """None while the gas is on; shut off for safety the sale is refused; for another reason it may go
    ahead with a warning (the gas waits on the card until the supply is back on)."""
    require(actor, P.card_sales_view)
    return _supply_notice(account.customer)


def _supply_notice(customer) -> SupplyNotice | None:
    verdict = rules.supply_verdict(customer.supply, customer.supply_reason)
    if verdict is None:
        return None
    if verdict == "refuse":
        return SupplyNotice(True, _("The gas is shut off at this customer for a safety hazard: no card sale until "
                                    "the hazard is put right and the gas is back on."))
    return SupplyNotice(False, _("The gas is shut off at this customer (%(reason)s): the gas bought stays on the "
                                 "card until the supply is back on.",
                                 reason=label(customer.supply_reason or "request", "supply_reason")))


def _usable(account: CardAccount) -> None:
    if account.customer.status == "closed":
        raise Conflict(_("Account %(no)s is closed: no gas can be sold to it.",
                         no=account.customer.account_no))
    if account.status != "active":
        raise Conflict(_("Card %(card)s is blocked.", card=account.card_no))
    notice = _supply_notice(account.customer)
    if notice is not None and notice.refused:
        raise Conflict(notice.message)
    if account.customer.status != "active":
        raise Conflict(_("The customer's supply is suspended or closed: no sale."))
    if account.meter.status != "installed" or account.meter.customer_id != account.customer_id:
        raise Conflict(_("The card's meter was removed: record the meter change first."))


def create_sale(actor, data: dict) -> CardSale:
    """data: account_id (or customer_id), volume_m3 or amount (quote by amount), payment_method,
    amount_paid (cash; defaults to the amount handed over), payment_ref, outlet_id, expected_seq."""
    require(actor, P.card_sell)
    account = _account_from(actor, data)
    _usable(account)
    outlet = common.outlet_for(actor, data.get("outlet_id"))
    today = clock.today()
    require_open_day(actor, outlet.id, today)
    volume, amount = data.get("volume_m3"), data.get("amount")
    if volume is None and amount is None:
        raise Invalid({"volume_m3": [_("Enter a volume or an amount.")]})
    method = data.get("payment_method") or ""
    q, paid = _priced(actor, account, data, today)  # refuse a bad payment before taking a number
    seq = _take_seq(actor, account, data.get("expected_seq"))
    # Priced again once the number is taken: on PostgreSQL the counter row stays locked to the end of
    # the transaction, so a concurrent sale to the same card cannot price against the same volume.
    q, paid = _priced(actor, account, data, today)
    sale = CardSale(kind=rules.Kind.purchase, account_id=account.id, card_no=account.card_no,
                    customer_id=account.customer_id, account_no=account.customer.account_no,
                    meter_id=account.meter_id, purchase_seq=seq, volume_m3=q.volume_m3, cycle_start=q.cycle_start,
                    used_before_m3=q.used_before_m3, tariff_id=common.tariff_and_cycle(
                        category_on(account.customer, today), today)[0].id, amount_due=q.amount, amount_paid=paid,
                    change=rules.change_due(method, q.amount, paid), payment_method=method,
                    payment_ref=(data.get("payment_ref") or None), outlet_id=outlet.id, clerk_id=actor.id,
                    business_date=today, status=rules.Status.pending, write_attempts=0,
                    lines=[CardSaleLine(seq=i, tier=x.tier, volume_m3=x.volume_m3, price=x.price, amount=x.amount,
                                        cycle_start=x.cycle_start, customer_id=account.customer_id)
                           for i, x in enumerate(q.lines, 1)])
    return _insert(actor, sale, "card_sale.create")


def _priced(actor, account: CardAccount, data: dict, today: date) -> tuple[rules.Quote, Decimal]:
    """The quote of the sale and the amount paid, or Invalid naming the payment field at fault."""
    volume, amount = data.get("volume_m3"), data.get("amount")
    q = quote(actor, account, volume, None if volume is not None else amount, today)
    method = data.get("payment_method") or ""
    paid = data.get("amount_paid")
    if paid is None and volume is None and method == rules.Method.cash:
        paid = q.tendered
    problems = rules.check_payment(method, q.amount, paid, data.get("payment_ref"))
    if problems:
        raise common.payment_invalid(problems)
    return q, q.amount if paid is None else paid


def _insert(actor, sale: CardSale, action: str) -> CardSale:
    db.session.add(sale)
    db.session.flush()
    db.session.execute(update(CardMeterCounter).where(CardMeterCounter.meter_id == sale.meter_id)
                       .values(last_sale_id=sale.id).execution_options(synchronize_session=False))
    audit.record(actor, action, "card_sale", sale.id, card_no=sale.card_no, meter_id=sale.meter_id,
                 purchase_seq=sale.purchase_seq, volume_m3=sale.volume_m3, amount_due=sale.amount_due,
                 amount_paid=sale.amount_paid, method=sale.payment_method, outlet_id=sale.outlet_id)
    return sale


def create_transfer(actor, account: CardAccount, volume: Decimal, outlet_id: int | None = None) -> CardSale:
    """The meter change's carried volume, written to the card like a sale but without money."""
    require(actor, P.card_manage)
    outlet = common.outlet_for(actor, outlet_id)
    require_open_day(actor, outlet.id)
    seq = _take_seq(actor, account, None)
    sale = CardSale(kind=rules.Kind.transfer, account_id=account.id, card_no=account.card_no,
                    customer_id=account.customer_id, account_no=account.customer.account_no,
                    meter_id=account.meter_id, purchase_seq=seq, volume_m3=volume, cycle_start=None,
                    used_before_m3=Decimal(0), amount_due=Decimal("0.00"), amount_paid=Decimal("0.00"),
                    change=Decimal("0.00"), payment_method=rules.Method.none, outlet_id=outlet.id,
                    clerk_id=actor.id, business_date=clock.today(), status=rules.Status.pending, write_attempts=0)
    return _insert(actor, sale, "card_sale.transfer")


def _account_from(actor, data: dict) -> CardAccount:
    if data.get("account_id"):
        return cards.get_account(actor, data["account_id"])
    if data.get("customer_id"):
        return cards.active_account_for_customer(actor, data["customer_id"])
    raise Invalid({"account_id": [_("Choose the card.")]})
