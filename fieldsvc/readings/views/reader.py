"""The reader's pages: my routes, the route sheet, one stop per screen (read, skip, arrears at the door)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.auth.services import list_users
from fieldsvc.errors import Conflict, Invalid, wants_json
from fieldsvc.extensions import db
from fieldsvc.permissions import P, can, permission_required
from fieldsvc.readings import rules, schemas
from fieldsvc.readings.services import arrears, recording, routes, skips, stops
from fieldsvc.readings.services.recording import ReadingRefused
from fieldsvc.readings.views import bp
from fieldsvc.readings.views.common import photo_bytes
from fieldsvc.web import load_form


@bp.get("/my-route")
@permission_required(P.routes_work)
def my_route():
    mine = routes.list_routes(current_user)
    return render_template("readings/my_route.html", progress=routes.progress(current_user, routes=mine))


@bp.get("/routes/<int:route_id>")
@permission_required(P.routes_open)
def route(route_id):
    route = routes.get_route(current_user, route_id)
    sheet = routes.route_sheet(current_user, route)
    readers = []
    if can(current_user, P.routes_manage):
        readers = [(u.id, u.name) for u in list_users(current_user, "meter_reader", active_only=True)]
    return render_template("readings/route.html", route=route, sheet=sheet, readers=readers)


@bp.post("/routes/<int:route_id>/stops/<int:stop_id>/move")
@permission_required(P.routes_open)
def move_stop(route_id, stop_id):
    route = routes.get_route(current_user, route_id)
    stop = routes.move_stop(current_user, route, stop_id, "up" if request.form.get("direction") == "up" else "down")
    return redirect(url_for("readings.route", route_id=route.id, _anchor=f"stop-{stop.id}"))


@bp.get("/routes/<int:route_id>/next")
@permission_required(P.routes_open)
def next_stop(route_id):
    """Continue the route: the first stop still to read."""
    route = routes.get_route(current_user, route_id)
    seq = stops.next_stop(current_user, route, 0)
    if seq is None:
        flash(_("Every stop of this route is done for this month."), "success")
        return redirect(url_for("readings.route", route_id=route.id))
    return redirect(url_for("readings.stop", route_id=route.id, seq=seq))


def _render_stop(route_id, seq, errors=None, values=None, refused=None, status=200, conflict=None):
    view = stops.stop_view(current_user, route_id, seq)
    return render_template("readings/stop.html", v=view, errors=errors or {}, values=values or {},
                           refused=refused, conflict=conflict, today=clock.today()), status


@bp.get("/routes/<int:route_id>/stops/<int:seq>")
@permission_required(P.routes_open)
def stop(route_id, seq):
    return _render_stop(route_id, seq)


def _after(route_id: int, seq: int, message: str, category: str = "success"):
    flash(message, category)
    view_route = routes.get_route(current_user, route_id)
    nxt = stops.next_stop(current_user, view_route, seq)
    if nxt is None:
        flash(_("Every stop of this route is done for this month."), "success")
        return redirect(url_for("readings.route", route_id=route_id))
    return redirect(url_for("readings.stop", route_id=route_id, seq=nxt))


@bp.post("/routes/<int:route_id>/stops/<int:seq>/read")
@permission_required(P.readings_record)
def read(route_id, seq):
    _route, stop = stops.get_stop(current_user, route_id, seq)
    try:
        data = load_form(schemas.StopReadingIn())
        data.update(route_id=route_id, source=recording.source_for(current_user),
                    # typed offline and sent later: the time the reader typed it, if the phone's clock is sane
                    read_at=rules.client_time(request.form.get("client_recorded_at"), clock.now()))
        reading = recording.record_reading(current_user, stop.meter_id, data, photo_bytes(), require_photo=True)
    except Conflict as exc:  # already read this month (a second tap on Save, a stale page, the outbox)
        return _conflict(route_id, seq, exc)
    except ReadingRefused as exc:
        db.session.rollback()
        return _render_stop(route_id, seq, exc.errors, request.form, exc, 422)
    except Invalid as exc:
        db.session.rollback()
        refused = _StillConfirming() if request.form.get("confirm") else None
        return _render_stop(route_id, seq, exc.errors, request.form, refused, 422)
    text = _("Saved: %(used)s m³ used.", used=reading.consumption_m3)
    if reading.status == "pending":
        text += " " + _("Flagged for the station chief's review.")
    return _after(route_id, seq, text)


def _conflict(route_id: int, seq: int, exc: Conflict):
    """A second value for a meter read this month (the service's one message). On the page: the stop again,
    saying so and showing what was typed. From the phone's outbox (it asks for JSON): the 409 itself, so the
    value typed offline is shown as a conflict, not silently dropped."""
    db.session.rollback()
    if wants_json():
        raise exc
    return _render_stop(route_id, seq, {}, request.form, None, 409, conflict=exc.message)


class _StillConfirming:
    """The confirmation was incomplete (no reason or photo): keep showing its fields."""

    confirmable = True
    code = "confirm"


@bp.post("/routes/<int:route_id>/stops/<int:seq>/skip")
@permission_required(P.readings_record)
def skip(route_id, seq):
    _route, stop = stops.get_stop(current_user, route_id, seq)
    try:
        data = load_form(schemas.SkipIn())
        result = skips.skip_stop(current_user, stop.meter_id, data["code"], data.get("note"), photo_bytes(),
                                 route_id=route_id)
    except Conflict as exc:  # nobody home at a meter already read or estimated this month
        return _conflict(route_id, seq, exc)
    except Invalid as exc:
        db.session.rollback()
        return _render_stop(route_id, seq, exc.errors, request.form, None, 422)
    if result.reading_id:
        text = _("Nobody home: estimated at %(value)s.", value=result.reading.value)
    elif result.needs_visit:
        text = _("Recorded. No estimate is possible: the station chief will arrange a visit.")
    elif result.needs_replacement:
        text = _("Recorded. The station chief will order the meter replacement.")
    else:
        text = _("Recorded.")
    return _after(route_id, seq, text)


def _arrears_action(route_id, seq, action):
    _route, stop = stops.get_stop(current_user, route_id, seq)
    customer_id = stop.meter.customer_id
    try:
        message = action(customer_id)
    except Invalid as exc:
        db.session.rollback()  # the stop is drawn again from what is stored
        return _render_stop(route_id, seq, exc.errors, request.form, None, 422)
    flash(message, "success")
    return redirect(url_for("readings.stop", route_id=route_id, seq=seq, _anchor="arrears"))


@bp.post("/routes/<int:route_id>/stops/<int:seq>/pay")
@permission_required(P.arrears_collect)
def pay(route_id, seq):
    def action(customer_id):
        data = load_form(schemas.PaymentIn())
        payment = arrears.record_payment(current_user, customer_id, data["amount"], data["method"])
        return _("Payment of %(amount)s recorded.", amount=payment.amount)
    return _arrears_action(route_id, seq, action)


@bp.post("/routes/<int:route_id>/stops/<int:seq>/promise")
@permission_required(P.arrears_collect)
def promise(route_id, seq):
    def action(customer_id):
        data = load_form(schemas.PromiseIn())
        arrears.record_promise(current_user, customer_id, data["promised_on"], data.get("note"))
        return _("Promise to pay by %(date)s recorded.", date=data["promised_on"].isoformat())
    return _arrears_action(route_id, seq, action)


@bp.post("/routes/<int:route_id>/stops/<int:seq>/notice")
@permission_required(P.arrears_collect)
def notice(route_id, seq):
    def action(customer_id):
        data = load_form(schemas.NoteIn())
        arrears.serve_notice(current_user, customer_id, photo_bytes(), data.get("note"))
        return _("Notice served.")
    return _arrears_action(route_id, seq, action)

