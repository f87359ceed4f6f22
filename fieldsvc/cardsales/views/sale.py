"""One sale: the two-phase card write (write, then confirm from the read-back), the reversal, the
chief's decision on a reversal request, and the receipt PDF."""
from flask import Response, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.cardsales import schemas, writer
from fieldsvc.cardsales.services import moves, receipts, reversals, sales, writing
from fieldsvc.cardsales.views import bp
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.i18n import money
from fieldsvc.labels import label
from fieldsvc.permissions import P, permission_required
from fieldsvc.security import CSP
from fieldsvc.web import load_form

SIMULATED_FAILURES = {"fail_write": ("write", "simulated: the card did not answer"),
                      "fail_read": ("read", "simulated: the card was taken away")}


def _page(sale, errors=None, values=None, status=200):
    return render_template("cardsales/sale.html", sale=sale, errors=errors or {}, values=values or {},
                           moves=moves.available_moves(current_user, sale),
                           writer_mode=writer.mode(), bridge_url=writer.bridge_url(),
                           payload=writing.payload_of(sale).as_json()), status


@bp.get("/sales/<int:sale_id>", endpoint="sale")
@permission_required(P.card_sales_view)
def sale_page(sale_id):
    body, status = _page(sales.get_sale(current_user, sale_id))
    response = make_response(body, status)
    if writer.mode() == "bridge":
        # The page fetches the card bridge on 127.0.0.1: allow exactly that origin (security.py sets the
        # policy only when the response has none).
        response.headers["Content-Security-Policy"] = CSP.replace(
            "connect-src 'self'", f"connect-src 'self' {writer.bridge_url().rstrip('/')}")
    return response


def _simulate(form) -> None:
    """The demo's simulated reader can be told to fail once, to show the failure path."""
    choice = form.get("simulate")
    if writer.mode() == "simulated" and choice in SIMULATED_FAILURES:
        writer.SimulatedWriter.fail_next(*SIMULATED_FAILURES[choice])


def _act(sale_id, action, success):
    sale = sales.get_sale(current_user, sale_id)
    try:
        action(sale)
    except (Invalid, Conflict) as exc:
        db.session.rollback()  # the sale is drawn again from what is stored
        sale = sales.get_sale(current_user, sale_id)
        errors = getattr(exc, "errors", None) or {"_schema": [exc.message]}
        return _page(sale, errors, request.form, 409 if isinstance(exc, Conflict) else 422)
    message = success(sale)
    if message:
        flash(*message)
    return redirect(url_for("cardsales.sale", sale_id=sale.id))


@bp.post("/sales/<int:sale_id>/write", endpoint="write")
@permission_required(P.card_sell)
def write(sale_id):
    _simulate(request.form)

    def done(sale):
        if sale.status == "written":
            return _("The card was written. Now read it back to confirm."), "success"
        return _("The card write failed: %(error)s. Try again or reverse the sale.", error=sale.write_error), "error"
    return _act(sale_id, _write, done)


def _write(sale):
    writing.write_card(current_user, sale)
    # Phase 1 of the two-phase card write, durable at once: the card now holds the purchase (or the
    # failed attempt is on record), whatever happens to the rest of this request.
    db.session.commit()


@bp.post("/sales/<int:sale_id>/confirm", endpoint="confirm")
@permission_required(P.card_sell)
def confirm(sale_id):
    _simulate(request.form)
    return _act(sale_id, _confirm, lambda sale: (_("Sale confirmed: the purchase is on the card."), "success"))


def _confirm(sale):
    writing.confirm(current_user, sale)
    db.session.commit()  # phase 2 of the card write, durable at once: the card's read-back made the sale final


@bp.post("/sales/<int:sale_id>/reverse", endpoint="reverse")
@permission_required(P.card_sell)
def reverse(sale_id):
    def act(sale):
        form = {"reason": _reason(request.form), "card_cleared": request.form.get("card_cleared", "")}
        if not form["reason"]:
            raise Invalid({"reason_code": [_("Choose the reason for the reversal.")]})
        data = load_form(schemas.ReverseIn(), form)
        reversals.reverse(current_user, sale, data["reason"], data.get("card_cleared"))

    def done(sale):
        if sale.status == "reversed":
            return _("The sale was reversed; hand back %(amount)s.", amount=money(sale.amount_due)), "success"
        return _("Reversal requested: the station chief decides."), "success"
    return _act(sale_id, act, done)


def _reason(form) -> str:
    """The reason is a code from the list, with free text for details (both kept)."""
    code, text = (form.get("reason_code") or "").strip(), (form.get("reason") or "").strip()
    words = str(label(code, "card_reversal_reason")) if code else ""
    return " — ".join(p for p in (words, text) if p)


@bp.post("/sales/<int:sale_id>/decision", endpoint="decide")
@permission_required(P.card_reversal_approve)
def decide(sale_id):
    def act(sale):
        data = load_form(schemas.DecisionIn())
        reversals.decide(current_user, sale, data["decision"] == "approve", data.get("note"))

    def done(sale):
        if sale.status == "reversed":
            return _("Reversal approved."), "success"
        return _("Reversal rejected: the sale stands."), "success"
    return _act(sale_id, act, done)


@bp.get("/sales/<int:sale_id>/receipt.pdf", endpoint="receipt")
@permission_required(P.card_sales_view)
def receipt(sale_id):
    sale = sales.get_sale(current_user, sale_id)
    try:
        body = receipts.receipt_pdf(current_user, sale)
    except Conflict as exc:
        flash(exc.message, "error")
        return redirect(url_for("cardsales.sale", sale_id=sale.id))
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{sale.receipt_no}.pdf"'})
