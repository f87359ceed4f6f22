"""HSE pages. One blueprint, split by area; each handler is parse → service → respond (the request commits)."""
from flask import Blueprint

bp = Blueprint("hse", __name__, url_prefix="/hse")

from fieldsvc.hse.views import (  # noqa: E402, F401
    audits,
    capa,
    home,
    legal,
    programme,
    registers,
    training,
    training_external,  # contractors' people at a session
)
