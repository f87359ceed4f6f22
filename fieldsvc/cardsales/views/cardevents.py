"""Card events: issue a card for an IC-card meter, reissue a lost card, carry the remaining volume to
a new meter."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.cardsales import schemas
from fieldsvc.cardsales.services import cards
from fieldsvc.cardsales.services import meter_change as changes
from fieldsvc.cardsales.views import bp
from fieldsvc.cardsales.views.common import current_outlet
from fieldsvc.customers import services as customers
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import load_form


def _form(template, errors=None, status=200, **ctx):
    return render_template(template, values=request.form, errors=errors or {}, **ctx), status


def _errors(exc, fields: tuple[str, ...]) -> tuple[dict, int]:
    """Errors by form field; those about anything else (the meter, the card) go above the form."""
    db.session.rollback()  # the page is drawn again from what is stored
    errors = {}
    for key, messages in (getattr(exc, "errors", None) or {"_schema": [exc.message]}).items():
        errors.setdefault(key if key in fields else "_schema", []).extend(messages)
    # A taken card number (Duplicate) is the field's error: the form is shown again, 422 like any bad field.
    return errors, 409 if isinstance(exc, Conflict) and not isinstance(exc, Invalid) else 422


@bp.route("/meters/<int:meter_id>/issue", methods=["GET", "POST"], endpoint="issue")
@permission_required(P.card_manage)
def issue(meter_id):
    meter = customers.get_meter(current_user, meter_id)
    if request.method == "POST":
        try:
            data = load_form(schemas.IssueIn())
            account = cards.issue_card(current_user, meter.id, data["card_no"], data.get("note"))
            flash(_("Card %(card)s issued.", card=account.card_no), "success")
            return redirect(url_for("cardsales.account", account_id=account.id))
        except (Invalid, Conflict) as exc:
            errors, status = _errors(exc, ("card_no", "note"))
            return _form("cardsales/issue.html", errors, status, meter=meter)
    return _form("cardsales/issue.html", meter=meter)


@bp.route("/cards/<int:account_id>/reissue", methods=["GET", "POST"], endpoint="reissue")
@permission_required(P.card_manage)
def reissue(account_id):
    account = cards.get_account(current_user, account_id)
    if request.method == "POST":
        try:
            data = load_form(schemas.ReissueIn())
            new = cards.reissue_card(current_user, account, data["new_card_no"], data["reason"])
            flash(_("Card %(old)s blocked; new card %(new)s issued.", old=account.card_no, new=new.card_no),
                  "success")
            return redirect(url_for("cardsales.account", account_id=new.id))
        except (Invalid, Conflict) as exc:
            errors, status = _errors(exc, ("new_card_no", "reason"))
            account = cards.get_account(current_user, account_id)
            return _form("cardsales/reissue.html", errors, status, account=account)
    return _form("cardsales/reissue.html", account=account)


@bp.route("/cards/<int:account_id>/meter-change", methods=["GET", "POST"], endpoint="meter_change")
@permission_required(P.card_manage)
def meter_change(account_id):
    account = cards.get_account(current_user, account_id)
    if request.method == "POST":
        try:
            data = load_form(schemas.MeterChangeIn())
            outlet = current_outlet()
            account, transfer = changes.change_meter(current_user, account, data["new_meter_id"], data["remaining_m3"],
                                                   data.get("reason"), outlet.id if outlet else None)
            if transfer is not None:
                flash(_("Meter changed. Write the carried %(volume)s m³ to the card.", volume=transfer.volume_m3),
                      "success")
                return redirect(url_for("cardsales.sale", sale_id=transfer.id))
            flash(_("Meter changed."), "success")
            return redirect(url_for("cardsales.account", account_id=account.id))
        except (Invalid, Conflict) as exc:
            errors, status = _errors(exc, ("new_meter_id", "remaining_m3", "reason"))
            account = cards.get_account(current_user, account_id)
            return _form("cardsales/meter_change.html", errors, status, account=account,
                         candidates=changes.ic_meters_without_card(current_user, account.customer_id),
                         delivered=changes.delivered_to_meter(account.meter_id))
    return _form("cardsales/meter_change.html", account=account,
                 candidates=changes.ic_meters_without_card(current_user, account.customer_id),
                 delivered=changes.delivered_to_meter(account.meter_id))
