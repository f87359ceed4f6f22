"""Card accounts (card number ↔ customer ↔ meter) and their events: issue, reissue a lost card, and
the card's move to a new meter — shared by the desk's meter change (meter_change.py, which also carries
the volume left on the old meter) and a meter replacement completed in the field (move_for_order)."""
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from fieldsvc import audit, clock
from fieldsvc.cardsales import rules
from fieldsvc.cardsales.models import CardAccount, CardEvent, CardMeterCounter, CardSale
from fieldsvc.customers.models import Customer, Meter
from fieldsvc.errors import Conflict, Duplicate, Invalid, NotFound
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
    by_card = select(CardAccount.meter_id).where(CardAccount.card_no.startswith(q, autoescape=True))
    stmt = (select(Meter).join(Customer, Customer.id == Meter.customer_id)
            .where(Meter.kind == "ic_card",
                   or_(Meter.serial_no.startswith(q, autoescape=True),
                       Customer.account_no.startswith(q, autoescape=True), Meter.id.in_(by_card)))
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
        raise Duplicate(field, _("This card number is already in use."))
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
    check_ic_meter(meter, "meter_id")
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


def check_ic_meter(meter: Meter, field: str, customer_id: int | None = None) -> None:
    if meter.kind != "ic_card" or meter.customer_id is None or meter.status != "installed":
        raise Invalid({field: [_("Choose an IC-card meter installed at the customer.")]})
    if customer_id is not None and meter.customer_id != customer_id:
        raise Invalid({field: [_("This meter is not installed at this customer.")]})
    bound = select(CardAccount.card_no).where(CardAccount.meter_id == meter.id, CardAccount.status == "active")
    taken = db.session.execute(bound).scalar()
    if taken:
        raise Invalid({field: [_("This meter already has card %(card)s.", card=taken)]})


def require_finished(account: CardAccount) -> None:
    open_sale = db.session.execute(select(CardSale.id).where(CardSale.meter_id == account.meter_id,
                                                             CardSale.status.in_(rules.UNFINISHED))).scalar()
    if open_sale:
        raise Conflict(_("Sale %(id)s on this card is not finished: confirm or reverse it first.", id=open_sale))


def require_active(account: CardAccount) -> None:
    if account.status != "active":
        raise Conflict(_("Card %(card)s is blocked.", card=account.card_no))


def deactivate_for_closure(actor, customer_id: int, reason: str) -> list[CardAccount]:
    """The customer's account is being closed (销户): every active card is blocked (kept, never deleted).
    No permission check: the caller (customers' approval of a closing request) has checked its own
    authority in this transaction. A sale not yet confirmed or reversed on the card → Conflict."""
    accounts = list(db.session.execute(select(CardAccount).where(CardAccount.customer_id == customer_id,
                                                                 CardAccount.status == "active")).scalars())
    for account in accounts:
        require_finished(account)
        account.status, account.blocked_on, account.block_reason = "blocked", clock.today(), reason[:200]
        _event(actor, account, "deactivate", reason[:200], card_no=account.card_no)
        db.session.flush()
        audit.record(actor, "card.deactivate", "card_account", account.id, card_no=account.card_no,
                     customer_id=customer_id, reason=reason[:200])
    return accounts


def reissue_card(actor, account: CardAccount, new_card_no: str, reason: str) -> CardAccount:
    """A lost or broken card: the old number is blocked (never deleted) and a new card continues the
    meter's purchase sequence."""
    require(actor, P.card_manage)
    require_active(account)
    require_finished(account)
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


def rebind(actor, account: CardAccount, new_meter: Meter, note: str | None, **data) -> CardAccount:
    """The card now serves `new_meter` (checked by the caller), whose purchase numbers start at its own
    counter; the move is a card event and an audit entry carrying `data`."""
    old_meter_id, old_serial = account.meter_id, account.meter.serial_no
    account.meter_id = new_meter.id
    db.session.flush()
    db.session.expire(account, ["meter"])
    counter_for(new_meter.id)
    event_data = {"old_meter_id": old_meter_id, "old_meter_serial": old_serial, "new_meter_id": new_meter.id,
                  "new_meter_serial": new_meter.serial_no, **data}
    _event(actor, account, "meter_change", note, **event_data)
    db.session.flush()
    audit.record(actor, "card.meter_change", "card_account", account.id, **event_data)
    return account


def move_for_order(actor, customer_id: int, old_meter_id: int, new_meter: Meter, *,
                   work_order_id: int) -> CardAccount | None:
    """A meter replacement completed in the field: the active card of the old meter moves to the new
    one (installed at the customer first). No permission check — the dispatch completion calling this
    has already checked that this technician may complete the order. Nothing is carried (the volume
    left on the old meter is settled at the desk) and no money moves, so the clerk's day plays no part.

    Returns the moved account, or None when no active card serves the old meter. A new meter that is
    not an IC-card meter is refused, naming the form's `new_serial` field."""
    account = db.session.execute(select(CardAccount).where(
        CardAccount.meter_id == old_meter_id, CardAccount.customer_id == customer_id,
        CardAccount.status == "active")).scalar_one_or_none()
    if account is None:
        return None
    if new_meter.kind != "ic_card":
        raise Invalid({"new_serial": [_("Meter %(serial)s is not an IC-card meter: the customer's card %(card)s "
                                        "needs one. Fit an IC-card meter.", serial=new_meter.serial_no,
                                        card=account.card_no)]})
    if new_meter.status != "installed" or new_meter.customer_id != customer_id:
        raise Invalid({"new_serial": [_("Meter %(serial)s is not installed at this customer.",
                                        serial=new_meter.serial_no)]})
    check_ic_meter(new_meter, "new_serial", customer_id)
    unfinished = db.session.execute(select(CardSale.id).where(
        CardSale.meter_id == old_meter_id, CardSale.status.in_(rules.UNFINISHED))).scalar()
    extra = {"unfinished_sale_id": unfinished} if unfinished else {}
    return rebind(actor, account, new_meter, None, remaining_m3="0", work_order_id=work_order_id, **extra)
