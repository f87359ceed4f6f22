"""Card accounts (card number ↔ customer ↔ meter) and their events: issue, reissue a lost card, and
a meter change that carries the remaining volume onto the card for the new meter."""
import re
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from fieldsvc import audit, clock
from fieldsvc.cardsales import rules
from fieldsvc.cardsales.models import CardAccount, CardEvent, CardMeterCounter, CardSale
from fieldsvc.cardsales.services import common
from fieldsvc.customers.models import Customer, Meter
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.permissions import P, require

CARD_NO = re.compile(r"^\d{8,20}$")
SEARCH_LIMIT = 30


@dataclass
class Match:
    """A search result: an IC-card meter at a customer, with its card when it has one."""

    customer: Customer
    meter: Meter
    account: CardAccount | None
    blocked: list[CardAccount]


def search(actor, q: str) -> list[Match]:
    """IC-card meters by card number (active or blocked), account number or meter serial (prefixes)."""
    require(actor, P.card_sales_view)
    q = (q or "").strip()
    if not q:
        return []
    by_card = select(CardAccount.meter_id).where(CardAccount.card_no.like(f"{q}%"))
    stmt = (select(Meter).join(Customer, Customer.id == Meter.customer_id)
            .where(Meter.kind == "ic_card",
                   or_(Meter.serial_no.like(f"{q}%"), Customer.account_no.like(f"{q}%"), Meter.id.in_(by_card)))
            .order_by(Customer.account_no, Meter.serial_no).limit(SEARCH_LIMIT))
    meters = list(db.session.execute(stmt).scalars())
    accounts = _accounts_of([m.id for m in meters])
    return [Match(m.customer, m, next((a for a in accounts.get(m.id, []) if a.status == "active"), None),
                  [a for a in accounts.get(m.id, []) if a.status != "active"]) for m in meters]


def _accounts_of(meter_ids: list[int]) -> dict[int, list[CardAccount]]:
    if not meter_ids:
        return {}
    rows = db.session.execute(select(CardAccount).where(CardAccount.meter_id.in_(meter_ids))
                              .order_by(CardAccount.id.desc())).scalars()
    out: dict[int, list[CardAccount]] = {}
    for account in rows:
        out.setdefault(account.meter_id, []).append(account)
    return out


def get_account(actor, account_id: int) -> CardAccount:
    require(actor, P.card_sales_view)
    account = db.session.get(CardAccount, account_id)
    if account is None:
        raise NotFound(_("No such card."))
    return account


def active_account_for_customer(actor, customer_id: int) -> CardAccount:
    """The customer's active card (the first, when a commercial customer has several meters)."""
    require(actor, P.card_sales_view)
    account = db.session.execute(select(CardAccount).where(CardAccount.customer_id == customer_id,
                                                           CardAccount.status == "active")
                                 .order_by(CardAccount.id).limit(1)).scalar_one_or_none()
    if account is None:
        if db.session.get(Customer, customer_id) is None:
            raise NotFound(_("No such customer."))
        raise Invalid({"customer_id": [_("This customer has no active IC card.")]})
    return account


def events(actor, account: CardAccount) -> list[CardEvent]:
    """Every event of the customer's cards (old blocked ones too), newest first."""
    require(actor, P.card_sales_view)
    stmt = select(CardEvent).where(CardEvent.customer_id == account.customer_id).order_by(CardEvent.id.desc())
    return list(db.session.execute(stmt).scalars())


def chain(account: CardAccount) -> list[CardAccount]:
    """The cards this one replaced, newest first (history kept)."""
    out, current = [], account
    while current.replaces_id:
        current = db.session.get(CardAccount, current.replaces_id)
        out.append(current)
    return out


def counter_for(meter_id: int) -> CardMeterCounter:
    """The meter's purchase counter, created at 0 the first time (two first-timers: one insert wins)."""
    counter = db.session.execute(select(CardMeterCounter).where(CardMeterCounter.meter_id == meter_id)).scalar()
    if counter is not None:
        return counter
    nested = db.session.begin_nested()
    try:
        counter = CardMeterCounter(meter_id=meter_id, last_seq=0)
        db.session.add(counter)
        db.session.flush()
        nested.commit()
    except IntegrityError:
        nested.rollback()
        counter = db.session.execute(select(CardMeterCounter).where(CardMeterCounter.meter_id == meter_id)).scalar_one()
    return counter


def _check_card_no(card_no: str, field: str = "card_no") -> str:
    card_no = (card_no or "").strip()
    if not CARD_NO.match(card_no):
        raise Invalid({field: [_("A card number is 8 to 20 digits.")]})
    if db.session.execute(select(CardAccount.id).where(CardAccount.card_no == card_no)).first():
        raise Invalid({field: [_("This card number is already in use.")]})
    return card_no


def _event(actor, account: CardAccount, kind: str, note: str | None = None, **data) -> CardEvent:
    event = CardEvent(account_id=account.id, customer_id=account.customer_id, kind=kind,
                      by=getattr(actor, "id", None), data=data, note=note)
    db.session.add(event)
    return event


def issue_card(actor, meter_id: int, card_no: str, note: str | None = None) -> CardAccount:
    """Open a card for an IC-card meter installed at a customer that has no active card yet."""
    require(actor, P.card_manage)
    meter = db.session.get(Meter, meter_id)
    if meter is None:
        raise NotFound(_("No such meter."))
    _check_ic_meter(meter, "meter_id")
    card_no = _check_card_no(card_no)
    account = CardAccount(card_no=card_no, customer_id=meter.customer_id, meter_id=meter.id, status="active",
                          issued_on=clock.today(), issued_by=actor.id)
    db.session.add(account)
    db.session.flush()
    counter_for(meter.id)
    _event(actor, account, "issue", note, card_no=card_no, meter_id=meter.id, meter_serial=meter.serial_no)
    db.session.flush()
    audit.record(actor, "card.issue", "card_account", account.id, card_no=card_no, meter_id=meter.id,
                 customer_id=meter.customer_id)
    return account


