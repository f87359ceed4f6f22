"""Pages of the readings domain: the reader's route and stops, the chief's routes, review, export and
arrears, tariffs and bills. Each handler: parse → service → redirect or render; the request's unit of
work (fieldsvc.web) commits."""
from flask import Blueprint

bp = Blueprint("readings", __name__, url_prefix="/readings")

from fieldsvc.readings.views import chief, reader, tariffs  # noqa: E402,F401  (routes register on bp)
