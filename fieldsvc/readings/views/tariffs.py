"""Tariffs (everyone reads them; the director adds a new version) and one bill with its tier lines."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.permissions import P, permission_required
from fieldsvc.readings import schemas
from fieldsvc.readings.services import arrears, billing
from fieldsvc.readings.views import bp
from fieldsvc.web import form_page, load_form

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
    def process():
        data = load_form(schemas.TariffIn(), _tariff_form_data(request.form))
        tariff = billing.create_tariff(current_user, data)
        flash(_("Tariff %(name)s saved.", name=tariff.name), "success")
        return redirect(url_for("readings.tariffs"))
    # a tier's errors come back as "tiers.<n>.price" / "tiers.<n>.upper_m3": the form shows them by its rows
    return form_page("readings/tariff_form.html", process, rows=range(1, TIER_ROWS + 1))


@bp.get("/bills/<int:bill_id>")
@permission_required(P.bills_view)
def bill(bill_id):
    item = billing.get_bill(current_user, bill_id)
    fee = arrears.fee_to_date(item, clock.today()) if item.status == "open" else None
    return render_template("readings/bill.html", bill=item, fee=fee)

