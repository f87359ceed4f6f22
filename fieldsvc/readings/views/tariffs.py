"""Tariffs (everyone reads them; the director adds a new version) and one bill with its tier lines."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from fieldsvc import clock
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.permissions import P, permission_required
from fieldsvc.readings import schemas
from fieldsvc.readings.services import arrears, billing
from fieldsvc.readings.views import bp

TIER_ROWS = 4  # the form offers this many tier rows; empty ones are ignored


@bp.get("/tariffs", endpoint="tariffs")
@permission_required(P.tariffs_view)
def tariffs_page():
    return render_template("readings/tariffs.html", tariffs=billing.list_tariffs(current_user))


def _tariff_form_data(form) -> dict:
    """The form's flat tier rows (upper_1, price_1 …) become the API's list of tiers."""
    data = {k: form[k] for k in ("category", "name", "valid_from", "cycle_start_month", "cycle_start_day")
            if form.get(k)}
    tiers = []
    for i in range(1, TIER_ROWS + 1):
        price, upper = (form.get(f"price_{i}") or "").strip(), (form.get(f"upper_{i}") or "").strip()
        if price or upper:
            tiers.append({"price": price, "upper_m3": upper or None})
    data["tiers"] = tiers
    return data


@bp.route("/tariffs/new", methods=["GET", "POST"])
@permission_required(P.tariffs_manage)
def new_tariff():
    errors = {}
    if request.method == "POST":
        try:
            try:
                data = schemas.TariffIn().load(_tariff_form_data(request.form))
            except ValidationError as exc:
                raise Invalid(_flatten(exc.messages)) from exc
            tariff = billing.create_tariff(current_user, data)
            db.session.commit()
            flash(_("Tariff %(name)s saved.", name=tariff.name), "success")
            return redirect(url_for("readings.tariffs"))
        except Invalid as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("readings/tariff_form.html", values=request.form, errors=errors,
                           rows=range(1, TIER_ROWS + 1)), 422 if errors else 200


def _flatten(messages: dict) -> dict:
    """{"tiers": {0: {"price": [...]}}} → {"price_1": [...]} so each message lands next to its box."""
    flat = {}
    for key, value in messages.items():
        if key == "tiers" and isinstance(value, dict):
            for index, fields in value.items():
                for name, msgs in fields.items():
                    flat[f"{'upper' if name == 'upper_m3' else name}_{int(index) + 1}"] = msgs
        else:
            flat[key] = value if isinstance(value, list) else [str(value)]
    return flat


@bp.get("/bills/<int:bill_id>")
@permission_required(P.bills_view)
def bill(bill_id):
    item = billing.get_bill(current_user, bill_id)
    fee = arrears.fee_to_date(item, clock.today()) if item.status == "open" else None
    return render_template("readings/bill.html", bill=item, fee=fee)

