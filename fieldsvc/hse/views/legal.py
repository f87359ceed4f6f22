"""The register of legal and other requirements: list and search, a line with its evaluations and
history, the forms, the evaluation with its evidence photo, the XLSX export."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import audit, clock, exports
from fieldsvc.errors import Invalid
from fieldsvc.hse import rules_legal
from fieldsvc.hse.schemas import legal as schemas
from fieldsvc.hse.services import legal
from fieldsvc.hse.views import bp
from fieldsvc.hse.views.common import PER_PAGE, page_arg
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import act, form_page, load_form, on_record


@bp.get("/legal")
@permission_required(P.legal_view)
def legal_register():
    q = (request.args.get("q") or "").strip()[:100]
    due = request.args.get("due") == "1"
    status = "retired" if request.args.get("status") == "retired" else "active"
    page = page_arg()
    items, total = legal.list_requirements(current_user, q or None, due, page, PER_PAGE, clock.today(), status)
    return render_template("hse/legal_list.html", items=items, total=total, q=q, due=due, status=status, page=page,
                           per_page=PER_PAGE, today=clock.today(), due_status=rules_legal.evaluation_status)


def _form(item=None):
    def process():
        data = load_form(schemas.LegalPatch() if item else schemas.LegalIn())
        data.pop("client_id", None)
        if item is None:
            record = legal.create(current_user, data)
            flash(_("Requirement added to the register."), "success")
        else:
            data.setdefault("clause", None)
            record = legal.update(current_user, item, data, data.pop("version", None))
            flash(_("Changes saved."), "success")
        return redirect(url_for("hse.legal_item", legal_id=record.id))
    values = {k: getattr(item, k) for k in (*legal.FIELDS, "version")} if item else {"kind": "law"}
    return form_page("hse/legal_form.html", process, values, item=item)


@bp.route("/legal/new", methods=["GET", "POST"])
@permission_required(P.legal_manage)
def legal_new():
    return _form()


@bp.route("/legal/<int:legal_id>/edit", methods=["GET", "POST"])
@permission_required(P.legal_manage)
def legal_edit(legal_id):
    return _form(legal.get(current_user, legal_id))


def _page(item, values=None, errors=None, status=200):
    return render_template("hse/legal.html", item=item, history=audit.history(legal.ENTITY, item.id),
                           due=rules_legal.evaluation_status(item.next_review_on, clock.today()),
                           today=clock.today(), values=values or {}, errors=errors or {}), status


@bp.get("/legal/<int:legal_id>")
@permission_required(P.legal_view)
def legal_item(legal_id):
    return _page(legal.get(current_user, legal_id))


@bp.post("/legal/<int:legal_id>/evaluations")
@permission_required(P.legal_manage)
def legal_evaluate(legal_id):
    item = legal.get(current_user, legal_id)

    def process():
        data = load_form(schemas.EvaluationIn())
        upload = request.files.get("photo")
        photo = upload.read() if upload and upload.filename else None
        if photo is not None and not photo:
            raise Invalid({"photo": [_("The file is empty.")]})
        evaluation = legal.evaluate(current_user, item, data, photo)
        if evaluation.nonconformity is not None:
            return _("Not compliant: nonconformity %(number)s raised.", number=evaluation.nonconformity.number)
        return _("Compliance evaluation recorded.")
    return on_record(lambda **kw: _page(legal.get(current_user, legal_id), **kw), process,
                     url_for("hse.legal_item", legal_id=legal_id))


@bp.post("/legal/<int:legal_id>/retire")
@permission_required(P.legal_manage)
def legal_retire(legal_id):
    item = legal.get(current_user, legal_id)
    return act(lambda: legal.retire(current_user, item, request.form.get("reason", "")),
               _("Taken out of the active register."), url_for("hse.legal_item", legal_id=legal_id))


@bp.get("/legal.xlsx")
@permission_required(P.legal_view)
def legal_export():
    header, rows = legal.export_rows(current_user, clock.today())
    book = exports.Xlsx(_("Legal and other requirements"))
    book.row(header, bold=True, fill="FFEEF1F5", wrap=True)
    for row in rows:
        book.row(row, wrap=True)
    for column, width in enumerate((36, 14, 24, 30, 36, 14, 14, 12, 8), start=1):
        book.width(column, width)
    book.freeze("A2")
    return Response(book.bytes(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="legal-register.xlsx"'})
