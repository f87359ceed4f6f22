"""Hazard pages: the safety officer's board (escalated first), one hazard with its story, the pipe
fitter's rectifications (before/after photos, completing the order), the re-check queue."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fieldsvc import clock
from fieldsvc.customers import services as customer_services
from fieldsvc.dispatch.services import orders as dispatch_orders
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.inspections import schemas
from fieldsvc.inspections.services import common, hazard_lists, hazards
from fieldsvc.inspections.views import PER_PAGE, bp
from fieldsvc.permissions import P, can, permission_required
from fieldsvc.web import load_form


def _list(view: str, template: str = "inspections/hazards.html"):
    page = max(request.args.get("page", 1, type=int), 1)
    status = request.args.get("status") or None
    grade = request.args.get("grade") or None
    district_id = request.args.get("district_id", type=int)
    items, total = hazard_lists.list_hazards(current_user, view, status, grade, district_id, page=page,
                                             per_page=PER_PAGE)
    figures = hazard_lists.counts(current_user) if can(current_user, P.hazards_view_all) else None
    return render_template(template, hazards=items, total=total, page=page, per_page=PER_PAGE, view=view,
                           status=status, grade=grade, district_id=district_id, figures=figures,
                           districts=customer_services.list_districts(), today=clock.today())


@bp.get("/hazards")
@permission_required(P.hazards_view_all)
def hazards_index():
    view = request.args.get("view") or "escalated"
    return _list(view if view in hazard_lists.VIEWS else "all")


@bp.get("/rectifications")
@permission_required(P.hazards_rectify)
def rectifications():
    return _list("mine")


@bp.get("/rechecks")
@permission_required(P.hazards_recheck)
def recheck_queue():
    return _list("recheck")


def _hazard_page(hazard_id: int, status: int = 200, errors=None, form: str | None = None, conflict=None):
    hazard = hazards.get(current_user, hazard_id)
    hazards.refresh([hazard])  # its status read from the order: kept by the request's commit on success
    order = (dispatch_orders.get_order(current_user, hazard.work_order_id)
             if hazard.work_order_id and (can(current_user, P.orders_view_all)
                                          or common.rectifier_of(current_user, hazard)) else None)
    return render_template("inspections/hazard.html", hazard=hazard, photos=hazards.photos(hazard), order=order,
                           is_rectifier=common.rectifier_of(current_user, hazard), errors=errors or {},
                           failed_form=form, conflict=conflict, values=request.form if status != 200 else {},
                           today=clock.today()), status


@bp.get("/hazards/<int:hazard_id>")
@login_required
def hazard(hazard_id):
    return _hazard_page(hazard_id)


def _act(hazard_id: int, form: str, action):
    """Run an action; success → back to the hazard; bad input → 422, a stale state → 409, with what was
    typed kept (the page is drawn again from what is stored)."""
    try:
        message = action()
    except Invalid as exc:
        db.session.rollback()
        return _hazard_page(hazard_id, 422, errors=exc.errors, form=form)
    except Conflict as exc:
        db.session.rollback()
        return _hazard_page(hazard_id, 409, conflict=exc.message, form=form)
    flash(message, "success")
    return redirect(url_for("inspections.hazard", hazard_id=hazard_id))


def _file(name: str) -> bytes | None:
    f = request.files.get(name)
    return f.read() if f and f.filename else None


@bp.post("/hazards/<int:hazard_id>/photos")
@login_required
def hazard_photo(hazard_id):
    """A before or after photo (pipe fitter of the order, or whoever re-checks)."""
    def run():
        hazard = hazards.get(current_user, hazard_id)
        hazards.add_photo(current_user, hazard, request.form.get("stage", ""), _file("photo"), field="photo")
        return _("Photo added.")
    return _act(hazard_id, "photo", run)


@bp.post("/hazards/<int:hazard_id>/rectify")
@permission_required(P.hazards_rectify)
def hazard_rectify(hazard_id):
    """The pipe fitter on site: before/after photos and the order completed, in one step."""
    def run():
        hazard = hazards.get(current_user, hazard_id)
        version = request.form.get("version", type=int)
        if version is None:
            raise Invalid({"version": [_("Reload the page and try again.")]})
        hazards.complete_rectification(current_user, hazard, _file("photo_before"), _file("photo_after"),
                                       request.form.get("work_notes", "").strip() or None, version)
        return _("Rectification done: it waits for the re-check.")
    return _act(hazard_id, "rectify", run)


@bp.post("/hazards/<int:hazard_id>/recheck")
@permission_required(P.hazards_recheck)
def hazard_recheck(hazard_id):
    def run():
        hazard = hazards.get(current_user, hazard_id)
        data = load_form(schemas.HazardRecheckIn())
        hazards.recheck(current_user, hazard, data["result"] == "pass", data.get("note"), _file("photo"))
        return _("Hazard closed.") if data["result"] == "pass" else _("Re-check failed: a new order was opened.")
    return _act(hazard_id, "recheck", run)


@bp.post("/hazards/<int:hazard_id>/reorder")
@permission_required(P.hazards_view_all)
def hazard_reorder(hazard_id):
    def run():
        order = hazards.reopen_order(current_user, hazards.get(current_user, hazard_id))
        return _("Rectification order #%(id)d opened.", id=order.id)
    return _act(hazard_id, "reorder", run)
