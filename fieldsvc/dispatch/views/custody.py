"""Tools and parts in custody: the chief's overview (issue, take back, new item) and a technician's own."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.dispatch import schemas
from fieldsvc.dispatch.services import custody, orders
from fieldsvc.dispatch.views import bp, load_form
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.i18n import number
from fieldsvc.labels import label
from fieldsvc.permissions import ROLE_LABELS, P, permission_required


def _overview(status=200, errors=None, form=None):
    by_holder: dict = {}
    for h in custody.holdings(current_user):
        by_holder.setdefault(h.holder, []).append(h)
    items = custody.list_items(current_user)
    return render_template(
        "dispatch/custody.html", by_holder=by_holder, items=items, errors=errors or {}, failed_form=form,
        values=request.form if errors else {},
        staff_options=[(u.id, f"{u.name} · {ROLE_LABELS[u.role]}") for u in orders.assignable_staff(current_user)],
        item_options=[(i.id, f"{i.name} ({i.code})") for i in items]), status


@bp.get("/custody")
@permission_required(P.custody_manage)
def custody_index():
    return _overview()


@bp.post("/custody/moves")
@permission_required(P.custody_manage)
def custody_move():
    try:
        data = load_form(schemas.CustodyMoveIn(), request.form.to_dict())
        move = custody.record_move(current_user, data["holder_id"], data["item_id"], data["kind"],
                                   data["quantity"], data.get("note"))
        db.session.commit()
    except Invalid as exc:
        db.session.rollback()
        return _overview(422, exc.errors, "move")
    flash(_("%(kind)s: %(qty)s × %(item)s, %(name)s.", kind=label(move.kind, "custody_move"), qty=number(move.quantity),
            item=move.item.name, name=move.holder.name), "success")
    return redirect(url_for("dispatch.custody_index"))


@bp.post("/custody/items")
@permission_required(P.custody_manage)
def custody_item():
    try:
        item = custody.create_item(current_user, load_form(schemas.CustodyItemIn(), request.form.to_dict()))
        db.session.commit()
    except Invalid as exc:
        db.session.rollback()
        return _overview(422, exc.errors, "item")
    flash(_("%(name)s added to the catalogue.", name=item.name), "success")
    return redirect(url_for("dispatch.custody_index"))


@bp.get("/custody/mine")
@permission_required(P.orders_work)
def my_custody():
    return render_template("dispatch/my_custody.html", holdings=custody.holdings(current_user),
                           ledger=custody.ledger(current_user, current_user.id))
