"""Internal audits and the management review: the programme, an audit with its findings, the year's
review with its inputs, decisions, approval and PDF."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import audit, clock, exports
from fieldsvc.hse.schemas import audits as schemas
from fieldsvc.hse.services import audits
from fieldsvc.hse.views import bp
from fieldsvc.hse.views.common import PER_PAGE, page_arg, staff_options
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import act, form_page, load_form, on_record


def _year_arg() -> int | None:
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else None


@bp.get("/audits")
@permission_required(P.audits_view)
def audit_programme():
    year = _year_arg() or clock.today().year
    q = (request.args.get("q") or "").strip()[:100]
    page = page_arg()
    items, total = audits.list_audits(current_user, year, q or None, page, PER_PAGE)
    return render_template("hse/audits.html", items=items, total=total, year=year, q=q, page=page,
                           per_page=PER_PAGE, reviews=audits.list_reviews(current_user))


def _audit_form(item=None):
    def process():
        data = load_form(schemas.AuditIn())
        if item is None:
            data.pop("version", None)
            record = audits.create_audit(current_user, data)
            flash(_("Audit planned."), "success")
        else:
            record = audits.update_audit(current_user, item, data, data.pop("version", None))
            flash(_("Changes saved."), "success")
        return redirect(url_for("hse.audit_item", audit_id=record.id))
    values = ({k: getattr(item, k) for k in (*audits.AUDIT_FIELDS, "version")} if item
              else {"auditor_id": current_user.id, "unit": "station"})
    return form_page("hse/audit_form.html", process, values, item=item, staff=staff_options())


@bp.route("/audits/new", methods=["GET", "POST"])
@permission_required(P.audits_manage)
def audit_new():
    return _audit_form()


@bp.route("/audits/<int:audit_id>/edit", methods=["GET", "POST"])
@permission_required(P.audits_manage)
def audit_edit(audit_id):
    return _audit_form(audits.get_audit(current_user, audit_id))


def _audit_page(item, values=None, errors=None, status=200):
    return render_template("hse/audit.html", item=item, history=audit.history(audits.AUDIT_ENTITY, item.id),
                           today=clock.today(), values=values or {}, errors=errors or {}), status


@bp.get("/audits/<int:audit_id>")
@permission_required(P.audits_view)
def audit_item(audit_id):
    return _audit_page(audits.get_audit(current_user, audit_id))


def _on_audit(audit_id, process):
    item = audits.get_audit(current_user, audit_id)
    return on_record(lambda **kw: _audit_page(audits.get_audit(current_user, audit_id), **kw),
                     lambda: process(item), url_for("hse.audit_item", audit_id=audit_id))


@bp.post("/audits/<int:audit_id>/conduct")
@permission_required(P.audits_manage)
def audit_conduct(audit_id):
    def process(item):
        data = load_form(schemas.ConductIn())
        audits.conduct(current_user, item, data["conducted_on"], data["summary"])
        return _("Audit recorded as conducted.")
    return _on_audit(audit_id, process)


@bp.post("/audits/<int:audit_id>/findings")
@permission_required(P.audits_manage)
def audit_finding(audit_id):
    def process(item):
        data = load_form(schemas.FindingIn())
        finding = audits.add_finding(current_user, item, data["clause"], data["description"])
        return _("Finding recorded: nonconformity %(number)s raised.", number=finding.nonconformity.number)
    return _on_audit(audit_id, process)


@bp.post("/audits/<int:audit_id>/cancel")
@permission_required(P.audits_manage)
def audit_cancel(audit_id):
    item = audits.get_audit(current_user, audit_id)
    return act(lambda: audits.cancel(current_user, item, request.form.get("reason", "")),
               _("Audit cancelled."), url_for("hse.audit_item", audit_id=audit_id))


@bp.get("/audits.xlsx")
@permission_required(P.audits_view)
def audit_export():
    year = _year_arg()
    header, rows = audits.export_rows(current_user, year)
    book = exports.Xlsx(_("Internal audit programme"))
    book.row(header, bold=True, fill="FFEEF1F5", wrap=True)
    for row in rows:
        book.row(row, wrap=True)
    for column, width in enumerate((30, 16, 30, 12, 12, 10, 12, 8, 20), start=1):
        book.width(column, width)
    book.freeze("A2")
    name = f"audit-programme-{year}.xlsx" if year else "audit-programme.xlsx"
    return Response(book.bytes(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- the management review --------------------------------------------------------------------------

@bp.route("/reviews/new", methods=["GET", "POST"])
@permission_required(P.audits_manage)
def review_new():
    def process():
        review = audits.create_review(current_user, load_form(schemas.ReviewIn()))
        flash(_("Management review prepared: the inputs are gathered."), "success")
        return redirect(url_for("hse.review_item", review_id=review.id))
    today = clock.today()
    return form_page("hse/review_form.html", process, {"year": today.year, "held_on": today})


def _review_page(item, values=None, errors=None, status=200):
    return render_template("hse/review.html", item=item, history=audit.history(audits.REVIEW_ENTITY, item.id),
                           staff=staff_options(), may_approve=audits.may_approve(current_user, item),
                           kpi_keys=audits.KPI_KEYS, values=values or {}, errors=errors or {}), status


@bp.get("/reviews/<int:review_id>")
@permission_required(P.audits_view)
def review_item(review_id):
    return _review_page(audits.get_review(current_user, review_id))


def _on_review(review_id, process, anchor=""):
    item = audits.get_review(current_user, review_id)
    return on_record(lambda **kw: _review_page(audits.get_review(current_user, review_id), **kw),
                     lambda: process(item), url_for("hse.review_item", review_id=review_id) + anchor)


@bp.post("/reviews/<int:review_id>/edit")
@permission_required(P.audits_manage)
def review_edit(review_id):
    def process(item):
        data = load_form(schemas.ReviewPatch())
        for key in ("input_notes", "conclusion"):
            data.setdefault(key, None)
        audits.update_review(current_user, item, data, data.pop("version", None))
        return _("Changes saved.")
    return _on_review(review_id, process)


@bp.post("/reviews/<int:review_id>/inputs")
@permission_required(P.audits_manage)
def review_inputs(review_id):
    def process(item):
        audits.gather_inputs(current_user, item)
        return _("Inputs gathered again from the records.")
    return _on_review(review_id, process)


@bp.post("/reviews/<int:review_id>/decisions")
@permission_required(P.audits_manage)
def review_decision(review_id):
    def process(item):
        audits.add_decision(current_user, item, load_form(schemas.ReviewDecisionIn()))
        return _("Decision added.")
    return _on_review(review_id, process, "#h-decisions")


@bp.post("/reviews/<int:review_id>/approve")
@permission_required(P.review_approve)
def review_approve(review_id):
    def process(item):
        audits.approve(current_user, item, request.form.get("version", type=int))
        return _("Management review approved.")
    return _on_review(review_id, process)


@bp.get("/reviews/<int:review_id>/review.pdf")
@permission_required(P.audits_view)
def review_pdf(review_id):
    item = audits.get_review(current_user, review_id)
    return Response(audits.review_pdf(current_user, item), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="management-review-{item.year}.pdf"',
        "Cache-Control": "private, no-store"})
