"""The desk's meter change: the card moves to the customer's new IC-card meter (cards.rebind, as in a
meter replacement completed in the field) and the volume left on the old meter is written to the card
as a transfer. It needs both cards and sales, so it lives apart from either (no import cycle)."""
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldsvc.cardsales import rules
from fieldsvc.cardsales.models import CardAccount, CardSale
from fieldsvc.cardsales.services import cards, common, sales
from fieldsvc.customers.models import Meter
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.permissions import P, require


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
    require(actor, P.card_manage)
    cards.require_active(account)
    cards.require_finished(account)
    new_meter = db.session.get(Meter, new_meter_id) if new_meter_id else None
    if new_meter is None or new_meter.id == account.meter_id:
        raise Invalid({"new_meter_id": [_("Choose the new IC-card meter.")]})
    cards.check_ic_meter(new_meter, "new_meter_id", account.customer_id)
    remaining = Decimal(remaining_m3)
    problem = rules.check_carry(remaining, delivered_to_meter(account.meter_id), common.step())
    if problem:
        raise Invalid({"remaining_m3": [_carry_message(problem)]})
    sales.require_open_day(actor, common.outlet_for(actor, outlet_id).id)
    cards.rebind(actor, account, new_meter, reason, remaining_m3=rules.plain(remaining))
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
