"""The chief's board, the new-order form, the follow-up queue and the technician's job list."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.customers import services as customer_services
from fieldsvc.dispatch import rules, schemas
from fieldsvc.dispatch.services import board as board_services
from fieldsvc.dispatch.services import orders
from fieldsvc.dispatch.views import bp
from fieldsvc.labels import options
from fieldsvc.permissions import ROLE_LABELS, P, permission_required
from fieldsvc.web import form_page, load_form

PER_PAGE = 30
STATUS_CHOICES = ("all", *[s.value for s in rules.Status])


def _filters(forced_type: str | None = None) -> board_services.Filters:
    """Filters from the query string; unknown values are ignored rather than failing the page."""
    args = request.args
    status = args.get("status") or None
    type_ = forced_type or args.get("type") or None
    return board_services.Filters(
        status=status if status in STATUS_CHOICES else None,
        type=type_ if type_ in schemas.TYPES else None,
        district_id=args.get("district_id", type=int), assignee_id=args.get("assignee_id", type=int),
        page=max(args.get("page", 1, type=int), 1))


def _render_board(filters, endpoint="dispatch.board"):
    view = board_services.board(current_user, filters, PER_PAGE)
    return render_template("dispatch/board.html", board=view, f=filters, endpoint=endpoint,
                           status_choices=STATUS_CHOICES)


@bp.get("/")
@permission_required(P.orders_view_all)
def board():
    return _render_board(_filters())


@bp.get("/followups")
@permission_required(P.followup_record)
def followups():
    """The follow-up calls to make: the board showing only follow-up visits."""
    return _render_board(_filters(rules.OrderType.followup_visit), "dispatch.followups")


@bp.route("/new", methods=["GET", "POST"])
@permission_required(P.orders_create)
def new():
    def process():
        data = load_form(schemas.WorkOrderIn())
        data.pop("client_id", None)
        order = orders.create_order(current_user, data)
        flash(_("Order #%(id)d created.", id=order.id), "success")
        return redirect(url_for("dispatch.order", order_id=order.id))
    return form_page(
        "dispatch/new.html", process, _prefill() if request.method == "GET" else None,
        type_options=[(k, v) for k, v in options("wo_type") if k != rules.OrderType.followup_visit],
        district_options=[(d.id, d.name) for d in customer_services.list_districts()],
        staff_options=[(u.id, f"{u.name} · {ROLE_LABELS[u.role]}") for u in orders.assignable_staff(current_user)])


def _prefill() -> dict:
    """From a customer's page: their account number is filled in."""
    values = {"priority": "normal", "type": request.args.get("type", "repair")}
    customer_id = request.args.get("customer_id", type=int)
    if customer_id:
        values["account_no"] = customer_services.get_customer(current_user, customer_id).account_no
    return values


@bp.get("/jobs")
@permission_required(P.orders_work)
def jobs():
    return render_template("dispatch/jobs.html", jobs=board_services.my_jobs(current_user))
