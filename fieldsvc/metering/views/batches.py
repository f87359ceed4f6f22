"""Batch sessions: open one (shared bench and ambient), scan meter after meter, report and issue."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.metering import rules, schemas
from fieldsvc.metering.services import batches as services
from fieldsvc.metering.services import documents
from fieldsvc.metering.views import PER_PAGE, bp
from fieldsvc.metering.views.tests import POINT_ROWS, bench_options, submit_test
from fieldsvc.permissions import P, can, permission_required
from fieldsvc.web import form_page, load_form


@bp.route("/batches", methods=["GET", "POST"])
@permission_required(P.meter_tests_view)
def batches():
    def process():
        batch = services.open_batch(current_user, load_form(schemas.BatchOpenIn()))
        return redirect(url_for("metering.batch", batch_id=batch.id))
    page = max(request.args.get("page", 1, type=int), 1)
    items, total = services.list_batches(current_user, page, PER_PAGE)
    options = bench_options() if can(current_user, P.meter_tests_record) else {"equipment_options": [],
                                                                                "leak_options": []}
    return form_page("metering/batches.html", process, {"verification": rules.Verification.initial.value},
                     items=items, total=total, page=page, per_page=PER_PAGE, **options,
                     summary=services.summary)


def _batch_page(batch, meter=None, values=None, errors=None, status=200):
    return render_template("metering/batch.html", batch=batch, meter=meter, values=values or {}, errors=errors or {},
                           rows=POINT_ROWS, checker_options=documents.checker_options(current_user, batch.tester_id),
                           figures=rules.page_figures(meter.size, meter.accuracy_class) if meter else None,
                           **services.summary(batch)), status


@bp.get("/batches/<int:batch_id>")
@permission_required(P.meter_tests_view)
def batch(batch_id):
    item = services.get_batch(current_user, batch_id)
    serial = (request.args.get("serial_no") or "").strip()
    if not serial:
        return _batch_page(item)
    try:
        meter = services.meter_for_batch(current_user, item, serial)
    except Invalid as exc:
        return _batch_page(item, values={"serial_no": serial}, errors=exc.errors, status=422)
    values = {f"points-{i}-flow_m3h": f for i, f in enumerate(rules.default_flows(meter.size))}
    return _batch_page(item, meter, values)


@bp.post("/batches/<int:batch_id>")
@permission_required(P.meter_tests_record)
def batch_add(batch_id):
    item = services.get_batch(current_user, batch_id)
    serial = (request.form.get("serial_no") or "").strip()
    try:
        meter = services.meter_for_batch(current_user, item, serial)
    except Invalid as exc:
        return _batch_page(item, values=request.form, errors=exc.errors, status=422)
    try:
        test = submit_test(request.form, schemas.BatchTestIn(), lambda d: services.add_test(current_user, item, meter, d))
    except Invalid as exc:
        db.session.rollback()  # the session is drawn again from what is stored
        return _batch_page(item, meter, request.form, exc.errors, 422)
    flash(_("%(serial)s: %(result)s. Scan the next meter.", serial=meter.serial_no,
            result=_("pass") if test.ok else _("fail")), "success" if test.ok else "warning")
    return redirect(url_for("metering.batch", batch_id=item.id))


@bp.post("/batches/<int:batch_id>/close")
@permission_required(P.meter_tests_record)
def batch_close(batch_id):
    services.close_batch(current_user, services.get_batch(current_user, batch_id))
    flash(_("Session closed."), "success")
    return redirect(url_for("metering.batch", batch_id=batch_id))


@bp.post("/batches/<int:batch_id>/issue")
@permission_required(P.documents_issue)
def batch_issue(batch_id):
    item = services.get_batch(current_user, batch_id)
    try:
        data = load_form(schemas.IssueDocumentIn())
        issued = services.issue_batch(current_user, item, data.get("checker_id"))
    except Invalid as exc:
        db.session.rollback()  # the session is drawn again from what is stored
        return _batch_page(item, values=request.form, errors=exc.errors, status=422)
    flash(_("%(n)d documents issued.", n=len(issued)), "success")
    return redirect(url_for("metering.batch", batch_id=item.id))


@bp.get("/batches/<int:batch_id>/report.pdf")
@permission_required(P.meter_tests_view)
def batch_report(batch_id):
    item = services.get_batch(current_user, batch_id)
    response = Response(services.report_pdf(current_user, item), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="batch-{item.id}.pdf"'
    return response
