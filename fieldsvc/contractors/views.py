"""Contractor pages: the register (search, licence state, export), a contractor with its supervisors,
trained people, permits and history; permits for work on customer premises."""
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.contractors import rules, schemas
from fieldsvc.contractors.services import exports, permits, register
from fieldsvc.contractors.services.common import history
from fieldsvc.customers.services import list_districts
from fieldsvc.exports import XLSX_MIMETYPE
from fieldsvc.permissions import ROLE_LABELS, P, permission_required
from fieldsvc.web import act, form_page, load_form, on_record

bp = Blueprint("contractors", __name__, url_prefix="/contractors")
PER_PAGE = 30


def _page() -> int:
    return max(request.args.get("page", 1, type=int), 1)


def _staff():
    return [(str(u.id), f"{u.name} · {ROLE_LABELS.get(u.role, u.role)}") for u in register.supervisor_choices()]


def _xlsx(body: bytes, name: str) -> Response:
    return Response(body, mimetype=XLSX_MIMETYPE, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                           "Cache-Control": "private, no-store"})


def _form_data(schema):
    """The posted form through the schema; the supervisors' checkboxes are a list."""
    values = request.form.to_dict()
    if "supervisor_ids" in request.form or request.form.get("supervisors_shown"):
        values["supervisor_ids"] = request.form.getlist("supervisor_ids")
    return load_form(schema, values)


# --- the register -----------------------------------------------------------------------------------

@bp.get("")
@permission_required(P.contractors_view)
def index():
    q = request.args.get("q", "").strip()
    state = request.args.get("state") if request.args.get("state") in ("expired", "expiring") else None
    page = _page()
    items, total = register.list_contractors(current_user, q or None, state, page=page, per_page=PER_PAGE)
    return render_template("contractors/index.html", items=items, total=total, q=q, state=state, page=page,
                           per_page=PER_PAGE, licence=register.licence)


@bp.get("/export.xlsx")
@permission_required(P.contractors_view)
def export():
    q = request.args.get("q", "").strip() or None
    return _xlsx(exports.contractors_xlsx(current_user, q), f"contractors-{clock.today().isoformat()}.xlsx")


@bp.route("/new", methods=["GET", "POST"])
@permission_required(P.contractors_manage)
def new():
    def process():
        contractor = register.create_contractor(current_user, _form_data(schemas.ContractorIn()))
        flash(_("Contractor %(name)s registered.", name=contractor.name), "success")
        return redirect(url_for("contractors.show", contractor_id=contractor.id))
    return form_page("contractors/form.html", process, {}, contractor=None, staff=_staff(), chosen=_chosen())


def _chosen(contractor=None) -> list[str]:
    if request.method == "POST":
        return request.form.getlist("supervisor_ids")
    return [str(s.user_id) for s in contractor.supervisors] if contractor else []


@bp.route("/<int:contractor_id>/edit", methods=["GET", "POST"])
@permission_required(P.contractors_manage)
def edit(contractor_id):
    contractor = register.get_contractor(current_user, contractor_id)

    def process():
        data = _form_data(schemas.ContractorPatch())
        register.update_contractor(current_user, contractor, data, data.pop("version", None))
        flash(_("Changes saved."), "success")
        return redirect(url_for("contractors.show", contractor_id=contractor.id))
    values = {k: getattr(contractor, k) for k in (*register.FIELDS, "version")}
    return form_page("contractors/form.html", process, values, contractor=contractor, staff=_staff(),
                     chosen=_chosen(contractor))


@bp.get("/<int:contractor_id>")
@permission_required(P.contractors_view)
def show(contractor_id):
    contractor = register.get_contractor(current_user, contractor_id)
    items, total = permits.list_permits(current_user, contractor_id=contractor.id, per_page=20)
    return render_template("contractors/contractor.html", contractor=contractor, licence=register.licence(contractor),
                           permits=items, permits_total=total, trained=_trained(contractor),
                           history=history(register.ENTITY, contractor.id))


def _trained(contractor):
    """The contractor's people trained in HSE sessions (when the HSE module is installed)."""
    import fieldsvc
    if "hse" not in fieldsvc.DOMAINS:
        return []
    from fieldsvc.hse.services import training_external
    return training_external.for_contractor(current_user, contractor.id)


