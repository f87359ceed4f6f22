"""Dispatch pages: the chief's board, the order page, the technician's jobs, custody."""
from flask import Blueprint

from fieldsvc.dispatch import rules
from fieldsvc.dispatch.services.board import due_state

bp = Blueprint("dispatch", __name__, url_prefix="/dispatch")


@bp.context_processor
def _helpers():
    return {"wo_due": due_state, "wo_rules": rules, "minutes_since": rules.minutes_since}


from fieldsvc.dispatch.views import board, custody, orders  # noqa: E402,F401  (routes on bp)
