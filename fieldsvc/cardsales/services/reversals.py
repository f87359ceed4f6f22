"""Reversal (冲正) of a confirmed sale (rules.REVERSAL_MOVES): the clerk asks, the station chief approves
or rejects. Once approved the sale is shown as reversed and its amount leaves the clerk's totals. The
purchase number stays used: the card was confirmed, so the meter may already have counted it."""
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import audit
from fieldsvc.cardsales import rules
from fieldsvc.cardsales.models import CardReversal, CardSale
from fieldsvc.cardsales.services import common, writing
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require


def reverse(actor, sale: CardSale, reason: str, card_cleared: bool | None = None):
    """The clerk's one entry point: an unconfirmed sale is reversed at once; a confirmed one gets a
    request for the chief. Returns the sale."""
    if sale.status in rules.UNFINISHED:
        return writing.reverse_unconfirmed(actor, sale, reason, card_cleared)
    request_reversal(actor, sale, reason)
    return sale


def request_reversal(actor, sale: CardSale, reason: str) -> CardReversal:
    writing._own_open(actor, sale)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": [_("Give the reason for the reversal.")]})
    if sale.status != rules.Status.confirmed or sale.kind != rules.Kind.purchase:
        raise Conflict(_("Only a confirmed purchase can be reversed with approval."))
    if sale.open_reversal is not None:
        raise Conflict(_("A reversal of this sale is already waiting for approval."))
    request = CardReversal(sale_id=sale.id, reason=reason[:300], requested_by=actor.id, status="requested")
    db.session.add(request)
    db.session.flush()
    db.session.expire(sale, ["reversals"])
    audit.record(actor, "card_sale.reversal_request", "card_sale", sale.id, reversal_id=request.id, reason=reason)
    return request


def decide(actor, sale: CardSale, approve: bool, note: str | None = None) -> CardReversal:
    """The station chief approves (the sale is reversed) or rejects (it stands) the open request."""
    writing.authorise(actor, sale, rules.By.chief)
    request = sale.open_reversal
    decision = rules.ReversalStatus.approved if approve else rules.ReversalStatus.rejected
    if request is None or rules.REVERSAL_MACHINE.move(request.status, decision) is None:
        raise Conflict(_("No reversal of this sale is waiting for approval."))
    writing.require_open_day(sale)
    if approve and rules.SALE_MACHINE.move(sale.status, rules.Status.reversed) is None:
        raise Conflict(_("This sale cannot be reversed any more."))
    request.status = decision.value
    request.decided_by, request.decided_at, request.note = actor.id, utcnow(), (note or None)
    if approve:
        sale.status = rules.Status.reversed
        sale.reversed_at, sale.reversed_by, sale.reversal_reason = utcnow(), actor.id, request.reason
    common.flush()
    audit.record(actor, "card_sale.reversal_" + request.status, "card_sale", sale.id, reversal_id=request.id,
                 note=note, amount_due=sale.amount_due)
    return request


def open_requests(actor) -> list[CardReversal]:
    """Requests waiting for a decision, oldest first (the chief's list; a clerk sees their own)."""
    require(actor, P.card_sales_view)
    stmt = select(CardReversal).where(CardReversal.status == "requested").order_by(CardReversal.id)
    if not _sees_all(actor):
        stmt = stmt.where(CardReversal.requested_by == actor.id)
    return list(db.session.execute(stmt).scalars())


def _sees_all(actor) -> bool:
    """Clerks see their own tills; chiefs, the director and the statistician see every clerk's."""
    from fieldsvc.permissions import can
    return not can(actor, P.card_sell)
