"""Customer and meter pages: search, the customer's page (timeline), forms to register and change."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fieldsvc import clock
from fieldsvc.customers import schemas, services
from fieldsvc.customers.services import changes
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import form_page, load_form

bp = Blueprint("customers", __name__, url_prefix="/customers")
PER_PAGE = 30
# A search counts its matches up to here: ten pages, more than anyone pages through on a phone. A common word
# (an estate's name) matches thousands, and counting them all reads most of the table on every search.
COUNT_UP_TO = 300


@bp.get("/")
@login_required
def index():
    q = request.args.get("q", "").strip()
    page = max(request.args.get("page", 1, type=int), 1)
    customers, total = services.search_customers(current_user, q or None, page=page, per_page=PER_PAGE,
                                                 count_up_to=COUNT_UP_TO)
    return render_template("customers/index.html", customers=customers, total=min(total, COUNT_UP_TO), q=q,
                           more=total > COUNT_UP_TO, page=page, per_page=PER_PAGE)


@bp.get("/<int:customer_id>")
@login_required
def show(customer_id):
    customer = services.get_customer(current_user, customer_id)
    return render_template("customers/show.html", customer=customer,
                           pending_changes=changes.pending_for(current_user, customer),
                           events=services.timeline(current_user, customer),
                           appliance_expired=services.appliance_expired, today=clock.today())


def _customer_form(customer=None):
    """Shared by new and edit: validate, call the service, or re-render with the typed data kept."""
    def process():
        if customer is None:
            data = load_form(schemas.CustomerIn())
            data.pop("client_id", None)
            saved = services.create_customer(current_user, data)
            message = _("Customer %(no)s registered.", no=saved.account_no)
        else:
            data = load_form(schemas.CustomerPatch())
            saved = services.update_customer(current_user, customer, data, data.pop("version", None))
            message = _("Changes saved.")
        flash(message, "success")
        return redirect(url_for("customers.show", customer_id=saved.id))
    values = _customer_values(customer) if request.method == "GET" else None
    return form_page("customers/form.html", process, values, customer=customer, districts=services.list_districts())


def _customer_values(customer) -> dict:
    if customer is None:
        return {}
    values = {k: getattr(customer, k) for k in ("account_no", "version", *services.CUSTOMER_FIELDS)}
    values["district"] = customer.district.name
    return values


@bp.route("/new", methods=["GET", "POST"])
@permission_required(P.customers_edit)
def new():
    return _customer_form()


@bp.route("/<int:customer_id>/edit", methods=["GET", "POST"])
@permission_required(P.customers_edit)
def edit(customer_id):
    return _customer_form(services.get_customer(current_user, customer_id))


@bp.route("/<int:customer_id>/appliances/new", methods=["GET", "POST"])
@permission_required(P.customers_edit)
def new_appliance(customer_id):
    customer = services.get_customer(current_user, customer_id)

    def process():
        services.add_appliance(current_user, customer, load_form(schemas.ApplianceIn()))
        flash(_("Appliance recorded."), "success")
        return redirect(url_for("customers.show", customer_id=customer.id))
    return form_page("customers/appliance_form.html", process, customer=customer)


# --- meters ---------------------------------------------------------------------------------------

@bp.get("/meters")
@permission_required(P.meters_edit)
def meters():
    q = request.args.get("q", "").strip()
    status = request.args.get("status") or None
    page = max(request.args.get("page", 1, type=int), 1)
    items, total = services.search_meters(current_user, q or None, status, page, PER_PAGE)
    return render_template("customers/meters.html", meters=items, total=total, q=q, status=status,
                           page=page, per_page=PER_PAGE)


@bp.route("/meters/new", methods=["GET", "POST"])
@permission_required(P.meters_edit)
def new_meter():
    customer_id = request.values.get("customer_id", type=int)
    customer = services.get_customer(current_user, customer_id) if customer_id else None

    def process():
        data = load_form(schemas.MeterIn())
        data.pop("client_id", None)
        meter = services.create_meter(current_user, data)
        flash(_("Meter %(serial)s registered.", serial=meter.serial_no), "success")
        if meter.customer_id:
            return redirect(url_for("customers.show", customer_id=meter.customer_id))
        return redirect(url_for("customers.meter", meter_id=meter.id))
    return form_page("customers/meter_form.html", process, {"installed_on": clock.today().isoformat()},
                     customer=customer)


@bp.get("/meters/<int:meter_id>")
@login_required
def meter(meter_id):
    return render_template("customers/meter.html", meter=services.get_meter(current_user, meter_id))


@bp.post("/meters/<int:meter_id>/remove")
@permission_required(P.meters_edit)
def remove_meter(meter_id):
    meter = services.get_meter(current_user, meter_id)
    customer_id = meter.customer_id
    try:
        data = load_form(schemas.MeterRemoval())
        services.remove_meter(current_user, meter, data["removed_on"], data.get("final_reading"), data["reason"])
        flash(_("Meter %(serial)s removed.", serial=meter.serial_no), "success")
    except Invalid as exc:
        db.session.rollback()  # the page goes back (a redirect, which the unit of work would commit)
        flash(" ".join(m for msgs in exc.errors.values() for m in msgs), "error")
        return redirect(url_for("customers.meter", meter_id=meter.id))
    return redirect(url_for("customers.show", customer_id=customer_id))
