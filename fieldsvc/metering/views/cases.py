"""Complaint verification pages: orders waiting for a removal, the removal form at the customer, the
case (hand-over target, in-service test, back-billing estimate with its inputs)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.metering import rules, schemas
from fieldsvc.metering.services import cases as services
from fieldsvc.metering.views import PER_PAGE, bp
from fieldsvc.metering.views.tests import entry_form, submit_test
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import form_page, load_form


@bp.get("/cases")
@permission_required(P.lab_cases_view)
def cases():
    status = request.args.get("status") if request.args.get("status") in ("removed", "in_lab", "tested") else None
    page = max(request.args.get("page", 1, type=int), 1)
    items, total = services.list_cases(current_user, status, page, PER_PAGE)
    return render_template("metering/cases.html", items=items, total=total, page=page, per_page=PER_PAGE,
                           status=status, orders=services.orders_to_start(current_user),
                           overdue=services.overdue, on_time=services.on_time)


@bp.route("/cases/new", methods=["GET", "POST"])
@permission_required(P.lab_cases)
def case_new():
    order = services.order_for_case(current_user, request.values.get("work_order_id", type=int) or 0)
    meters = [m for m in order.customer.meters if m.status == "installed"]

    def process():
        case = services.open_case(current_user, order, load_form(schemas.CaseOpenIn()))
        flash(_("Meter removed and spare installed. Hand the meter to the lab by %(date)s.",
                date=case.due_on.isoformat()), "success")
        return redirect(url_for("metering.case", case_id=case.id))
    return form_page("metering/case_new.html", process, {
        "removed_on": clock.today().isoformat(), "spare_start_reading": "0",
        "meter_id": meters[0].id if len(meters) == 1 else ""}, order=order, meters=meters)


def _case_page(case, errors=None, values=None, status=200):
    return render_template("metering/case.html", case=case, errors=errors or {}, values=values or {},
                           on_time=services.on_time(case), overdue=services.overdue(case),
                           period=services.period(case), months=services.backbill_months(),
                           readings=services.readings_available()), status


@bp.get("/cases/<int:case_id>")
@permission_required(P.lab_cases_view)
def case(case_id):
    return _case_page(services.get_case(current_user, case_id))


@bp.post("/cases/<int:case_id>/receive")
@permission_required(P.lab_cases)
def case_receive(case_id):
    services.receive(current_user, services.get_case(current_user, case_id))
    flash(_("Meter received in the lab."), "success")
    return redirect(url_for("metering.case", case_id=case_id))


@bp.route("/cases/<int:case_id>/test", methods=["GET", "POST"])
@permission_required(P.lab_cases)
def case_test(case_id):
    item = services.get_case(current_user, case_id)
    meter = item.meter

    def process():
        test = submit_test(request.form, schemas.MeterTestCorrectionFormIn(),
                           lambda d: services.record_case_test(current_user, item, d),
                           verification=rules.Verification.in_service.value)
        flash(_("In-service test recorded: %(result)s.", result=_("pass") if test.ok else _("fail")),
              "success" if test.ok else "warning")
        return redirect(url_for("metering.case", case_id=item.id))
    values = {f"points-{i}-flow_m3h": f for i, f in enumerate(rules.default_flows(meter.size))}
    return entry_form(meter, {**values, "verification": rules.Verification.in_service.value}, process, case=item)


@bp.post("/cases/<int:case_id>/billed")
@permission_required(P.lab_cases)
def case_billed(case_id):
    item = services.get_case(current_user, case_id)
    try:
        data = load_form(schemas.BilledIn())
        services.enter_billed_volume(current_user, item, data["billed_m3"], data.get("billed_amount"))
    except Invalid as exc:
        db.session.rollback()  # the case is drawn again from what is stored
        return _case_page(item, exc.errors, request.form, 422)
    flash(_("Back-billing estimate computed."), "success")
    return redirect(url_for("metering.case", case_id=item.id))
