"""HSE pages. One blueprint, split by area; each handler is parse → service → respond (the request commits)."""
from flask import Blueprint

bp = Blueprint("hse", __name__, url_prefix="/hse")

from fieldsvc.hse.views import capa, home, programme, registers, training  # noqa: E402, F401
