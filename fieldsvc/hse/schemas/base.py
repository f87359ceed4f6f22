"""Shared pieces of the HSE schemas: factor fields, code lists, text lengths."""
from flask_babel import gettext as _
from marshmallow import ValidationError, fields

from fieldsvc.hse import rules
from fieldsvc.hse.labels import UNITS
from fieldsvc.schemas import length


def allowed_message(allowed) -> str:
    return _("Must be one of: %(values)s.", values=", ".join(rules.fmt(v) for v in allowed))


def factor_field(name: str, required: bool = True):
    def check(value):
        try:
            rules.factor(name, value)
        except rules.FactorError as exc:
            raise ValidationError(allowed_message(exc.allowed)) from exc
    return fields.Decimal(validate=check, allow_nan=False, required=required, allow_none=not required)


TEXT = length(2000)
CODES = {
    "unit": list(UNITS), "category": list(rules.HAZARD_CATEGORIES), "state": list(rules.STATES),
    "accident_type": list(rules.ACCIDENT_TYPE_CODES),
}
