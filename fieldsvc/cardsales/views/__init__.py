"""Pages of the IC-card sales desk: find a card, quote, take payment, write and confirm the card,
reverse, receipts, card events, and the day's reconciliation. Each handler: parse → service → commit →
redirect or render."""
from flask import Blueprint

bp = Blueprint("cardsales", __name__, url_prefix="/cardsales")

from fieldsvc.cardsales.views import cardevents, days, desk, sale  # noqa: E402,F401  (routes register on bp)
