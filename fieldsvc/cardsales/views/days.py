"""The day's reconciliation per clerk and outlet, closing it, and the chiefs' overview (open days,
reversal requests waiting for approval, closed days)."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.cardsales import schemas
from fieldsvc.cardsales.services import days, reversals
from fieldsvc.cardsales.views import bp
from fieldsvc.cardsales.views.common import current_outlet
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.permissions import P, can, permission_required
from fieldsvc.schemas import parse_date
from fieldsvc.web import load_form


@bp.get("/days", endpoint="days")
@permission_required(P.card_sales_view)
def days_page():
    selling = can(current_user, P.card_sell)
    outlet = current_outlet() if selling else None
    today = None
    if selling and outlet is not None:
        today = days.get_day(current_user, current_user.id, outlet.id, clock.today())
    open_days = [days.get_day(current_user, c, o, d) for c, o, d in days.open_days(current_user)]
    return render_template("cardsales/days.html", today=today, outlet=outlet, open_days=open_days,
                           closed=days.list_days(current_user), requests=reversals.open_requests(current_user))


def _day_page(clerk_id, outlet_id, business_date, values=None, errors=None, status=200):
    day = days.get_day(current_user, clerk_id, outlet_id, business_date)
    return render_template("cardsales/day.html", day=day, values=values or {}, errors=errors or {},
                           may_close=(day.clerk.id == current_user.id and can(current_user, P.card_sell)
                                      and day.business_date <= clock.today())), status


@bp.get("/days/<int:clerk_id>/<int:outlet_id>/<day>", endpoint="day")
@permission_required(P.card_sales_view)
def day_page(clerk_id, outlet_id, day):
    return _day_page(clerk_id, outlet_id, _date(day))


def _date(text: str) -> date:
    try:
        date.fromisoformat(text)
    except ValueError:
        abort(404)
    return parse_date(text, "business_date")  # within the app's date range, else 422


@bp.post("/days/<int:outlet_id>/close", endpoint="close_day")
@permission_required(P.card_sell)
def close_day(outlet_id):
    day = _date(request.form.get("business_date") or clock.today().isoformat())
    try:
        data = load_form(schemas.CloseDayIn())
        days.close_day(current_user, outlet_id, data["counted_cash"], data.get("note"), day)
    except (Invalid, Conflict) as exc:
        db.session.rollback()  # the day is drawn again from what is stored
        errors = getattr(exc, "errors", None) or {"_schema": [exc.message]}
        return _day_page(current_user.id, outlet_id, day, request.form, errors,
                         409 if isinstance(exc, Conflict) else 422)
    flash(_("Day closed."), "success")
    return redirect(url_for("cardsales.day", clerk_id=current_user.id, outlet_id=outlet_id, day=day.isoformat()))