def _check_ic_meter(meter: Meter, field: str, customer_id: int | None = None) -> None:
    if meter.kind != "ic_card" or meter.customer_id is None or meter.status != "installed":
        raise Invalid({field: [_("Choose an IC-card meter installed at the customer.")]})
    if customer_id is not None and meter.customer_id != customer_id:
        raise Invalid({field: [_("This meter is not installed at this customer.")]})
    bound = select(CardAccount.card_no).where(CardAccount.meter_id == meter.id, CardAccount.status == "active")
    taken = db.session.execute(bound).scalar()
    if taken:
        raise Invalid({field: [_("This meter already has card %(card)s.", card=taken)]})


def _no_unfinished(account: CardAccount) -> None:
    open_sale = db.session.execute(select(CardSale.id).where(CardSale.meter_id == account.meter_id,
                                                             CardSale.status.in_(rules.UNFINISHED))).scalar()
    if open_sale:
        raise Conflict(_("Sale %(id)s on this card is not finished: confirm or reverse it first.", id=open_sale))


def _active(account: CardAccount) -> None:
    if account.status != "active":
        raise Conflict(_("Card %(card)s is blocked.", card=account.card_no))


def reissue_card(actor, account: CardAccount, new_card_no: str, reason: str) -> CardAccount:
    """A lost or broken card: the old number is blocked (never deleted) and a new card continues the
    meter's purchase sequence."""
    require(actor, P.card_manage)
    _active(account)
    _no_unfinished(account)
    if not (reason or "").strip():
        raise Invalid({"reason": [_("Say why the card is reissued.")]})
    new_card_no = _check_card_no(new_card_no, "new_card_no")
    account.status, account.blocked_on, account.block_reason = "blocked", clock.today(), reason.strip()
    db.session.flush()
    new = CardAccount(card_no=new_card_no, customer_id=account.customer_id, meter_id=account.meter_id,
                      status="active", issued_on=clock.today(), issued_by=actor.id, replaces_id=account.id)
    db.session.add(new)
    db.session.flush()
    account.replaced_by_id = new.id
    _event(actor, new, "reissue", reason.strip(), old_card_no=account.card_no, new_card_no=new_card_no,
           old_account_id=account.id)
    db.session.flush()
    audit.record(actor, "card.reissue", "card_account", new.id, old_card_no=account.card_no,
                 new_card_no=new_card_no, reason=reason.strip())
    return new


def delivered_to_meter(meter_id: int) -> Decimal:
    """m³ put on the meter by confirmed sales and transfers: the most it can still hold."""
    stmt = select(func.coalesce(func.sum(CardSale.volume_m3), 0)).where(
        CardSale.meter_id == meter_id, CardSale.status == rules.Status.confirmed)
    return Decimal(db.session.execute(stmt).scalar_one())


def change_meter(actor, account: CardAccount, new_meter_id: int, remaining_m3: Decimal, reason: str | None,
                 outlet_id: int | None = None):
    """The card moves to the customer's new IC-card meter; the volume left on the old meter (read off
    its display) is written to the card as a transfer (no money) numbered in the new meter's sequence.
    Returns (account, transfer sale or None)."""
    from fieldsvc.cardsales.services import sales  # sales uses this module too
    require(actor, P.card_manage)
    _active(account)
    _no_unfinished(account)
    new_meter = db.session.get(Meter, new_meter_id) if new_meter_id else None
    if new_meter is None or new_meter.id == account.meter_id:
        raise Invalid({"new_meter_id": [_("Choose the new IC-card meter.")]})
    _check_ic_meter(new_meter, "new_meter_id", account.customer_id)
    remaining = Decimal(remaining_m3)
    problem = rules.check_carry(remaining, delivered_to_meter(account.meter_id), common.step())
    if problem:
        raise Invalid({"remaining_m3": [_carry_message(problem)]})
    old_meter_id, old_serial = account.meter_id, account.meter.serial_no
    sales.require_open_day(actor, common.outlet_for(actor, outlet_id).id)
    account.meter_id = new_meter.id
    db.session.flush()
    db.session.expire(account, ["meter"])
    counter_for(new_meter.id)
    _event(actor, account, "meter_change", reason, old_meter_id=old_meter_id, old_meter_serial=old_serial,
           new_meter_id=new_meter.id, new_meter_serial=new_meter.serial_no, remaining_m3=rules.plain(remaining))
    db.session.flush()
    audit.record(actor, "card.meter_change", "card_account", account.id, old_meter_id=old_meter_id,
                 new_meter_id=new_meter.id, remaining_m3=remaining)
    transfer = None
    if remaining > 0:
        transfer = sales.create_transfer(actor, account, remaining, outlet_id)
    return account, transfer


def _carry_message(code: str) -> str:
    return {
        "carry_negative": _("The remaining volume cannot be negative."),
        "volume_step": _("The volume must be a multiple of %(step)s m³.", step=common.step()),
        "carry_too_large": _("More than was ever put on the old meter: check the reading of its display."),
    }[code]


def ic_meters_without_card(actor, customer_id: int) -> list[Meter]:
    """The customer's installed IC-card meters that no active card serves (candidates for a change)."""
    require(actor, P.card_sales_view)
    bound = select(CardAccount.meter_id).where(CardAccount.status == "active")
    stmt = (select(Meter).where(Meter.customer_id == customer_id, Meter.kind == "ic_card",
                                Meter.status == "installed", Meter.id.not_in(bound)).order_by(Meter.serial_no))
    return list(db.session.execute(stmt).scalars())
