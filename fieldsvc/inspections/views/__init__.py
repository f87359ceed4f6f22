"""Inspection pages. One blueprint, split by area; each handler is parse → service → respond (the
request's unit of work commits, fieldsvc.web)."""
from flask import Blueprint
from flask_babel import get_locale

from fieldsvc.inspections import rules

bp = Blueprint("inspections", __name__, url_prefix="/inspections")
PER_PAGE = 30


@bp.context_processor
def _helpers():
    return {"insp_rules": rules, "locale_code": str(get_locale() or "zh_CN")}


from fieldsvc.inspections.views import archive, hazards, inspect, plan, sampling  # noqa: E402,F401
