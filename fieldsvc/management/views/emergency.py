"""Emergency plan pages: the plans by scenario (search, review dates, export), a plan with its call list
as tap-to-call links (the phone page crews open in an emergency), drills with participants, timings, the
evaluation and its actions (→ nonconformities)."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.customers.services import list_districts
from fieldsvc.exports import XLSX_MIMETYPE
from fieldsvc.management import rules_emergency as rules
from fieldsvc.management.schemas import emergency as schemas
from fieldsvc.management.services import checks, drills, emergency_exports, emergency_plans
from fieldsvc.management.services.common import history, staff
from fieldsvc.management.views import PER_PAGE, bp, page_arg
from fieldsvc.permissions import ROLE_LABELS, P, can, permission_required
from fieldsvc.web import act, form_page, load_form, on_record


def _staff():
    return [(str(u.id), f"{u.name} · {ROLE_LABELS.get(u.role, u.role)}") for u in staff()]


def _local(moment) -> str:
    return moment.astimezone(clock.zone()).strftime("%Y-%m-%dT%H:%M") if moment else ""


def _xlsx(body: bytes, name: str) -> Response:
    return Response(body, mimetype=XLSX_MIMETYPE, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                           "Cache-Control": "private, no-store"})


@bp.get("/emergency-plans")
@permission_required(P.emergency_plans_view)
def eplans_index():
    q = request.args.get("q", "").strip()
    scenario = request.args.get("scenario") if request.args.get("scenario") in rules.SCENARIOS else None
    page = page_arg()
    items, total = emergency_plans.list_plans(current_user, q or None, scenario, page=page, per_page=PER_PAGE)
    return render_template("management/eplans.html", items=items, total=total, q=q, scenario=scenario, page=page,
                           per_page=PER_PAGE, review=emergency_plans.review, scenarios=rules.SCENARIOS,
                           due=emergency_plans.reviews_due(current_user), drills=drills.recent(current_user, 10))


@bp.get("/emergency-plans/export.xlsx")
@permission_required(P.emergency_plans_view)
def eplans_export():
    return _xlsx(emergency_exports.plans_xlsx(current_user), f"emergency-plans-{clock.today().isoformat()}.xlsx")


@bp.get("/emergency-plans/drills.xlsx")
@permission_required(P.emergency_plans_view)
def drills_export():
    return _xlsx(emergency_exports.drills_xlsx(current_user), f"emergency-drills-{clock.today().isoformat()}.xlsx")


@bp.route("/emergency-plans/new", methods=["GET", "POST"])
@permission_required(P.emergency_plans_manage)
def eplan_new():
    def process():
        plan = emergency_plans.create_plan(current_user, load_form(schemas.PlanIn()))
        flash(_("Emergency plan written."), "success")
        return redirect(url_for("management.eplan", eplan_id=plan.id))
    return form_page("management/eplan_form.html", process, {"scenario": request.args.get("scenario")}, plan=None)


@bp.route("/emergency-plans/<int:eplan_id>/edit", methods=["GET", "POST"])
@permission_required(P.emergency_plans_manage)
def eplan_edit(eplan_id):
    plan = emergency_plans.get_plan(current_user, eplan_id)

    def process():
        data = load_form(schemas.PlanPatch())
        data["active"] = request.form.get("active") == "1"
        emergency_plans.update_plan(current_user, plan, data, data.pop("version", None))
        flash(_("Changes saved."), "success")
        return redirect(url_for("management.eplan", eplan_id=plan.id))
    values = {k: getattr(plan, k) for k in (*emergency_plans.FIELDS, "active", "version")}
    return form_page("management/eplan_form.html", process, values, plan=plan)


def _plan_page(plan, values=None, errors=None, status=200):
    return render_template("management/eplan.html", plan=plan, review=emergency_plans.review(plan),
                           calls=emergency_plans.call_list(plan), manage=can(current_user, P.emergency_plans_manage),
                           may_drill=drills.may_manage(current_user), staff=_staff(),
                           history=history(emergency_plans.ENTITY, plan.id, last=30),
                           values=values or {}, errors=errors or {}), status


@bp.get("/emergency-plans/<int:eplan_id>")
@permission_required(P.emergency_plans_view)
def eplan(eplan_id):
    return _plan_page(emergency_plans.get_plan(current_user, eplan_id))


@bp.post("/emergency-plans/<int:eplan_id>/contacts")
@permission_required(P.emergency_plans_manage)
def eplan_contact_add(eplan_id):
    plan = emergency_plans.get_plan(current_user, eplan_id)

    def process():
        emergency_plans.add_contact(current_user, plan, load_form(schemas.ContactIn()))
        return _("Added to the call list.")
    return on_record(lambda **kw: _plan_page(plan, **kw), process,
                     url_for("management.eplan", eplan_id=eplan_id) + "#h-calls")


@bp.post("/emergency-plans/<int:eplan_id>/contacts/<int:contact_id>/remove")
@permission_required(P.emergency_plans_manage)
def eplan_contact_remove(eplan_id, contact_id):
    plan = emergency_plans.get_plan(current_user, eplan_id)
    return act(lambda: emergency_plans.remove_contact(current_user, plan, contact_id),
               _("Taken off the call list."), url_for("management.eplan", eplan_id=eplan_id) + "#h-calls")


# --- drills -------------------------------------------------------------------------------------------

@bp.get("/drills")
@permission_required(P.emergency_plans_view)
def drills_index():
    q = request.args.get("q", "").strip()
    page = page_arg()
    items, total = drills.list_drills(current_user, q or None, page, PER_PAGE)
    return render_template("management/drills.html", items=items, total=total, q=q, page=page, per_page=PER_PAGE)


def _drill_form_data(schema):
    values = request.form.to_dict()
    values["participants"] = request.form.getlist("participants")
    return load_form(schema, values)


def _drill_ctx(plan, drill=None) -> dict:
    chosen = (request.form.getlist("participants") if request.method == "POST"
              else [str(p.user_id) for p in drill.participants] if drill else [])
    return {"plan": plan, "drill": drill, "staff": _staff(), "chosen": chosen,
            "districts": [(str(d.id), d.name) for d in list_districts()],
            "scoped": drills.district_scope(current_user) is not None}


@bp.route("/emergency-plans/<int:eplan_id>/drills/new", methods=["GET", "POST"])
@permission_required(P.drills_manage)
def drill_new(eplan_id):
    plan = emergency_plans.get_plan(current_user, eplan_id)

    def process():
        data = _drill_form_data(schemas.DrillIn())
        data["actions"] = [line for line in (request.form.get("actions_text") or "").splitlines() if line.strip()]
        drill = drills.record_drill(current_user, plan, data)
        flash(_("Drill recorded."), "success")
        return redirect(url_for("management.drill", drill_id=drill.id))
    return form_page("management/drill_form.html", process, {"held_on": clock.today().isoformat()},
                     **_drill_ctx(plan))


@bp.route("/drills/<int:drill_id>/edit", methods=["GET", "POST"])
@permission_required(P.drills_manage)
def drill_edit(drill_id):
    drill = drills.get_drill(current_user, drill_id)

    def process():
        data = _drill_form_data(schemas.DrillPatch())
        drills.update_drill(current_user, drill, data, data.pop("version", None))
        flash(_("Changes saved."), "success")
        return redirect(url_for("management.drill", drill_id=drill.id))
    values = {k: getattr(drill, k) for k in (*drills.FIELDS, "district_id", "version")}
    values.update(started_at=_local(drill.started_at), ended_at=_local(drill.ended_at))
    return form_page("management/drill_form.html", process, values, **_drill_ctx(drill.plan, drill))


def _drill_page(drill, values=None, errors=None, status=200):
    return render_template("management/drill.html", drill=drill, duration=drills.duration(drill),
                           manage=drills.may_manage(current_user, drill),
                           ncs=checks.nonconformities(current_user, [a.nonconformity_id for a in drill.actions]),
                           history=history(drills.ENTITY, drill.id, last=30),
                           values=values or {}, errors=errors or {}), status


@bp.get("/drills/<int:drill_id>")
@permission_required(P.emergency_plans_view)
def drill(drill_id):
    return _drill_page(drills.get_drill(current_user, drill_id))


@bp.post("/drills/<int:drill_id>/actions")
@permission_required(P.drills_manage)
def drill_action(drill_id):
    item = drills.get_drill(current_user, drill_id)

    def process():
        action = drills.add_action(current_user, item, load_form(schemas.DrillActionIn())["description"])
        nc = checks.nonconformities(current_user, [action.nonconformity_id]).get(action.nonconformity_id)
        return _("Action raised as nonconformity %(number)s.", number=nc.number if nc else "")
    return on_record(lambda **kw: _drill_page(item, **kw), process,
                     url_for("management.drill", drill_id=drill_id) + "#h-actions")
