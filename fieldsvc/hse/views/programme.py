"""Objectives and targets with their progress; self-inspections and their findings."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.hse import schemas
from fieldsvc.hse.services import programme
from fieldsvc.hse.services.common import default_unit
from fieldsvc.hse.views import bp
from fieldsvc.hse.views.common import HSE_WRITE, any_of, staff_options
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import act, form_page, load_form


@bp.get("/targets")
@permission_required(P.hse_view)
def targets():
    year = request.args.get("year", clock.today().year, type=int)
    unit = request.args.get("unit") or None
    items = [(o, *programme.progress(o)) for o in programme.list_objectives(current_user, year, unit)]
    return render_template("hse/targets.html", items=items, year=year, unit=unit)


@bp.route("/targets/new", methods=["GET", "POST"])
@permission_required(P.hse_manage)
def new_target():
    def process():
        objective = programme.create_objective(current_user, load_form(schemas.HseObjectiveIn()))
        flash(_("Objective added."), "success")
        return redirect(url_for("hse.target", objective_id=objective.id))
    return form_page("hse/target_form.html", process, {"year": clock.today().year, "direction": "at_least"},
                     staff=staff_options())


@bp.route("/targets/<int:objective_id>", methods=["GET", "POST"])
@permission_required(P.hse_view)
def target(objective_id):
    objective = programme.get_objective(current_user, objective_id)

    def process():
        data = load_form(schemas.ProgressIn())
        programme.report_progress(current_user, objective, data["actual_value"], data["as_of"], data.get("note"))
        flash(_("Progress recorded."), "success")
        return redirect(url_for("hse.target", objective_id=objective_id))
    pct, achieved = programme.progress(objective)
    return form_page("hse/target.html", process, {"as_of": clock.today().isoformat()}, objective=objective,
                     pct=pct, achieved=achieved)


@bp.post("/targets/<int:objective_id>/close")
@permission_required(P.hse_manage)
def close_target(objective_id):
    objective = programme.get_objective(current_user, objective_id)
    return act(lambda: programme.close_objective(current_user, objective), _("Objective closed."),
               url_for("hse.target", objective_id=objective_id))


@bp.route("/inspections", methods=["GET", "POST"])
@permission_required(P.hse_view)
def inspections():
    def process():
        data = load_form(schemas.InspectionIn())
        inspection = programme.start_inspection(current_user, data["unit"], data["period"], data["held_on"])
        flash(_("Self-inspection started with the department's checklist."), "success")
        return redirect(url_for("hse.inspection", inspection_id=inspection.id))
    today = clock.today()
    return form_page("hse/inspections.html", process,
                     {"period": today.strftime("%Y-%m"), "held_on": today.isoformat(),
                      "unit": default_unit(current_user)},
                     items=programme.list_inspections(current_user, request.args.get("unit") or None))


@bp.route("/inspections/<int:inspection_id>", methods=["GET", "POST"])
@permission_required(P.hse_view)
def inspection(inspection_id):
    record = programme.get_inspection(current_user, inspection_id)

    def process():
        results = {item.id: (request.form.get(f"result_{item.id}") or None, request.form.get(f"note_{item.id}"))
                   for item in record.items}
        programme.record_results(current_user, record, results)
        if request.form.get("complete") == "1":
            programme.complete_inspection(current_user, record)
            flash(_("Self-inspection completed."), "success")
        else:
            flash(_("Results saved."), "success")
        return redirect(url_for("hse.inspection", inspection_id=inspection_id))
    return form_page("hse/inspection.html", process, {}, inspection=record)


@bp.post("/inspections/items/<int:item_id>/raise")
@any_of(*HSE_WRITE)
def raise_from_item(item_id):
    item = programme.get_item(current_user, item_id)
    holder = {}

    def process():
        holder["nc"] = programme.raise_nonconformity(current_user, item)
    response = act(process, _("Nonconformity raised from the finding."),
                   url_for("hse.inspection", inspection_id=item.inspection_id))
    if "nc" in holder:
        return redirect(url_for("hse.nonconformity", nc_id=holder["nc"].id))
    return response
