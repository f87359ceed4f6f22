"""The chief's board (and its live part), the new-order form with who to send, the follow-up queue and
the technician's job list."""
import hashlib

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.customers import services as customer_services
from fieldsvc.dispatch import rules, schemas
from fieldsvc.dispatch.services import board as board_services
from fieldsvc.dispatch.services import helpers, orders, suggestions
from fieldsvc.dispatch.views import bp, helper_fields
from fieldsvc.i18n import current_locale
from fieldsvc.labels import options
from fieldsvc.permissions import P, permission_required
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


LIVE_VIEWS = {"board": "dispatch.board", "followups": "dispatch.followups"}


def _etag(filters, endpoint: str) -> str:
    """The board as this user sees it now: its version, who looks, in which language, which view."""
    seen = f"{board_services.version(current_user)}|{current_user.id}|{current_locale()}|{endpoint}|{filters!r}"
    return hashlib.sha256(seen.encode()).hexdigest()[:32]


def _args() -> dict:
    return {k: v for k, v in request.args.items() if k != "view"}


def _board_context(filters, endpoint: str) -> dict:
    return {"board": board_services.board(current_user, filters, PER_PAGE), "f": filters, "endpoint": endpoint,
            "board_path": url_for(endpoint, **_args())}


def _render_board(filters, endpoint="dispatch.board"):
    etag = _etag(filters, endpoint)  # before the board is read: a change in between shows at the next poll
    view = next(k for k, v in LIVE_VIEWS.items() if v == endpoint)
    live_url = url_for("dispatch.board_live", view=view, **_args())
    return render_template("dispatch/board.html", status_choices=STATUS_CHOICES, etag=etag, live_url=live_url,
                           **_board_context(filters, endpoint))


@bp.get("/")
@permission_required(P.orders_view_all)
def board():
    return _render_board(_filters())


@bp.get("/followups")
@permission_required(P.followup_record)
def followups():
    """The follow-up calls to make: the board showing only follow-up visits."""
    return _render_board(_filters(rules.OrderType.followup_visit), "dispatch.followups")


@bp.get("/board/live")
@permission_required(P.orders_view_all)
def board_live():
    """The board's changing part for board.js: 304 while nothing changed (one cheap query), else the fragment.
    The phone asks every 10 s; nothing waits on the server between two asks."""
    endpoint = LIVE_VIEWS.get(request.args.get("view"), "dispatch.board")
    filters = _filters(rules.OrderType.followup_visit if endpoint == "dispatch.followups" else None)
    etag = _etag(filters, endpoint)
    if request.if_none_match.contains(etag):
        response = Response(status=304)
        response.set_etag(etag)
        return response
    response = Response(render_template("dispatch/_board_live.html", **_board_context(filters, endpoint)))
    response.set_etag(etag)
    return response


@bp.route("/new", methods=["GET", "POST"])
@permission_required(P.orders_create)
def new():
    def process():
        data = load_form(schemas.WorkOrderIn(), helper_fields.form_data())
        data.pop("client_id", None)
        order = orders.create_order(current_user, data)
        flash(_("Order #%(id)d created.", id=order.id), "success")
        return redirect(url_for("dispatch.order", order_id=order.id))
    return form_page(
        "dispatch/new.html", process, _prefill() if request.method == "GET" else None,
        type_options=[(k, v) for k, v in options("wo_type") if k != rules.OrderType.followup_visit],
        district_options=[(d.id, d.name) for d in customer_services.list_districts()],
        helper_staff=helpers.candidates(), helpers_ticked=helper_fields.ticked, suggest_helpers=_suggest_helpers,
        suggest=_suggest_for)  # called by the page as it is drawn: nothing is ranked for a form that succeeded


def _suggest_helpers(values) -> list:
    """A purge-and-ignite: the meter readers of the place typed so far, as helpers (helpers.suggested)."""
    district = values.get("district_id")
    return helpers.suggested_for(values.get("type"), (values.get("account_no") or "").strip() or None,
                                 int(district) if str(district or "").isdigit() else None)


def _suggest_for(values) -> list:
    """Who to send for what the form holds so far (type, account number or district)."""
    district = values.get("district_id")
    return suggestions.for_new(current_user, values.get("type"), (values.get("account_no") or "").strip() or None,
                               int(district) if str(district or "").isdigit() else None)


@bp.get("/new/suggestions")
@permission_required(P.orders_create)
def new_suggestions():
    """The new-order form's "Assign to" block again, for the type and place chosen so far (board.js)."""
    return render_template("dispatch/_suggest.html", values=request.args, errors={}, suggest=_suggest_for,
                           suggest_helpers=_suggest_helpers)


def _prefill() -> dict:
    """From a customer's page: their account number is filled in."""
    values = {"priority": "normal", "type": request.args.get("type", "repair")}
    customer_id = request.args.get("customer_id", type=int)
    if customer_id:
        values["account_no"] = customer_services.get_customer(current_user, customer_id).account_no
    return values


@bp.get("/jobs")
@permission_required(P.orders_help)
def jobs():
    return render_template("dispatch/jobs.html", jobs=board_services.my_jobs(current_user))
