"""Shared marshmallow bases: messages in the user's language, form-friendly input, list envelopes."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

# marshmallow's own messages, marked here so they are extracted into the catalogs.
_BUILTIN_MESSAGES = [
    _l("Missing data for required field."),
    _l("Field may not be null."),
    _l("Not a valid string."),
    _l("Not a valid integer."),
    _l("Not a valid number."),
    _l("Not a valid boolean."),
    _l("Not a valid date."),
    _l("Not a valid datetime."),
    _l("Not a valid email address."),
    _l("Not a valid UUID."),
    _l("Not a valid list."),
    _l("Unknown field."),
    _l("Invalid input type."),
    _l("Must be one of: {choices}."),
    _l("Invalid value."),
    _l("Shorter than minimum length {min}."),
    _l("Longer than maximum length {max}."),
    _l("Length must be between {min} and {max}."),
    _l("Must be greater than or equal to {min}."),
    _l("Must be less than or equal to {max}."),
    _l("Must be greater than or equal to {min} and less than or equal to {max}."),
    _l("String does not match expected pattern."),
]


def translate(messages):
    """Translate marshmallow messages (str, list or nested dict) into the current locale."""
    if isinstance(messages, dict):
        return {k: translate(v) for k, v in messages.items()}
    if isinstance(messages, list):
        return [translate(m) for m in messages]
    return gettext(messages) if isinstance(messages, str) else messages


class BaseSchema(Schema):
    """Input schema: unknown fields ignored, strings stripped, empty strings are 'not given'."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _clean(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        cleaned = {}
        for key, value in data.items():
            if isinstance(value, str):
                value = value.strip()
                if value == "":
                    continue
            cleaned[key] = value
        return cleaned

    def handle_error(self, error, data, **kwargs):
        raise ValidationError(translate(error.messages), error.field_name, error.data)


def one_of(choices, labels=None):
    """OneOf with the message in the user's language."""
    return validate.OneOf(list(choices), error=_l("Must be one of: {choices}."))


def length(max_len, min_len=None):
    if min_len:
        return validate.Length(min=min_len, max=max_len, error=_l("Length must be between {min} and {max}."))
    return validate.Length(max=max_len, error=_l("Longer than maximum length {max}."))


def rng(min_val=None, max_val=None):
    if min_val is not None and max_val is not None:
        return validate.Range(min=min_val, max=max_val,
                              error=_l("Must be greater than or equal to {min} and less than or equal to {max}."))
    if min_val is not None:
        return validate.Range(min=min_val, error=_l("Must be greater than or equal to {min}."))
    return validate.Range(max=max_val, error=_l("Must be less than or equal to {max}."))


class PageArgs(BaseSchema):
    page = fields.Integer(load_default=1, validate=rng(1))
    per_page = fields.Integer(load_default=50, validate=rng(1, 200))


class ClientIdMixin(Schema):
    client_id = fields.UUID(load_default=None)


def page_of(item_schema):
    """Envelope schema {items, total} for an item schema (named for OpenAPI)."""
    name = item_schema.__name__.removesuffix("Schema") + "Page"
    return type(name, (Schema,), {
        "items": fields.List(fields.Nested(item_schema)),
        "total": fields.Integer(),
    })
