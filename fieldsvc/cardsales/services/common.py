"""Shared by the card-sales services: settings, the tariff in force, the cycle's purchased volume,
outlets, and rule problem codes turned into messages in the user's language."""
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from fieldsvc.cardsales import rules
from fieldsvc.cardsales.models import CardSale, CardSaleLine, Outlet
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.readings.rules import cycle_start_of
from fieldsvc.readings.services import billing


def step() -> Decimal:
    """The volume step of a sale: whole m³ unless the meters accept tenths (CARDSALES_VOLUME_STEP)."""
    return Decimal(str(current_app.config.get("CARDSALES_VOLUME_STEP", "1")))


def max_volume() -> Decimal:
    return Decimal(str(current_app.config.get("CARDSALES_MAX_VOLUME_M3", rules.MAX_VOLUME)))


def flush() -> None:
    """Flush; a sale changed meanwhile by someone else (its version moved on) is a 409."""
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise Conflict(_("This sale was changed meanwhile. Refresh and try again.")) from exc


# --- pricing ----------------------------------------------------------------------------------------

def tariff_and_cycle(category: str, on: date):
    """The tariff in force for the category on the day (readings' billing.tariff_for), its tiers and
    the start of the annual cycle the day is in."""
    tariff = billing.tariff_for(category, on)
    cycle_start = cycle_start_of(on, (tariff.cycle_start_month, tariff.cycle_start_day))
    return tariff, billing.tiers_of(tariff), cycle_start


def purchased_in_cycle(customer_id: int, cycle_start: date) -> Decimal:
    """m³ the customer bought by card in the cycle: every sale line not reversed (pending ones too:
    their money is taken). Transfers carry volume already counted and have no lines."""
    stmt = (select(func.coalesce(func.sum(CardSaleLine.volume_m3), 0))
            .join(CardSale, CardSale.id == CardSaleLine.sale_id)
            .where(CardSaleLine.customer_id == customer_id, CardSaleLine.cycle_start == cycle_start,
                   CardSale.status != rules.Status.reversed))
    return Decimal(db.session.execute(stmt).scalar_one())


QUOTE_MESSAGES = {
    "volume_not_positive": ("volume_m3", lambda d: _("Enter a volume above 0 m³.")),
    "volume_step": ("volume_m3", lambda d: _("The volume must be a multiple of %(step)s m³.", step=d["step"])),
    "volume_too_large": ("volume_m3", lambda d: _("One purchase can carry at most %(max)s m³.", max=d["max"])),
    "amount_not_positive": ("amount", lambda d: _("Enter an amount above 0.")),
    "amount_too_small": ("amount", lambda d: _("The amount does not buy %(step)s m³ (%(price)s yuan).",
                                                step=d["step"], price=d["price"])),
    "free_gas": ("amount", lambda d: _("The tariff prices gas at 0: quote by volume instead.")),
}


def quote_invalid(error: rules.QuoteError, field: str | None = None) -> Invalid:
    default_field, message = QUOTE_MESSAGES[error.code]
    return Invalid({field or default_field: [message(error.data)]})


PAYMENT_MESSAGES = {
    "unknown_method": lambda: _("Choose how the customer pays."),
    "paid_missing": lambda: _("Enter the cash received."),
    "paid_short": lambda: _("The amount paid is less than the amount due."),
    "electronic_exact": lambda: _("An electronic payment is exactly the amount due."),
    "reference_missing": lambda: _("Enter the transaction reference (POS voucher or payment order number)."),
}


def payment_invalid(problems: dict[str, str]) -> Invalid:
    return Invalid({field: [PAYMENT_MESSAGES[code]()] for field, code in problems.items()})


# --- outlets ------------------------------------------------------------------------------------------

def list_outlets() -> list[Outlet]:
    return list(db.session.execute(select(Outlet).where(Outlet.active.is_(True)).order_by(Outlet.code)).scalars())


def outlet_for(actor, outlet_id: int | None) -> Outlet:
    """The outlet asked for, else the one of the clerk's latest sale, else the first one."""
    if outlet_id:
        outlet = db.session.get(Outlet, outlet_id)
        if outlet is None or not outlet.active:
            raise Invalid({"outlet_id": [_("No such sales outlet.")]})
        return outlet
    last = db.session.execute(select(CardSale.outlet_id).where(CardSale.clerk_id == actor.id)
                              .order_by(CardSale.id.desc()).limit(1)).scalar()
    if last:
        outlet = db.session.get(Outlet, last)
        if outlet is not None and outlet.active:
            return outlet
    outlets = list_outlets()
    if not outlets:
        raise Invalid({"outlet_id": [_("No sales outlet is set up yet (flask cardsales add-outlet).")]})
    return outlets[0]
