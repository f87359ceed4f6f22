"""The director's monthly analysis and the improvement actions raised from it into HSE."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.complaints import rules, schemas
from fieldsvc.complaints.services import analysis as service
from fieldsvc.complaints.views import bp
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import load_form


def _render(month_text: str | None, status: int = 200, errors=None, values=None, conflict=None):
    year, month = rules.parse_month(month_text, clock.today())
    result = service.monthly(current_user, year, month)
    return render_template("complaints/analysis.html", a=result, errors=errors or {}, values=values or {},
                           conflict=conflict, prev=rules.shift_month(year, month, -1),
                           next=rules.shift_month(year, month, 1), nc_url=_nc_url), status


def _nc_url(nc_id: int) -> str | None:
    """The HSE page of the nonconformity, when the HSE module is installed."""
    if "hse.nonconformity" not in current_app.view_functions:
        return None
    return url_for("hse.nonconformity", nc_id=nc_id)


@bp.get("/analysis")
@permission_required(P.complaints_view_all)
def analysis():
    return _render(request.args.get("month"))


@bp.post("/analysis/improvements")
@permission_required(P.complaints_approve)
def raise_improvement():
    year, month = rules.parse_month(request.form.get("month"), clock.today())
    key = f"{year:04d}-{month:02d}"
    try:
        data = load_form(schemas.ImprovementIn())
        row = service.raise_improvement(current_user, key, data["title"], data["description"])
    except Invalid as exc:
        db.session.rollback()  # the page is drawn again from the month's stored figures
        return _render(key, 422, exc.errors, request.form)
    except Conflict as exc:
        db.session.rollback()
        return _render(key, 409, values=request.form, conflict=exc.message)
    flash(_("Improvement action raised as nonconformity %(number)s.", number=row.nc_number), "success")
    return redirect(url_for("complaints.analysis", month=key))
