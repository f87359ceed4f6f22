"""Vehicle pages: the fleet with overdue maintenance flagged, a vehicle, the driver's daily check."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.management import rules, schemas
from fieldsvc.management.services import vehicles
from fieldsvc.management.services.common import history, staff
from fieldsvc.management.views import PER_PAGE, bp, page_arg
from fieldsvc.permissions import ROLE_LABELS, P, can, permission_required
from fieldsvc.web import form_page, load_form, on_record


def _drivers():
    return [(str(u.id), f"{u.name} · {ROLE_LABELS.get(u.role, u.role)}") for u in staff(vehicles.driver_roles())]


@bp.get("/vehicles")
@permission_required(P.vehicles_view)
def vehicles_index():
    q = request.args.get("q", "").strip()
    page = page_arg()
    items, total = vehicles.list_vehicles(current_user, q or None, page=page, per_page=PER_PAGE)
    return render_template("management/vehicles.html", items=items, total=total, q=q, page=page, per_page=PER_PAGE,
                           overdue=vehicles.overdue(current_user), mine=vehicles.driver_card(current_user),
                           maintenance=vehicles.maintenance)


@bp.route("/vehicles/new", methods=["GET", "POST"])
@permission_required(P.vehicles_manage)
def vehicle_new():
    def process():
        vehicle = vehicles.create_vehicle(current_user, load_form(schemas.VehicleIn()))
        flash(_("Vehicle %(plate)s registered.", plate=vehicle.plate), "success")
        return redirect(url_for("management.vehicle", vehicle_id=vehicle.id))
    return form_page("management/vehicle_form.html", process, {"status": "in_service"}, vehicle=None,
                     drivers=_drivers())


@bp.route("/vehicles/<int:vehicle_id>/edit", methods=["GET", "POST"])
@permission_required(P.vehicles_manage)
def vehicle_edit(vehicle_id):
    vehicle = vehicles.get_vehicle(current_user, vehicle_id)

    def process():
        data = load_form(schemas.VehiclePatch())
        data.setdefault("driver_id", None)  # the blank choice: nobody drives it
        vehicles.update_vehicle(current_user, vehicle, data, data.pop("version", None))
        flash(_("Changes saved."), "success")
        return redirect(url_for("management.vehicle", vehicle_id=vehicle.id))
    values = {k: getattr(vehicle, k) for k in ("plate", "model", "status", "next_service_on", "next_service_km",
                                               "driver_id", "note", "version")}
    return form_page("management/vehicle_form.html", process, values, vehicle=vehicle, drivers=_drivers())


def _vehicle_page(vehicle, values=None, errors=None, status=200):
    return render_template("management/vehicle.html", vehicle=vehicle, maintenance=vehicles.maintenance(vehicle),
                           checks=vehicles.recent_checks(current_user, vehicle),
                           is_driver=vehicle.driver_id == current_user.id, today=clock.today(),
                           manage=can(current_user, P.vehicles_manage),
                           history=history(vehicles.ENTITY, vehicle.id, skip=("vehicle.check",), last=20),
                           values=values or {}, errors=errors or {}), status


@bp.get("/vehicles/<int:vehicle_id>")
@permission_required(P.vehicles_view)
def vehicle(vehicle_id):
    return _vehicle_page(vehicles.get_vehicle(current_user, vehicle_id))


@bp.post("/vehicles/<int:vehicle_id>/service")
@permission_required(P.vehicles_manage)
def vehicle_service(vehicle_id):
    item = vehicles.get_vehicle(current_user, vehicle_id)

    def process():
        vehicles.record_service(current_user, item, load_form(schemas.ServiceIn()))
        return _("Maintenance recorded.")
    return on_record(lambda **kw: _vehicle_page(item, **kw), process,
                     url_for("management.vehicle", vehicle_id=vehicle_id) + "#h-service")


@bp.route("/vehicles/<int:vehicle_id>/check", methods=["GET", "POST"])
@permission_required(P.vehicles_view)
def vehicle_check(vehicle_id):
    """The driver's phone form. Each item is a checkbox ticked when OK; the service refuses anyone but the
    driver (or a fleet manager)."""
    vehicle = vehicles.get_vehicle(current_user, vehicle_id)
    vehicles.require_log(current_user, vehicle)

    def process():
        values = request.form.to_dict()
        values["results"] = {code: request.form.get(f"ok_{code}") == "1" for code in rules.CHECK_ITEMS}
        vehicles.record_check(current_user, vehicle, load_form(schemas.VehicleCheckIn(), values))
        flash(_("Daily check of %(plate)s recorded.", plate=vehicle.plate), "success")
        return redirect(url_for("management.vehicle", vehicle_id=vehicle.id))
    return form_page("management/vehicle_check.html", process, {}, vehicle=vehicle, items=rules.CHECK_ITEMS,
                     done_today=vehicles.checked_today(vehicle))
