"""用户安全档案: one customer's safety story on one page."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.customers import schemas as customer_schemas
from fieldsvc.inspections import schemas
from fieldsvc.inspections.services import archive, common, facility, followups, hazards, plan
from fieldsvc.inspections.views import bp
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import form_page, load_form


@bp.get("/customers/<int:customer_id>")
@permission_required(P.inspections_view)
def archive_page(customer_id):
    customer = common.customer(customer_id)
    today = clock.today()
    open_hazards = archive.open_hazards(customer)
    hazards.refresh(open_hazards)  # statuses read from the orders: kept by the request's commit
    return render_template("inspections/archive.html", customer=customer, today=today,
                           entries=archive.entries(current_user, customer, today), flags=archive.flags(customer),
                           open_hazards=open_hazards, status=plan.customer_status(customer),
                           visits=followups.next_try(followups.visits_this_cycle(customer)),
                           life_ends={a.id: archive.appliance_life(customer, a) for a in customer.appliances})


@bp.route("/customers/<int:customer_id>/appliances/new", methods=["GET", "POST"])
@permission_required(P.archive_data)
def archive_appliance(customer_id):
    """An appliance found at the home, added to the archive by whoever keeps its base data."""
    customer = common.customer(customer_id)

    def process():
        facility.add_appliance(current_user, customer, load_form(customer_schemas.ApplianceIn()))
        flash(_("Appliance recorded."), "success")
        return redirect(url_for("inspections.archive_page", customer_id=customer.id))
    return form_page("customers/appliance_form.html", process, customer=customer,
                     back=url_for("inspections.archive_page", customer_id=customer.id))


@bp.route("/customers/<int:customer_id>/facility", methods=["GET", "POST"])
@permission_required(P.archive_data)
def archive_facility(customer_id):
    """Where the meter is, what the indoor pipe is made of, a note (the pipe fitter's base data)."""
    customer = common.customer(customer_id)
    row = archive.flags(customer)

    def process():
        facility.update_facility(current_user, customer, load_form(schemas.FacilityIn()))
        flash(_("Facility data saved."), "success")
        return redirect(url_for("inspections.archive_page", customer_id=customer.id))
    values = {name: getattr(row, name) or "" for name in facility.FACILITY_FIELDS} if row else {}
    return form_page("inspections/facility_form.html", process, values=values, customer=customer)
