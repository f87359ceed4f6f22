"""Customer change request pages: the list (search, filters, XLSX), the request form, the request's page
with approve / reject. Each handler: parse → service → respond; refused forms keep what was typed."""
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.customers import change_schemas as schemas
from fieldsvc.customers import services
from fieldsvc.customers.services import change_export, changes
from fieldsvc.errors import Invalid
from fieldsvc.exports import XLSX_MIMETYPE
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import form_page, load_form, on_record

bp = Blueprint("customer_changes", __name__, url_prefix="/customer-changes")
PER_PAGE = 30


def _filters() -> dict:
    status = request.args.get("status") or None
    kind = request.args.get("kind") or None
    return {"q": request.args.get("q", "").strip()[:100] or None,
            "status": status if status in schemas.STATUSES else None,
            "kind": kind if kind in schemas.KINDS else None}


@bp.get("/")
@permission_required(P.customer_changes_view)
def index():
    filters = _filters()
    page = max(request.args.get("page", 1, type=int), 1)
    items, total = changes.list_changes(current_user, **filters, page=page, per_page=PER_PAGE)
    return render_template("customers/changes/index.html", items=items, total=total, page=page,
                           per_page=PER_PAGE, filters=filters)


@bp.get("/export.xlsx")
@permission_required(P.customer_changes_view)
def export():
    body = change_export.workbook(current_user, **_filters())
    name = f"customer-changes-{clock.today().isoformat()}.xlsx"
    return Response(body, mimetype=XLSX_MIMETYPE, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/new", methods=["GET", "POST"])
@permission_required(P.customer_changes_request)
def new():
    customer_id = request.args.get("customer_id", type=int)
    customer = services.get_customer(current_user, customer_id) if customer_id else None

    def process():
        data = load_form(schemas.ChangeForm())
        data.pop("customer_id", None)
        photo = request.files.get("id_photo")
        change = changes.request_change(current_user, data, photo.read() if photo else None)
        flash(_("Change request %(id)s recorded: it waits for approval.", id=change.id), "success")
        return redirect(url_for("customer_changes.show", change_id=change.id))
    values = {"account_no": customer.account_no if customer else "", "kind": request.args.get("kind", "transfer"),
              "effective_on": clock.today().isoformat()}
    return form_page("customers/changes/form.html", process, values, customer=customer)


def _show(change_id: int, values=None, errors=None, status: int = 200):
    change = changes.get_change(current_user, change_id)
    return render_template("customers/changes/show.html", c=change, moves=changes.available_moves(current_user, change),
                           values=values or {}, errors=errors or {}), status


@bp.get("/<int:change_id>")
@permission_required(P.customer_changes_view)
def show(change_id):
    return _show(change_id)


@bp.post("/<int:change_id>/approve")
@permission_required(P.customer_changes_approve)
def approve(change_id):
    def process():
        data = load_form(schemas.ChangeDecisionIn())
        changes.approve(current_user, change_id, data, data.pop("version", None))
        return _("Request approved and applied.")
    return on_record(lambda **kw: _show(change_id, **kw), process,
                     url_for("customer_changes.show", change_id=change_id))


@bp.post("/<int:change_id>/reject")
@permission_required(P.customer_changes_approve)
def reject(change_id):
    def process():
        # The page's field is `reject_reason` (the approve form on the same page has its own `reason`).
        try:
            data = load_form(schemas.ChangeRejectIn(), {"reason": request.form.get("reject_reason", ""),
                                                  "version": request.form.get("version", "")})
            changes.reject(current_user, change_id, data["reason"], data.get("version"))
        except Invalid as exc:
            raise Invalid({("reject_reason" if k == "reason" else k): v for k, v in exc.errors.items()}) from exc
        return _("Request rejected.")
    return on_record(lambda **kw: _show(change_id, **kw), process,
                     url_for("customer_changes.show", change_id=change_id))
