"""The station chief's pages: routes and progress, review of flagged readings and skips, the cycle's
export, arrears (suspension and restoration), the meter change; the safety officer's tampering list."""
import re

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.auth.services import list_users
from fieldsvc.customers.services import get_meter, list_districts
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.permissions import P, permission_required
from fieldsvc.readings import exports, rules, schemas
from fieldsvc.readings.services import arrears, review, routes, skips
from fieldsvc.readings.views import bp
from fieldsvc.readings.views.common import messages
from fieldsvc.schemas import parse_month
from fieldsvc.web import act, form_page, load_form

CYCLE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
PER_PAGE = 50


def _readers():
    return [(u.id, u.name) for u in list_users(current_user, "meter_reader", active_only=True)]


@bp.get("/routes/", endpoint="routes")
@permission_required(P.routes_view)
def routes_index():
    cycle = _cycle_arg()
    all_routes = routes.list_routes(current_user)
    readers = dict(_readers())
    return render_template("readings/routes.html", progress=routes.progress(current_user, cycle, all_routes),
                           readers=readers, cycle=cycle)



@bp.route("/routes/new", methods=["GET", "POST"])
@permission_required(P.routes_manage)
def new_route():
    def process():
        route = routes.create_route(current_user, load_form(schemas.RouteIn()))
        flash(_("Route %(name)s created: add its meters.", name=route.name), "success")
        return redirect(url_for("readings.route", route_id=route.id, _anchor="manage"))
    return form_page("readings/route_form.html", process,
                     districts=[(d.id, d.name) for d in list_districts()], readers=_readers())


def _route_back(route_id, message=None, category="success"):
    if message:
        flash(message, category)
    return redirect(url_for("readings.route", route_id=route_id, _anchor="manage"))


@bp.post("/routes/<int:route_id>/assign")
@permission_required(P.routes_manage)
def assign_route(route_id):
    route = routes.get_route(current_user, route_id)
    try:
        data = load_form(schemas.RoutePatch())
        routes.update_route(current_user, route, {"reader_id": data.get("reader_id")}, data.get("version"))
    except (Invalid, Conflict) as exc:
        db.session.rollback()  # refused: nothing of it is kept (the redirect would commit)
        return _route_back(route_id, messages(exc.errors) if isinstance(exc, Invalid) else exc.message, "error")
    return _route_back(route_id, _("Reader assigned."))


@bp.post("/routes/<int:route_id>/stops/add")
@permission_required(P.routes_manage)
def add_stops(route_id):
    route = routes.get_route(current_user, route_id)
    serials = re.split(r"[\s,;，；]+", request.form.get("serials", ""))
    try:
        added = routes.add_stops(current_user, route, serials)
    except Invalid as exc:
        db.session.rollback()  # refused: nothing of it is kept (the redirect would commit)
        return _route_back(route_id, messages(exc.errors), "error")
    return _route_back(route_id, _("%(n)d meters added.", n=len(added)))


@bp.post("/routes/<int:route_id>/stops/<int:stop_id>/remove")
@permission_required(P.routes_manage)
def remove_stop(route_id, stop_id):
    route = routes.get_route(current_user, route_id)
    routes.remove_stop(current_user, route, stop_id)
    return _route_back(route_id, _("Stop removed."))


# --- review ---------------------------------------------------------------------------------------

@bp.get("/review", endpoint="review")
@permission_required(P.readings_review)
def review_page():
    return render_template("readings/review.html", readings=review.pending_readings(current_user),
                           skips=review.open_skips(current_user), cycle=routes.current_cycle())



@bp.post("/review/<int:reading_id>/approve", endpoint="approve", defaults={"decision": "approve"})
@bp.post("/review/<int:reading_id>/send-back", endpoint="send_back", defaults={"decision": "send_back"})
@permission_required(P.readings_review)
def decide(reading_id, decision):
    note = request.form.get("note", "").strip()[:300] or None
    action = review.approve if decision == "approve" else review.send_back
    return act(lambda: action(current_user, reading_id, note),
               _("Approved.") if decision == "approve" else _("Sent back: the meter will be read again."),
               url_for("readings.review"))


