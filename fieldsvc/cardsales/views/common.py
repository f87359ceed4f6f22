"""Helpers shared by the card-sales pages."""
from flask import request, session
from flask_login import current_user
from marshmallow import ValidationError

from fieldsvc.cardsales.services import common
from fieldsvc.errors import Invalid

OUTLET_KEY = "cardsales_outlet_id"


def load(schema, form=None) -> dict:
    """Validate a submitted form with the API's schema; errors come back as Invalid."""
    form = form if form is not None else request.form
    try:
        return schema.load(form.to_dict() if hasattr(form, "to_dict") else dict(form))
    except ValidationError as exc:
        raise Invalid(exc.messages) from exc


def messages(errors: dict) -> str:
    return " ".join(m for msgs in errors.values() for m in (msgs if isinstance(msgs, list) else [str(msgs)]))


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
