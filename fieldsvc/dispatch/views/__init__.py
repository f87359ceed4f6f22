"""Dispatch pages: the chief's board, the order page, the technician's jobs, custody."""
from flask import Blueprint
from marshmallow import ValidationError

from fieldsvc.dispatch import rules
from fieldsvc.dispatch.services.board import due_state
from fieldsvc.errors import Invalid

bp = Blueprint("dispatch", __name__, url_prefix="/dispatch")


@bp.context_processor
def _helpers():
    return {"wo_due": due_state, "wo_rules": rules, "minutes_since": rules.minutes_since}


def load_form(schema, data: dict) -> dict:
    """Validate a submitted form with the API's schema; errors come back as Invalid."""
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise Invalid(exc.messages) from exc


from fieldsvc.dispatch.views import board, custody, orders  # noqa: E402,F401  (routes on bp)
