"""The desk: find the card, see its history and this cycle's volume, quote, take the payment."""
import uuid

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock, idempotency
from fieldsvc.cardsales import schemas, writer
from fieldsvc.cardsales.services import cards, common, days, reversals, sales
from fieldsvc.cardsales.views import bp
from fieldsvc.cardsales.views.common import OUTLET_KEY, current_outlet
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.permissions import P, can, permission_required
from fieldsvc.web import load_form

HISTORY = 20


@bp.get("/", endpoint="desk")
@permission_required(P.card_sales_view)
def desk():
    q = request.args.get("q", "").strip()
    matches = cards.search(current_user, q) if q else []
    if len(matches) == 1 and matches[0].account is not None and request.args.get("go", "1") == "1":
        return redirect(url_for("cardsales.account", account_id=matches[0].account.id))
    selling = can(current_user, P.card_sell)
    recent = sales.list_sales(current_user, clerk_id=current_user.id, per_page=10)[0] if selling else []
    return render_template("cardsales/desk.html", q=q, matches=matches, outlets=common.list_outlets(),
                           outlet=current_outlet() if selling else None,
                           summary=days.today_summary(current_user) if selling else None, recent=recent,
                           requests=reversals.open_requests(current_user))


@bp.post("/outlet", endpoint="set_outlet")
@permission_required(P.card_sell)
def set_outlet():
    try:
        outlet = common.outlet_for(current_user, request.form.get("outlet_id", type=int))
    except Invalid as exc:
        flash(" ".join(exc.errors.get("outlet_id", [])), "error")
        return redirect(url_for("cardsales.desk"))
    session[OUTLET_KEY] = outlet.id
    flash(_("You are selling at %(name)s.", name=outlet.name), "success")
    return redirect(url_for("cardsales.desk"))


def _account_page(account, quote_values=None, quote=None, sale_values=None, errors=None, status=200):
    selling = can(current_user, P.card_sell)
    history, total = sales.list_sales(current_user, customer_id=account.customer_id, per_page=HISTORY)
    unfinished = next((s for s in history if s.status in ("pending", "written") and s.meter_id == account.meter_id),
                      None)
    outlet = current_outlet() if selling else None
    return render_template(
        "cardsales/account.html", account=account, position=sales.cycle_position(current_user, account),
        history=history, history_total=total, events=cards.events(current_user, account),
        old_cards=cards.chain(account), next_seq=sales.next_seq(account.meter_id), quote=quote,
        quote_values=quote_values or {}, sale_values=sale_values or {}, errors=errors or {}, unfinished=unfinished,
        client_id=uuid.uuid4(), outlet=outlet, day_closed=bool(outlet and sales.day_closed(current_user.id, outlet.id, clock.today())),
        selling=selling, writer_mode=writer.mode(), supply=sales.supply_notice(current_user, account)), status


@bp.get("/cards/<int:account_id>", endpoint="account")
@permission_required(P.card_sales_view)
def account_page(account_id):
    """The card: customer, meter, this cycle's volume, history; a quote when volume or amount is given."""
    account = cards.get_account(current_user, account_id)
    args = {k: v for k, v in request.args.items() if k in ("volume_m3", "amount") and v.strip()}
    if not args:
        return _account_page(account)
    try:
        data = load_form(schemas.DeskQuoteIn(), request.args)
        quote = sales.quote(current_user, account, data.get("volume_m3"),
                            None if data.get("volume_m3") is not None else data.get("amount"))
    except Invalid as exc:
        return _account_page(account, quote_values=request.args, errors=exc.errors, status=422)
    sale_values = {"volume_m3": quote.volume_m3, "amount_paid": quote.tendered or ""}
    return _account_page(account, quote_values=request.args, quote=quote, sale_values=sale_values)


@bp.post("/cards/<int:account_id>/sales", endpoint="sell")
@permission_required(P.card_sell)
def sell(account_id):
    """Take the payment: the sale is created pending with the meter's next purchase number."""
    account = cards.get_account(current_user, account_id)
    outlet = current_outlet()
    try:
        data = load_form(schemas.SaleIn(), {**request.form.to_dict(), "account_id": account.id})
        client_id = data.pop("client_id", None)  # the form's own: a double click gives the first sale
        data["outlet_id"] = outlet.id if outlet else None
        sale_id, _created = idempotency.create_once(current_user, "card_sale", client_id, data,
                                                    lambda: sales.create_sale(current_user, data))
        sale = sales.get_sale(current_user, sale_id)
    except (Invalid, Conflict) as exc:
        db.session.rollback()  # the card page is drawn again from what is stored
        errors = getattr(exc, "errors", None) or {"_schema": [exc.message]}
        quote = _requote(account, request.form)
        return _account_page(account, quote_values={"volume_m3": request.form.get("volume_m3", "")},
                             quote=quote, sale_values=request.form, errors=errors,
                             status=409 if isinstance(exc, Conflict) else 422)
    flash(_("Payment taken: purchase %(seq)d on card %(card)s. Now write the card.", seq=sale.purchase_seq,
            card=sale.card_no), "success")
    return redirect(url_for("cardsales.sale", sale_id=sale.id))


def _requote(account, form):
    """The quote again for the re-shown form (None when the volume itself is wrong)."""
    try:
        data = load_form(schemas.DeskQuoteIn(), {"volume_m3": form.get("volume_m3", "")})
        return sales.quote(current_user, account, data.get("volume_m3"))
    except Invalid:
        return None