@bp.post("/<int:contractor_id>/active")
@permission_required(P.contractors_manage)
def set_active(contractor_id):
    contractor = register.get_contractor(current_user, contractor_id)
    active = request.form.get("active") == "1"
    return act(lambda: register.set_active(current_user, contractor, active,
                                           request.form.get("version", type=int)),
               _("Reinstated in the register.") if active else _("Retired from the register."),
               url_for("contractors.show", contractor_id=contractor_id))


# --- permits ----------------------------------------------------------------------------------------

@bp.get("/permits")
@permission_required(P.contractors_view)
def permits_index():
    q = request.args.get("q", "").strip()
    status = request.args.get("status") if request.args.get("status") in rules.PERMIT_STATUSES else None
    page = _page()
    items, total = permits.list_permits(current_user, q or None, status, page=page, per_page=PER_PAGE)
    return render_template("contractors/permits.html", items=items, total=total, q=q, status=status, page=page,
                           per_page=PER_PAGE, may_issue=permits.may_manage(current_user), today=clock.today())


@bp.get("/permits/export.xlsx")
@permission_required(P.contractors_view)
def permits_export():
    q = request.args.get("q", "").strip() or None
    status = request.args.get("status") if request.args.get("status") in rules.PERMIT_STATUSES else None
    return _xlsx(exports.permits_xlsx(current_user, q, status), f"permits-{clock.today().isoformat()}.xlsx")


def _permit_form(permit=None):
    return {"contractors": [(str(c.id), f"{c.name} · {c.licence_no}") for c in register.all_active(current_user)],
            "districts": [(str(d.id), d.name) for d in list_districts()], "staff": _staff(), "permit": permit,
            "scoped": permits.district_scope(current_user) is not None}


@bp.route("/permits/new", methods=["GET", "POST"])
@permission_required(P.permits_manage)
def permit_new():
    today = clock.today().isoformat()
    values = {"valid_from": today, "valid_to": today,
              "contractor_id": request.args.get("contractor_id", type=int) or "",
              "customer_id": request.args.get("customer_id", type=int) or ""}

    def process():
        permit = permits.issue_permit(current_user, load_form(schemas.PermitIn()))
        flash(_("Permit %(number)s issued.", number=permit.number), "success")
        return redirect(url_for("contractors.permit", permit_id=permit.id))
    return form_page("contractors/permit_form.html", process, values, **_permit_form())


@bp.route("/permits/<int:permit_id>/edit", methods=["GET", "POST"])
@permission_required(P.permits_manage)
def permit_edit(permit_id):
    permit = permits.get_permit(current_user, permit_id)

    def process():
        data = load_form(schemas.PermitPatch())
        permits.update_permit(current_user, permit, data, data.pop("version", None))
        flash(_("Changes saved."), "success")
        return redirect(url_for("contractors.permit", permit_id=permit.id))
    values = {k: getattr(permit, k) for k in (*permits.FIELDS, "customer_id", "district_id", "contractor_id",
                                              "version")}
    return form_page("contractors/permit_form.html", process, values, **_permit_form(permit))


def _permit_page(permit, values=None, errors=None, status=200):
    return render_template("contractors/permit.html", permit=permit, manage=permits.may_manage(current_user, permit),
                           licence=register.licence(permit.contractor), history=history(permits.ENTITY, permit.id),
                           values=values or {}, errors=errors or {}), status


@bp.get("/permits/<int:permit_id>")
@permission_required(P.contractors_view)
def permit(permit_id):
    return _permit_page(permits.get_permit(current_user, permit_id))


@bp.post("/permits/<int:permit_id>/finish")
@permission_required(P.permits_manage)
def permit_finish(permit_id):
    item = permits.get_permit(current_user, permit_id)

    def process():
        data = load_form(schemas.PermitFinishIn())
        permits.finish(current_user, item, data["to"], data.get("note"), data.get("version"))
        return _("Work finished.") if data["to"] == "closed" else _("Permit cancelled.")
    return on_record(lambda **kw: _permit_page(item, **kw), process,
                     url_for("contractors.permit", permit_id=permit_id))

