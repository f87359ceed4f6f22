"""Annual plan pages: the plans by year, a plan with its items and progress, the year-end summary."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.labels import label
from fieldsvc.management import rules, schemas
from fieldsvc.management.services import metrics, plans, summaries
from fieldsvc.management.services.common import history, staff
from fieldsvc.management.views import bp, pdf_response
from fieldsvc.permissions import ROLE_LABELS, P, permission_required
from fieldsvc.web import act, form_page, load_form, on_record


@bp.get("/plans")
@permission_required(P.plans_view)
def plans_index():
    kinds = [k for k in rules.PLAN_KINDS if plans.may_author(current_user, k)]
    return render_template("management/plans.html", items=plans.list_plans(current_user), kinds=kinds,
                           mine=plans.my_items(current_user), year=clock.today().year)


@bp.route("/plans/new", methods=["GET", "POST"])
@permission_required(P.plans_manage)
def plan_new():
    def process():
        plan = plans.create_plan(current_user, load_form(schemas.PlanIn()))
        flash(_("Plan created: add its items."), "success")
        return redirect(url_for("management.plan", plan_id=plan.id))
    kinds = [(k, str(label(k, "plan_kind"))) for k in rules.PLAN_KINDS if plans.may_author(current_user, k)]
    today = clock.today()
    values = {"year": today.year + 1 if today.month >= 10 else today.year,
              "kind": request.args.get("kind") or (kinds[0][0] if kinds else "")}
    return form_page("management/plan_form.html", process, values, kinds=kinds)


def _plan_page(plan, values=None, errors=None, status=200):
    editable = plans.may_edit(current_user, plan)
    return render_template(
        "management/plan.html", plan=plan, rows=plans.progress(plan), editable=editable,
        draft=plan.status == rules.PlanStatus.draft, moves=plans.available_moves(current_user, plan),
        sections=rules.PLAN_SECTIONS[plan.kind],
        metric_options=[(m, str(label(m, "plan_metric"))) for m in metrics.available()],
        percent_metrics=metrics.PERCENT_METRICS,
        owners=[(str(u.id), f"{u.name} · {ROLE_LABELS.get(u.role, u.role)}") for u in staff()],
        history=history(plans.ENTITY, plan.id), values=values or {}, errors=errors or {},
        legal_due=_legal_due(plan)), status


def _legal_due(plan):
    """The safety plan shows the compliance evaluations due in its year (HSE's legal register)."""
    from fieldsvc.hse.services import legal
    from fieldsvc.permissions import can
    if plan.kind != "safety" or not can(current_user, P.legal_view):
        return None
    return legal.due_in_year(current_user, plan.year)


@bp.get("/plans/<int:plan_id>")
@permission_required(P.plans_view)
def plan(plan_id):
    return _plan_page(plans.get_plan(current_user, plan_id))


def _post(plan_id, process, anchor=""):
    item = plans.get_plan(current_user, plan_id)
    return on_record(lambda **kw: _plan_page(item, **kw), lambda: process(item),
                     url_for("management.plan", plan_id=plan_id) + anchor)


@bp.post("/plans/<int:plan_id>/items")
@permission_required(P.plans_manage)
def plan_item_add(plan_id):
    def process(item):
        plans.add_item(current_user, item, load_form(schemas.ItemIn()))
        return _("Item added.")
    return _post(plan_id, process, "#h-items")


@bp.post("/plans/items/<int:item_id>/remove")
@permission_required(P.plans_manage)
def plan_item_remove(item_id):
    item = plans.get_item(current_user, item_id)
    back = url_for("management.plan", plan_id=item.plan_id) + "#h-items"
    return act(lambda: plans.remove_item(current_user, item), _("Item removed."), back)


@bp.post("/plans/<int:plan_id>/transition")
@permission_required(P.plans_manage)
def plan_transition(plan_id):
    def process(item):
        data = load_form(schemas.TransitionIn())
        plans.transition(current_user, item, data["to"], data.get("reason"), data.get("version"))
        return _("Plan: %(state)s.", state=label(item.status, "annual_plan_status"))
    return _post(plan_id, process)


@bp.route("/plans/items/<int:item_id>/progress", methods=["GET", "POST"])
@permission_required(P.plans_view)
def plan_item_progress(item_id):
    item = plans.get_item(current_user, item_id)
    plans.require_progress(current_user, item)

    def process():
        plans.report_progress(current_user, item, load_form(schemas.ProgressIn()))
        flash(_("Progress saved."), "success")
        return redirect(url_for("management.plan", plan_id=item.plan_id) + "#h-items")
    row = next(r for r in plans.progress(item.plan) if r.item.id == item.id)
    values = {"progress_pct": item.progress_pct, "progress_note": item.progress_note, "done_on": item.done_on}
    return form_page("management/progress_form.html", process, values, item=item, row=row)


# --- the year-end summary ---------------------------------------------------------------------------

def _summary_page(plan, values=None, errors=None, status=200):
    summary = summaries.get_summary(current_user, plan)
    editable = plans.may_edit(current_user, plan) and summary.status == rules.PlanStatus.draft
    return render_template(
        "management/summary.html", plan=plan, summary=summary, sections=summaries.sections(plan),
        overall=summaries.OVERALL, editable=editable, author=plans.may_edit(current_user, plan),
        moves=summaries.available_moves(current_user, summary), values=values or {}, errors=errors or {}), status


@bp.post("/plans/<int:plan_id>/summary")
@permission_required(P.plans_manage)
def summary_generate(plan_id):
    plan = plans.get_plan(current_user, plan_id)
    refill = request.form.get("refill") == "1"
    back = url_for("management.summary", plan_id=plan.id)
    message = _("The texts were filled again from the figures.") if refill else _("Figures taken from the records.")
    return act(lambda: summaries.generate(current_user, plan, refill), message, back)


@bp.get("/plans/<int:plan_id>/summary")
@permission_required(P.plans_view)
def summary(plan_id):
    return _summary_page(plans.get_plan(current_user, plan_id))


def _post_summary(plan_id, process):
    plan = plans.get_plan(current_user, plan_id)
    return on_record(lambda **kw: _summary_page(plan, **kw), lambda: process(plan),
                     url_for("management.summary", plan_id=plan_id))


@bp.post("/plans/<int:plan_id>/summary/texts")
@permission_required(P.plans_manage)
def summary_texts(plan_id):
    def process(plan):
        summary = summaries.get_summary(current_user, plan)
        texts = {k: request.form.get(f"text_{k}", "") for k in summaries.sections(plan)}
        summaries.update_texts(current_user, summary, texts, request.form.get("version", type=int))
        return _("Summary saved.")
    return _post_summary(plan_id, process)


@bp.post("/plans/<int:plan_id>/summary/transition")
@permission_required(P.plans_manage)
def summary_transition(plan_id):
    def process(plan):
        summary = summaries.get_summary(current_user, plan)
        data = load_form(schemas.TransitionIn())
        summaries.transition(current_user, summary, data["to"], data.get("reason"), data.get("version"))
        return _("Summary: %(state)s.", state=label(summary.status, "annual_plan_status"))
    return _post_summary(plan_id, process)


@bp.get("/plans/<int:plan_id>/summary.pdf")
@permission_required(P.plans_view)
def summary_pdf(plan_id):
    plan = plans.get_plan(current_user, plan_id)
    body = summaries.summary_pdf(current_user, summaries.get_summary(current_user, plan))
    return pdf_response(body, f"summary-{plan.year}-{plan.kind}.pdf")
