"""Inspection pages. One blueprint, split by area; each handler is parse → service → commit → respond."""
from flask import Blueprint
from flask_babel import get_locale
from marshmallow import ValidationError

from fieldsvc.errors import Invalid
from fieldsvc.inspections import rules

bp = Blueprint("inspections", __name__, url_prefix="/inspections")
PER_PAGE = 30


@bp.context_processor
def _helpers():
    return {"insp_rules": rules, "locale_code": str(get_locale() or "zh_CN")}


def load_form(schema, data: dict) -> dict:
    """Validate a submitted form with the API's schema; errors come back as Invalid."""
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise Invalid(exc.messages) from exc


from fieldsvc.inspections.views import archive, hazards, inspect, plan, sampling  # noqa: E402,F401
