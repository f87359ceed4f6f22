"""The bench equipment register: list with calibration reminders, register and renew a standard."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.metering import schemas
from fieldsvc.metering.services import equipment as services
from fieldsvc.metering.views import bp, load
from fieldsvc.permissions import P, permission_required


@bp.get("/equipment")
@permission_required(P.equipment_view)
def equipment_index():
    show_all = request.args.get("all") == "1"
    items, total = services.list_equipment(current_user, include_inactive=show_all, per_page=200)
    return render_template("metering/equipment.html", items=items, total=total, show_all=show_all,
                           status=services.status, warn_days=services.warn_days())


def _form(item=None):
    errors = {}
    if request.method == "POST":
        try:
            form = request.form.to_dict()
            if item is None:
                data = load(schemas.BenchEquipmentIn(), form)
                data.pop("client_id", None)
                item = services.create_equipment(current_user, data)
                message = _("%(name)s registered.", name=item.name)
            else:
                form.setdefault("active", "0")  # an unticked checkbox is not sent
                data = load(schemas.BenchEquipmentPatch(), form)
                services.update_equipment(current_user, item, data, data.pop("version", None))
                message = _("Changes saved.")
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("metering.equipment_index"))
        except Invalid as exc:
            db.session.rollback()
            errors = exc.errors
    values = request.form if request.method == "POST" else _values(item)
    return render_template("metering/equipment_form.html", item=item, values=values,
                           errors=errors), 422 if errors else 200


def _values(item) -> dict:
    if item is None:
        return {"active": True}
    return {k: getattr(item, k) for k in (*services.FIELDS, "version")}


@bp.route("/equipment/new", methods=["GET", "POST"])
@permission_required(P.equipment_manage)
def equipment_new():
    return _form()


@bp.route("/equipment/<int:equipment_id>/edit", methods=["GET", "POST"])
@permission_required(P.equipment_manage)
def equipment_edit(equipment_id):
    return _form(services.get_equipment(current_user, equipment_id))
