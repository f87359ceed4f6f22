"""Bench test pages: the lab's start page, the test-entry form (tablet and desktop, works on a phone),
a test's result with the checker's and head's actions, and corrections."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.metering import rules, schemas
from fieldsvc.metering.services import documents, equipment, meter_tests
from fieldsvc.metering.views import PER_PAGE, bp, form_points, point_errors
from fieldsvc.permissions import P, can, permission_required
from fieldsvc.web import flatten, form_page, load_form

POINT_ROWS = 5  # the three default points and two spare rows


def submit_test(form, schema, create, **extra):
    """Validate a submitted test form and call `create(data)`; every error on a point (from the schema
    or from the rules) comes back on the form row it was typed in."""
    points, origin = form_points(form, POINT_ROWS)
    data = {k: v for k, v in form.to_dict().items() if not k.startswith("points-")}
    data.update(extra, points=points)
    try:
        data = load_form(schema, data)
        data.pop("client_id", None)
        return create(data)
    except Invalid as exc:
        errors, marked = point_errors(flatten(exc.errors), origin)  # the rules' errors come nested
        if marked:
            errors["points"] = [_("Check the marked flow points.")]
        raise Invalid(errors) from exc


def form_values(meter, test=None) -> dict:
    """Prefill: the default flows of the meter's size, or the values of the test being corrected."""
    if test is not None:
        values = {k: getattr(test, k) for k in ("verification", "equipment_id", "leak_equipment_id",
                                                "temperature_c", "humidity_pct", "pressure_loss_pa", "note")}
        values["leak_test_ok"] = "1" if test.leak_test_ok else "0"
        for i, p in enumerate(test.points):
            values.update({f"points-{i}-flow_m3h": p.flow_m3h, f"points-{i}-reference_l": p.reference_l,
                           f"points-{i}-indicated_l": p.indicated_l})
        return values
    values = {"verification": meter_tests.default_verification(meter).value}
    for i, flow in enumerate(rules.default_flows(meter.size)):
        values[f"points-{i}-flow_m3h"] = flow
    return values


def equipment_options(kind: str = rules.EquipmentKind.flow_standard) -> list[tuple[int, str]]:
    """Approved equipment of that kind, in calibration today (flow standards, or leak benches)."""
    return [(e.id, _("%(name)s · %(serial)s (calibrated until %(date)s)", name=e.name, serial=e.serial_no,
                     date=format_date(e.calibration_expires_on)))
            for e in equipment.usable_equipment(current_user, kind)]


def bench_options() -> dict:
    """The template context of metering/_bench_selects.html."""
    return {"equipment_options": equipment_options(),
            "leak_options": equipment_options(rules.EquipmentKind.leak_bench)}


def entry_form(meter, values, process, **ctx):
    """The test-entry form (metering/test_form.html): GET shows `values`; POST runs `process`, and on
    Invalid the form comes back with what was typed (fieldsvc.web.form_page)."""
    return form_page("metering/test_form.html", process, values, meter=meter, rows=POINT_ROWS,
                     figures=rules.page_figures(meter.size, meter.accuracy_class), **bench_options(), **ctx)


@bp.get("/")
@permission_required(P.meter_tests_view)
def index():
    pending, pending_total = meter_tests.list_tests(current_user, state="pending", per_page=20)
    reminders = equipment.reminders(current_user) if can(current_user, P.equipment_view) else []
    return render_template("metering/index.html", pending=pending, pending_total=pending_total,
                           reminders=reminders, equipment_status=equipment.status)


@bp.get("/tests")
@permission_required(P.meter_tests_view)
def tests():
    q = request.args.get("q", "").strip()
    state = request.args.get("state") if request.args.get("state") in ("pending", "issued") else None
    page = max(request.args.get("page", 1, type=int), 1)
    items, total = meter_tests.list_tests(current_user, q or None, state, page, PER_PAGE)
    return render_template("metering/tests.html", items=items, total=total, q=q, state=state, page=page,
                           per_page=PER_PAGE)


@bp.route("/tests/new", methods=["GET", "POST"])
@permission_required(P.meter_tests_record)
def new_test():
    serial = (request.values.get("serial_no") or "").strip()
    if not serial:
        return render_template("metering/test_pick.html", serial="", errors={})
    try:
        meter = meter_tests.get_meter_by_serial(current_user, serial)
    except Invalid as exc:
        return render_template("metering/test_pick.html", serial=serial, errors=exc.errors), 422

    def process():
        test = submit_test(request.form, schemas.MeterTestFormIn(),
                           lambda data: meter_tests.record_test(current_user, data), meter_id=meter.id)
        flash(_("Test recorded: %(result)s.", result=_("pass") if test.ok else _("fail")),
              "success" if test.ok else "warning")
        return redirect(url_for("metering.test", test_id=test.id))
    return entry_form(meter, form_values(meter) if request.method == "GET" else None, process)


@bp.get("/tests/<int:test_id>")
@permission_required(P.meter_tests_view)
def test(test_id):
    item = meter_tests.get_test(current_user, test_id)
    return render_template("metering/test.html", test=item, **_test_context(item))


def _test_context(item, errors=None, values=None) -> dict:
    document = item.document
    return {"correction": meter_tests.correction_of(item),
            "checker_options": documents.checker_options(current_user, item.tester_id) if document is None else [],
            "may_check": documents.may_check(current_user, item), "errors": errors or {},
            "values": values or {}, "document": document,
            "document_status": documents.status(document) if document else None,
            "verify_url": documents.verify_url(document.number) if document else None,
            "pdf_url": documents.pdf_url(document.number) if document else None}


@bp.post("/tests/<int:test_id>/check")
@permission_required(P.meter_tests_check)
def check(test_id):
    item = meter_tests.get_test(current_user, test_id)
    try:
        documents.check_test(current_user, item)
    except Invalid as exc:
        db.session.rollback()  # the test is drawn again from what is stored
        return render_template("metering/test.html", test=item, **_test_context(item, exc.errors)), 422
    flash(_("You confirmed the test as its checker."), "success")
    return redirect(url_for("metering.test", test_id=item.id))


@bp.post("/tests/<int:test_id>/issue")
@permission_required(P.documents_issue)
def issue(test_id):
    item = meter_tests.get_test(current_user, test_id)
    try:
        data = load_form(schemas.IssueDocumentIn())
        document = documents.issue(current_user, item, data.get("checker_id"))
    except Invalid as exc:
        db.session.rollback()  # the test is drawn again from what is stored
        return render_template("metering/test.html", test=item,
                               **_test_context(item, exc.errors, request.form)), 422
    flash(_("%(kind)s %(number)s issued.", kind=_label_kind(document.kind), number=document.number), "success")
    return redirect(url_for("metering.test", test_id=item.id))


def _label_kind(kind: str) -> str:
    return label(kind, "document_kind")


@bp.route("/tests/<int:test_id>/correct", methods=["GET", "POST"])
@permission_required(P.meter_tests_record)
def correct(test_id):
    original = meter_tests.get_test(current_user, test_id)

    def process():
        test = submit_test(request.form, schemas.MeterTestCorrectionFormIn(),
                           lambda data: meter_tests.correct_test(current_user, original, data))
        flash(_("Correction recorded. Issue it to supersede the earlier document."), "success")
        return redirect(url_for("metering.test", test_id=test.id))
    return entry_form(original.meter, form_values(original.meter, original) if request.method == "GET" else None,
                     process, original=original)
