"""Pages of the IC-card sales desk: find a card, quote, take payment, write and confirm the card,
reverse, receipts, card events, and the day's reconciliation. Each handler: parse → service → redirect or
render; the request's unit of work (fieldsvc.web) commits, except the two phases of the card write, which
commit at once (views/sale.py, api.py)."""
from flask import Blueprint

bp = Blueprint("cardsales", __name__, url_prefix="/cardsales")

from fieldsvc.cardsales.views import cardevents, days, desk, sale  # noqa: E402,F401  (routes register on bp)
