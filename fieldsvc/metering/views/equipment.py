"""The bench equipment register: list with calibration reminders, register and renew a standard."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.metering import schemas
from fieldsvc.metering.services import equipment as services
from fieldsvc.metering.views import bp
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import form_page, load_form


@bp.get("/equipment")
@permission_required(P.equipment_view)
def equipment_index():
    show_all = request.args.get("all") == "1"
    items, total = services.list_equipment(current_user, include_inactive=show_all, per_page=200)
    return render_template("metering/equipment.html", items=items, total=total, show_all=show_all,
                           status=services.status, warn_days=services.warn_days())


def _form(item=None):
    def process():
        form = request.form.to_dict()
        if item is None:
            data = load_form(schemas.BenchEquipmentIn(), form)
            data.pop("client_id", None)
            created = services.create_equipment(current_user, data)
            flash(_("%(name)s registered.", name=created.name), "success")
        else:
            form.setdefault("active", "0")  # an unticked checkbox is not sent
            data = load_form(schemas.BenchEquipmentPatch(), form)
            services.update_equipment(current_user, item, data, data.pop("version", None))
            flash(_("Changes saved."), "success")
        return redirect(url_for("metering.equipment_index"))
    return form_page("metering/equipment_form.html", process, _values(item), item=item)


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
