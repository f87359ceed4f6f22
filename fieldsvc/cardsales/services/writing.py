"""The card write of a sale, its read-back confirmation, and the clerk's reversal of a sale that was
never confirmed. With the simulated writer the server does the work; with the card bridge the page
does it on the clerk's PC and reports the results here (docs/CARD_BRIDGE.md)."""
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import update

from fieldsvc import audit
from fieldsvc.cardsales import rules, writer
from fieldsvc.cardsales.models import CardMeterCounter, CardSale
from fieldsvc.cardsales.services import common, sales
from fieldsvc.errors import Conflict, Invalid, NotAllowed
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require


def payload_of(sale: CardSale) -> writer.CardPayload:
    return writer.CardPayload(card_no=sale.card_no, account_no=sale.account_no, meter_serial=sale.meter.serial_no,
                              purchase_seq=sale.purchase_seq, volume_m3=sale.volume_m3, sale_id=sale.id)


def authorise(actor, sale: CardSale, by: str) -> None:
    """Refuse unless this actor makes this kind of move (rules.By) on this sale: the clerk's moves are the
    clerk's who took the money (card_sell); the chief's need card_reversal_approve. Used to refuse a move
    and, through moves.available_moves, to offer only those it would accept."""
    if by == rules.By.chief:
        require(actor, P.card_reversal_approve)
        return
    require(actor, P.card_sell)
    if sale.clerk_id != actor.id:
        raise NotAllowed(_("Only %(name)s, who took this sale, can work on it.", name=sale.clerk.name))


def require_open_day(sale: CardSale) -> None:
    if sales.day_closed(sale.clerk_id, sale.outlet_id, sale.business_date):
        raise Conflict(_("The day of this sale is closed: it can no longer change."))


def _own_open(actor, sale: CardSale) -> None:
    """Only the clerk who took the money works the sale, and only while that day is open."""
    authorise(actor, sale, rules.By.clerk)
    require_open_day(sale)


def _move(sale: CardSale, to: str) -> None:
    """Along the sale's table (rules.SALE_MACHINE); anything else is a conflict with its state."""
    if rules.SALE_MACHINE.move(sale.status, to) is None:
        raise Conflict(_("This sale is “%(status)s”: it cannot become “%(to)s” now.",
                         status=label(sale.status, "card_sale_status"), to=label(to, "card_sale_status")))
    sale.status = to


def write_card(actor, sale: CardSale, reported: writer.WriteResult | None = None) -> CardSale:
    """Write the purchase to the card (simulated writer), or record what the bridge reports. A failed
    write leaves the sale pending with the error: try again, or reverse it."""
    _own_open(actor, sale)
    if sale.status != rules.Status.pending:
        raise Conflict(_("This sale was already written to the card."))
    card_writer = writer.get_writer()
    if reported is None:
        if not card_writer.server_side:
            raise Invalid({"ok": [_("The card bridge on your PC writes the card: report its result.")]})
        result = card_writer.write(payload_of(sale))
    else:
        result = reported
    sale.write_attempts = (sale.write_attempts or 0) + 1
    sale.writer = card_writer.name
    if result.ok:
        _move(sale, rules.Status.written)
        sale.written_at, sale.write_error, sale.writer_ref = utcnow(), None, result.writer_ref
    else:
        sale.write_error = (result.message or _("The card write failed."))[:200]
    common.flush()
    audit.record(actor, "card_sale.write", "card_sale", sale.id, ok=result.ok, message=result.message,
                 writer=card_writer.name, writer_ref=result.writer_ref, attempt=sale.write_attempts)
    return sale


def confirm(actor, sale: CardSale, image: writer.CardImage | None = None) -> CardSale:
    """Read the card back (or take the bridge's read-back): the purchase number and volume on the card
    must be this sale's. Then the sale is final."""
    _own_open(actor, sale)
    if sale.status == rules.Status.pending:
        raise Conflict(_("Write the card first."))
    if sale.status != rules.Status.written:
        raise Conflict(_("This sale is already “%(status)s”.", status=label(sale.status, "card_sale_status")))
    card_writer = writer.get_writer()
    if image is None:
        if not card_writer.server_side:
            raise Invalid({"purchase_seq": [_("The card bridge on your PC reads the card: send what it read.")]})
        image = card_writer.read(sale.card_no)
    if image is None:
        raise Invalid({"card": [_("The card could not be read. Put it on the reader and try again, or reverse "
                                  "the sale.")]})
    if (image.card_no != sale.card_no or image.purchase_seq != sale.purchase_seq
            or Decimal(image.volume_m3) != sale.volume_m3):
        audit.record(actor, "card_sale.confirm_mismatch", "card_sale", sale.id, card_no=image.card_no,
                     purchase_seq=image.purchase_seq, volume_m3=image.volume_m3)
        raise Invalid({"card": [_("The card shows purchase %(seq)s of %(volume)s m³, not this sale's: "
                                  "write it again or reverse the sale.", seq=image.purchase_seq,
                                  volume=image.volume_m3)]})
    _move(sale, rules.Status.confirmed)
    sale.confirmed_at = utcnow()
    common.flush()
    audit.record(actor, "card_sale.confirm", "card_sale", sale.id, purchase_seq=sale.purchase_seq)
    return sale


def reverse_unconfirmed(actor, sale: CardSale, reason: str, card_cleared: bool | None = None) -> CardSale:
    """冲正 of a sale the card never confirmed: kept with the reason, excluded from the totals, and its
    purchase number given back to the meter (the meter never saw it) so the next sale reuses it."""
    _own_open(actor, sale)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": [_("Give the reason for the reversal.")]})
    if sale.status not in rules.UNFINISHED:
        raise Conflict(_("A confirmed sale is reversed only with the station chief's approval."))
    if sale.status == rules.Status.written:
        card_writer = writer.get_writer()
        cleared = card_writer.clear(sale.card_no, sale.purchase_seq) if card_writer.server_side else card_cleared
        if not cleared:
            raise Invalid({"reason": [_("The purchase is on the card: clear the card on the reader first.")]})
    _release_seq(sale)
    _move(sale, rules.Status.reversed)
    sale.reversed_at, sale.reversed_by, sale.reversal_reason = utcnow(), actor.id, reason[:300]
    common.flush()
    audit.record(actor, "card_sale.reverse", "card_sale", sale.id, reason=reason, purchase_seq=sale.purchase_seq,
                 amount_due=sale.amount_due, approved=False)
    return sale


def _release_seq(sale: CardSale) -> None:
    # It is the meter's latest number: a new sale is refused while this one is unfinished.
    result = db.session.execute(
        update(CardMeterCounter)
        .where(CardMeterCounter.meter_id == sale.meter_id, CardMeterCounter.last_seq == sale.purchase_seq)
        .values(last_seq=sale.purchase_seq - 1, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise Conflict(_("The card's purchase sequence moved on meanwhile. Refresh."))
