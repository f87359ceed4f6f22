"""Small helpers shared by the readings pages."""
from flask import request
from marshmallow import ValidationError

from fieldsvc.errors import Invalid


def load(schema, form=None) -> dict:
    """Validate a submitted form with the API's schema; errors come back as Invalid."""
    try:
        return schema.load((form if form is not None else request.form).to_dict())
    except ValidationError as exc:
        raise Invalid(exc.messages) from exc


def photo_bytes(name: str = "photo") -> bytes | None:
    upload = request.files.get(name)
    if upload is None or not upload.filename:
        return None
    return upload.read()


def messages(errors: dict) -> str:
    return " ".join(m for msgs in errors.values() for m in msgs)
