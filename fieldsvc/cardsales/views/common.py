"""Helpers shared by the card-sales pages."""
from flask import session
from flask_login import current_user

from fieldsvc.cardsales.services import common
from fieldsvc.errors import Invalid

OUTLET_KEY = "cardsales_outlet_id"


def current_outlet():
    """The outlet the clerk works at (chosen on the desk, kept in the session), or None if none exists."""
    try:
        return common.outlet_for(current_user, session.get(OUTLET_KEY))
    except Invalid:
        session.pop(OUTLET_KEY, None)
        try:
            return common.outlet_for(current_user, None)
        except Invalid:
            return None
