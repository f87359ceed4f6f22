"""Tools and parts in custody: the chief's overview (issue, take back, new item) and a technician's own."""
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.dispatch import schemas
from fieldsvc.dispatch.services import custody, orders
from fieldsvc.dispatch.views import bp
from fieldsvc.i18n import number
from fieldsvc.labels import label
from fieldsvc.permissions import ROLE_LABELS, P, permission_required
from fieldsvc.web import load_form, on_record


def _overview(status=200, errors=None, form=None, values=None):
    by_holder: dict = {}
    for h in custody.holdings(current_user):
        by_holder.setdefault(h.holder, []).append(h)
    items = custody.list_items(current_user)
    return render_template(
        "dispatch/custody.html", by_holder=by_holder, items=items, errors=errors or {}, failed_form=form,
        values=values or {},
        staff_options=[(u.id, f"{u.name} · {ROLE_LABELS[u.role]}") for u in orders.assignable_staff(current_user)],
        item_options=[(i.id, f"{i.name} ({i.code})") for i in items]), status


@bp.get("/custody")
@permission_required(P.custody_manage)
def custody_index():
    return _overview()


@bp.post("/custody/moves")
@permission_required(P.custody_manage)
def custody_move():
    def process():
        data = load_form(schemas.CustodyMoveIn())
        move = custody.record_move(current_user, data["holder_id"], data["item_id"], data["kind"],
                                   data["quantity"], data.get("note"))
        return _("%(kind)s: %(qty)s × %(item)s, %(name)s.", kind=label(move.kind, "custody_move"),
                 qty=number(move.quantity), item=move.item.name, name=move.holder.name)
    return on_record(lambda values, errors, status: _overview(status, errors, "move", values), process,
                     url_for("dispatch.custody_index"))


@bp.post("/custody/items")
@permission_required(P.custody_manage)
def custody_item():
    def process():
        item = custody.create_item(current_user, load_form(schemas.CustodyItemIn()))
        return _("%(name)s added to the catalogue.", name=item.name)
    return on_record(lambda values, errors, status: _overview(status, errors, "item", values), process,
                     url_for("dispatch.custody_index"))


@bp.get("/custody/mine")
@permission_required(P.orders_work)
def my_custody():
    return render_template("dispatch/my_custody.html", holdings=custody.holdings(current_user),
                           ledger=custody.ledger(current_user, current_user.id))
