"""One order: its page (both the chief's and the technician's), the actions on it, completion, job sheet."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fieldsvc import pdf
from fieldsvc.dispatch import rules, schemas
from fieldsvc.dispatch.services import custody, helpers, orders, steps
from fieldsvc.dispatch.services.attachments import attachments, data_uri
from fieldsvc.dispatch.services.completion import decode_kept_photo, keep_photo
from fieldsvc.dispatch.views import bp, helper_fields
from fieldsvc.dispatch.views.forms import COMPLETION_KEYS, completion_form, result_fields
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, permission_required
from fieldsvc.web import load_form
from fieldsvc.web import safe_next as _safe_next  # only local paths: never an open redirect


def _page(order_id: int, status: int = 200, errors=None, conflict: str | None = None, form: str | None = None):
    """The order page; after a refused action it shows why, next to the form that was used."""
    order = orders.get_order(current_user, order_id)
    staff = orders.assignable_staff(current_user) if can(current_user, P.orders_assign) else []
    helper_staff = helpers.candidates() if staff else []
    photos, signature = attachments(current_user, order)
    return render_template(
        "dispatch/order.html", order=order, errors=errors or {}, conflict=conflict, failed_form=form,
        values=request.form if status != 200 else {}, history=orders.history(current_user, order),
        previous=orders.previous_orders(current_user, order), photos=photos, signature=signature,
        parts=custody.parts_used(order), now=utcnow(), children=orders.children(current_user, order),
        staff=[u for u in staff if rules.may_assign(u.role, order.type)],
        moves=orders.available_moves(current_user, order), helpers=helpers.helpers_of(order),
        helper_staff=helper_staff, helpers_ticked=helper_fields.ticked,
        suggested_helpers=helpers.suggested(order.type, order.district_id) if helper_staff else [],
        result_fields=result_fields(order.type)), status


@bp.get("/orders/<int:order_id>")
@login_required
def order(order_id):
    """Checked in the service (orders.get_order): the orders permission, or the safety office reading an
    order that fed an HSE record."""
    return _page(order_id)


def _act(order_id: int, form_name: str, action):
    """Run an action; success → back to the page; stale → 409 with who changed it; bad input → 422.
    A refusal rolls back before the page is drawn again from what is stored."""
    try:
        message = action()
    except Conflict as exc:
        db.session.rollback()
        return _page(order_id, 409, conflict=exc.message, form=form_name)
    except Invalid as exc:
        db.session.rollback()
        return _page(order_id, 422, errors=exc.errors, form=form_name)
    flash(message, "success")
    return redirect(_safe_next(request.form.get("next")) or url_for("dispatch.order", order_id=order_id))


@bp.post("/orders/<int:order_id>/assign")
@permission_required(P.orders_assign)
def assign(order_id):
    def run():
        data = load_form(schemas.WorkOrderAssignIn(), helper_fields.form_data())
        if request.form.get("helpers_add") and data.get("helper_ids"):  # the board adds to those already there
            current = [i for i in helpers.ids_of(orders.get_order(current_user, order_id)) if i != data["assignee_id"]]
            data["helper_ids"] = list(dict.fromkeys(current + data["helper_ids"]))
        order = orders.assign(current_user, order_id, data["assignee_id"], data["version"], data.get("note"),
                              helper_ids=data.get("helper_ids"))
        return _("Order #%(id)d assigned to %(name)s.", id=order.id, name=order.assignee.name)
    return _act(order_id, "assign", run)


@bp.post("/orders/<int:order_id>/transition")
@permission_required(P.orders_view)
def transition(order_id):
    def run():
        data = load_form(schemas.WorkOrderTransitionIn())
        if data["to"] == rules.Status.completed:  # notes, parts, photos, signature: the completion form
            raise Invalid({"to": [_("Use the completion form.")]})
        order = orders.transition(current_user, order_id, data["to"], data["version"], data.get("lat"),
                                  data.get("lng"), data.get("note"))
        return _("Order #%(id)d: %(status)s.", id=order.id, status=label(order.status, "wo_status"))
    return _act(order_id, "transition-" + request.form.get("to", ""), run)


@bp.route("/orders/<int:order_id>/complete", methods=["GET", "POST"])
@permission_required(P.orders_view)
def complete(order_id):
    order = orders.get_order(current_user, order_id)
    try:
        steps.check_move(current_user, order, rules.Status.completed)  # 404/403 before showing the form
    except Conflict as exc:  # not (or no longer) on site: back to the order, saying why
        if request.method == "POST":  # a completion resent from the outbox must hear the refusal: 409, no redirect
            return _page(order.id, 409, conflict=exc.message, form="complete")
        flash(exc.message, "error")
        return redirect(url_for("dispatch.order", order_id=order.id))
    errors, conflict, photos = {}, None, []
    if request.method == "POST":
        try:
            photos = _photos_sent()
            fields, parts = completion_form(request.form, order.type)
            data = load_form(schemas.WorkOrderTransitionIn(), {**fields, "to": rules.Status.completed})
            completion = {k: data[k] for k in COMPLETION_KEYS if k in data} | {"parts": parts}
            orders.transition(current_user, order.id, rules.Status.completed, data["version"],
                              data.get("lat"), data.get("lng"), completion=completion, photos=photos)
            flash(_("Order #%(id)d completed.", id=order.id), "success")
            if can(current_user, P.orders_work):
                return redirect(url_for("dispatch.jobs"))
            return redirect(url_for("dispatch.order", order_id=order.id))
        except Invalid as exc:
            db.session.rollback()
            errors = exc.errors
        except Conflict as exc:
            db.session.rollback()
            conflict = exc.message
        order = orders.get_order(current_user, order_id)
    holdings = [h for h in custody.holdings(current_user) if h.item.kind == rules.ItemKind.part] \
        if can(current_user, P.orders_work) else []
    status = 409 if conflict else 422 if errors else 200
    kept = [k for k in map(keep_photo, photos) if k] if errors else []
    return render_template("dispatch/complete.html", order=order, values=request.form, errors=errors,
                           conflict=conflict, result_fields=result_fields(order.type), holdings=holdings,
                           kept_photos=kept, dropped_photos=len(photos) - len(kept)), status


def _photos_sent() -> list[bytes]:
    """The photos chosen now, and those a refused attempt carried back in the form."""
    chosen = [f.read() for f in request.files.getlist("photos") if f and f.filename]
    return [decode_kept_photo(v) for v in request.form.getlist("kept_photo") if v] + chosen


@bp.get("/orders/<int:order_id>/job-sheet.pdf")
@permission_required(P.orders_view)
def job_sheet(order_id):
    order = orders.get_order(current_user, order_id)
    photos, signature = attachments(current_user, order)
    body = pdf.render_pdf("pdf/job_sheet.html", order=order, history=orders.history(current_user, order),
                          helpers=helpers.helpers_of(order),
                          parts=custody.parts_used(order), photos=[data_uri(p, thumbnail=True) for p in photos],
                          signature=data_uri(signature) if signature else None,
                          result_fields=result_fields(order.type))
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="job-sheet-{order.id}.pdf"'})
