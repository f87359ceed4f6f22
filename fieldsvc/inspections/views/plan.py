"""The safety officer's plan: a district's customers due and overdue, coverage and entry rate per
cycle, batches for inspectors, the refusal list and the long-term uninspected list."""
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fieldsvc.customers import services as customer_services
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.inspections import schemas
from fieldsvc.inspections.services import batches, followups, plan
from fieldsvc.inspections.views import PER_PAGE, bp
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import load_form

CYCLE_CHOICES = (0, -1, -2)


def _district(districts) -> int | None:
    wanted = request.values.get("district_id", type=int)
    if wanted and any(d.id == wanted for d in districts):
        return wanted
    return districts[0].id if districts else None


def _plan_page(errors=None, values=None, status_code=200):
    districts = customer_services.list_districts()
    district_id = _district(districts)
    offset = request.args.get("cycle", 0, type=int)
    offset = offset if offset in CYCLE_CHOICES else 0
    status = request.args.get("status") or None
    status = status if status in plan.STATUSES else None
    page = max(request.args.get("page", 1, type=int), 1)
    c = plan.cycle(offset)
    summary = plan.summary(current_user, district_id, c) if district_id else None
    rows = plan.rows(current_user, district_id, c, status, page, PER_PAGE) if district_id else []
    total = (summary.counts[status] if status else summary.total) if summary else 0
    return render_template(
        "inspections/plan.html", districts=districts, district_id=district_id, cycle=c, offset=offset,
        cycles=[(o, plan.cycle(o).label_bounds[0], plan.cycle(o).label_bounds[1] - timedelta(days=1))
                for o in CYCLE_CHOICES], status=status, page=page,
        per_page=PER_PAGE, summary=summary, rows=rows, total=total,
        batches=batches.list_batches(current_user, district_id, limit=10) if district_id else [],
        inspectors=batches.inspectors(current_user), errors=errors or {}, values=values or {}), status_code


@bp.get("/plan")
@permission_required(P.inspections_plan)
def plan_index():
    return _plan_page()


@bp.post("/plan/batches")
@permission_required(P.inspections_plan)
def batch_new():
    try:
        data = load_form(schemas.InspectionBatchIn())
        statuses = ("overdue", "due") if data["status"] == "both" else (data["status"],)
        batch = batches.create_batch(current_user, data["district_id"], data["assignee_id"], data["size"], statuses,
                                     data.get("due_on"), data.get("note"))
    except Invalid as exc:
        db.session.rollback()  # the plan is drawn again from what is stored
        return _plan_page(exc.errors, request.form, 422)
    flash(_("Batch of %(n)d customers given to %(name)s.", n=batch.member_count, name=batch.assignee.name),
          "success")
    return redirect(url_for("inspections.batch", batch_id=batch.id))


@bp.get("/batches/<int:batch_id>")
@login_required  # the service: the safety officer and director, or the inspector it was given to
def batch(batch_id):
    item = batches.get_batch(current_user, batch_id)
    page = max(request.args.get("page", 1, type=int), 1)
    rows, total = batches.members(current_user, item, page, PER_PAGE)
    return render_template("inspections/batch.html", batch=item, rows=rows, total=total, page=page,
                           per_page=PER_PAGE)


@bp.get("/refusals")
@permission_required(P.inspections_plan)
def refusals():
    districts = customer_services.list_districts()
    district_id = request.args.get("district_id", type=int)
    page = max(request.args.get("page", 1, type=int), 1)
    rows, total = followups.refusals(current_user, district_id, page, PER_PAGE)
    long_rows, long_total = followups.long_term(current_user, district_id, 1, PER_PAGE)
    return render_template("inspections/refusals.html", rows=rows, total=total, page=page, per_page=PER_PAGE,
                           long_rows=long_rows, long_total=long_total, districts=districts,
                           district_id=district_id, incomplete=followups.incomplete(current_user))