@bp.post("/skips/<int:skip_id>/resolve", endpoint="resolve_skip", defaults={"action": "resolve"})
@bp.post("/skips/<int:skip_id>/order", endpoint="order_replacement", defaults={"action": "order"})
@permission_required(P.readings_review)
def skip_action(skip_id, action):
    try:
        if action == "order":
            skip = review.order_replacement(current_user, skip_id)
            message = _("Replacement order created.") if skip.work_order_id else \
                _("The dispatch module cannot take the order yet: the meter stays on this list.")
        else:
            review.resolve_skip(current_user, skip_id)
            message = _("Done.")
        flash(message, "success")
    except Conflict as exc:
        db.session.rollback()  # refused: nothing of it is kept (the redirect would commit)
        flash(exc.message, "error")
    return redirect(url_for("readings.review"))


# --- export ---------------------------------------------------------------------------------------

def _cycle_arg() -> str:
    cycle = request.args.get("cycle", "")
    if not CYCLE.match(cycle):
        return routes.current_cycle()
    parse_month(cycle, "cycle")  # within the app's date range (year 0001 or 9999: 422)
    return cycle


@bp.get("/export")
@permission_required(P.billing_export)
def export():
    cycle = _cycle_arg()
    return render_template("readings/export.html", cycle=cycle, counts=review.cycle_summary(current_user, cycle),
                           previous=rules.previous_cycle(cycle))


@bp.get("/export/<cycle>/readings.csv", endpoint="export_readings", defaults={"what": "readings"})
@bp.get("/export/<cycle>/bills.csv", endpoint="export_bills", defaults={"what": "bills"})
@permission_required(P.billing_export)
def export_csv(cycle, what):
    if not CYCLE.match(cycle):
        raise Invalid({"cycle": [_("A cycle is written like 2026-11.")]})
    parse_month(cycle, "cycle")
    make = exports.readings_csv if what == "readings" else exports.bills_csv
    # Built before the response is sent: the database session ends with the request (a city's cycle is a
    # few MB at most).
    return Response("".join(make(current_user, cycle)), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={what}-{cycle}.csv"})


# --- arrears and tampering ------------------------------------------------------------------------

@bp.get("/arrears", endpoint="arrears")
@permission_required(P.bills_view_all)
def arrears_page():
    rows = arrears.arrears_list(current_user)  # most urgent first; a city has thousands: a page at a time
    page = max(request.args.get("page", 1, type=int), 1)
    return render_template("readings/arrears.html", rows=rows[(page - 1) * PER_PAGE:page * PER_PAGE],
                           total=len(rows), page=page, per_page=PER_PAGE)



@bp.post("/arrears/<int:customer_id>/approve", endpoint="approve_suspension", defaults={"action": "approve"})
@bp.post("/arrears/<int:customer_id>/suspended", endpoint="record_suspended", defaults={"action": "suspended"})
@bp.post("/arrears/<int:customer_id>/restored", endpoint="record_restored", defaults={"action": "restored"})
@permission_required(P.suspension_approve)
def arrears_action(customer_id, action):
    try:
        if action == "approve":
            case = arrears.approve_suspension(current_user, customer_id)
            message = _("Suspension approved: shut-off order created.") if case.suspension_order_id else \
                _("Suspension approved. The dispatch module has no shut-off order type yet: arrange it directly.")
        elif action == "suspended":
            arrears.record_suspended(current_user, customer_id)
            message = _("Supply suspension recorded.")
        else:
            arrears.record_restored(current_user, customer_id)
            message = _("Supply restored.")
        flash(message, "success")
    except Conflict as exc:
        db.session.rollback()  # refused: nothing of it is kept (the redirect would commit)
        flash(exc.message, "error")
    return redirect(url_for("readings.arrears"))


@bp.get("/tampering", endpoint="tampering")
@permission_required(P.tampering_view)
def tampering_page():
    return render_template("readings/tampering.html", skips=review.tampering(current_user))



# --- meter change ---------------------------------------------------------------------------------

@bp.route("/meters/<int:meter_id>/change", methods=["GET", "POST"])
@permission_required(P.meter_change)
def meter_change(meter_id):
    meter = get_meter(current_user, meter_id)
    errors, refused = {}, None
    if request.method == "POST":
        try:
            final, _start = skips.change_meter(current_user, meter, load_form(schemas.MeterChangeIn()))
            flash(_("Meter changed. Final reading %(value)s.", value=final.value), "success")
            return redirect(url_for("customers.show", customer_id=final.customer_id))
        except Invalid as exc:
            db.session.rollback()  # the meter is shown again as stored
            errors, refused = exc.errors, getattr(exc, "confirmable", None)
    return render_template("readings/meter_change.html", meter=meter, values=request.form, errors=errors,
                           refused=refused), 422 if errors else 200
