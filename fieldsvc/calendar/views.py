"""The office's calendar page: one year's holidays and make-up working days, add one, remove one."""
from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.calendar import rules, schemas, services
from fieldsvc.labels import label
from fieldsvc.permissions import P, permission_required
from fieldsvc.schemas import DATE_MAX, DATE_MIN
from fieldsvc.web import act, load_form, on_record

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


def _year(text: str | None) -> int:
    """?year=2027; anything else (empty, words, year 99999) → this year."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and DATE_MIN.year <= int(text) <= DATE_MAX.year:
        return int(text)
    return clock.today().year


def _page(year: int, values=None, errors=None, status: int = 200):
    days = services.list_year(current_user, year)
    return render_template("calendar/index.html", year=year, days=days, note=services.year_note(days),
                           values=values or {}, errors=errors or {}, rules=rules,
                           years=range(max(year - 1, DATE_MIN.year), min(year + 1, DATE_MAX.year) + 1)), status


@bp.get("/")
@permission_required(P.calendar_manage)
def index():
    return _page(_year(request.args.get("year")))


@bp.post("/")
@permission_required(P.calendar_manage)
def add():
    year = _year(request.form.get("year"))

    def process():
        row = services.add_day(current_user, load_form(schemas.CalendarDayIn()))
        return _("%(day)s added: %(kind)s.", day=row.day.isoformat(), kind=label(row.kind, "calendar_kind"))

    def render(values, errors, status):
        return _page(year, values, errors, status)
    typed_year = (request.form.get("day") or "").strip()[:4]  # back to the year of the day entered
    back = url_for("calendar.index", year=_year(typed_year) if typed_year.isdigit() else year)
    return on_record(render, process, back)


@bp.post("/<int:day_id>/remove")
@permission_required(P.calendar_manage)
def remove(day_id):
    year = _year(request.form.get("year"))
    return act(lambda: services.remove_day(current_user, day_id), _("Removed from the calendar."),
               url_for("calendar.index", year=year))
