"""The bench equipment register: list with calibration reminders and approvals, a standard's page with
its calibration history (the head approves or rejects there), register, edit and renew a calibration."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.errors import Conflict
from fieldsvc.labels import label
from fieldsvc.metering import rules, schemas
from fieldsvc.metering.services import equipment as services
from fieldsvc.metering.views import bp
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import act, form_page, load_form, on_record

KINDS = services.KINDS
STATUSES = tuple(a.value for a in rules.Approval)


def _photo() -> bytes | None:
    upload = request.files.get("certificate_photo")
    if upload is None or not upload.filename:
        return None
    return upload.read()


@bp.get("/equipment")
@permission_required(P.equipment_view)
def equipment_index():
    show_all = request.args.get("all") == "1"
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else None
    q = (request.args.get("q") or "").strip()[:60]
    items, total = services.list_equipment(current_user, include_inactive=show_all, per_page=200, status=status,
                                           kind=kind, q=q or None)
    return render_template("metering/equipment.html", items=items, total=total, show_all=show_all,
                           status=services.status, warn_days=services.warn_days(), filter_status=status,
                           filter_kind=kind, q=q, awaits=services.awaits_approval)


def _form(item=None):
    def process():
        form = request.form.to_dict()
        if item is None:
            data = load_form(schemas.EquipmentFormIn(), form)
            data.pop("client_id", None)
            created = services.create_equipment(current_user, data, _photo())
            flash(_("%(name)s registered: it waits for the metering head's approval.", name=created.name),
                  "success")
            return redirect(url_for("metering.equipment_item", equipment_id=created.id))
        form.setdefault("active", "0")  # an unticked checkbox is not sent
        data = load_form(schemas.BenchEquipmentPatch(), form)
        for key in ("calibration_cert", "calibration_expires_on", "calibrated_on"):
            data.pop(key, None)  # a new certificate is a renewal (its own page)
        was = item.status
        services.update_equipment(current_user, item, data, data.pop("version", None))
        if was == rules.Approval.approved and item.status == rules.Approval.pending:
            flash(_("Changes saved. The new kind waits for the metering head's approval."), "warning")
        else:
            flash(_("Changes saved."), "success")
        return redirect(url_for("metering.equipment_item", equipment_id=item.id))
    return form_page("metering/equipment_form.html", process, _values(item), item=item,
                     kind_options=_kind_options())


def _kind_options() -> list[tuple[str, str]]:
    return [(k, label(k, "equipment_kind")) for k in KINDS]


def _values(item) -> dict:
    if item is None:
        return {"active": True, "kind": rules.EquipmentKind.flow_standard.value}
    return {k: getattr(item, k) for k in (*services.FIELDS, "version")}


@bp.route("/equipment/new", methods=["GET", "POST"])
@permission_required(P.equipment_manage)
def equipment_new():
    return _form()


@bp.route("/equipment/<int:equipment_id>/edit", methods=["GET", "POST"])
@permission_required(P.equipment_manage)
def equipment_edit(equipment_id):
    return _form(services.get_equipment(current_user, equipment_id))


def _item_page(item, values=None, errors=None, status=200):
    return render_template("metering/equipment_item.html", item=item, history=services.history(current_user, item),
                           pending=services.pending_calibration(item), calibration_status=services.status(item),
                           values=values or {}, errors=errors or {}), status


@bp.get("/equipment/<int:equipment_id>")
@permission_required(P.equipment_view)
def equipment_item(equipment_id):
    return _item_page(services.get_equipment(current_user, equipment_id))


@bp.route("/equipment/<int:equipment_id>/renew", methods=["GET", "POST"])
@permission_required(P.equipment_manage)
def equipment_renew(equipment_id):
    item = services.get_equipment(current_user, equipment_id)

    def process():
        data = load_form(schemas.RenewalFormIn())
        services.renew(current_user, item, data, _photo())
        flash(_("New calibration recorded: it comes into force when the metering head approves it."), "success")
        return redirect(url_for("metering.equipment_item", equipment_id=item.id))
    try:
        if services.pending_calibration(item) is not None:
            raise Conflict(_("A calibration of this equipment already waits for the metering head's approval."))
        return form_page("metering/equipment_renew.html", process, {}, item=item)
    except Conflict as exc:
        flash(exc.message, "error")
        return redirect(url_for("metering.equipment_item", equipment_id=item.id))


@bp.post("/equipment/<int:equipment_id>/approve")
@permission_required(P.equipment_approve)
def equipment_approve(equipment_id):
    item = services.get_equipment(current_user, equipment_id)
    return act(lambda: services.approve(current_user, item), _("Approved."),
               url_for("metering.equipment_item", equipment_id=item.id))


@bp.post("/equipment/<int:equipment_id>/reject")
@permission_required(P.equipment_approve)
def equipment_reject(equipment_id):
    item = services.get_equipment(current_user, equipment_id)

    def process():
        data = load_form(schemas.EquipmentRejectIn())
        services.reject(current_user, item, data["reason"])
        return _("Rejected.")
    return on_record(lambda values, errors, status: _item_page(item, values, errors, status), process,
                     url_for("metering.equipment_item", equipment_id=item.id))
