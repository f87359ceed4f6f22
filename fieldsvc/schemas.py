"""Shared marshmallow bases: messages in the user's language, form-friendly input, list envelopes.

Every input schema derives from BaseSchema, so what it refuses is refused on every form and API call:
control characters in text (newline and tab are text; a form's CR LF becomes LF), and dates outside
DATE_MIN–DATE_MAX (year 0001 or 9999 is a typing slip or a probe, and date arithmetic overflows on it).
Query-string dates and months go through parse_date / parse_month, which apply the same range.
"""
import re
from datetime import date, datetime

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from fieldsvc.errors import Invalid

DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)
# C0 controls but tab and newline, DEL, C1 controls, lone surrogates (not encodable), U+FFFE/U+FFFF.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

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


def control_characters_message() -> str:
    return gettext("Control characters are not allowed here (only line breaks and tabs).")


def date_range_message() -> str:
    return gettext("Give a date between %(min)s and %(max)s.", min=DATE_MIN.isoformat(), max=DATE_MAX.isoformat())


def _text(value):
    """(value with CR LF / CR made LF, whether a control character is left), through lists and dicts."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value, CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, list | tuple):
        pairs = [_text(v) for v in value]
        return [v for v, _bad in pairs], any(bad for _v, bad in pairs)
    if isinstance(value, dict):
        pairs = [(_text(k), _text(v)) for k, v in value.items()]
        return {k: v for (k, _kb), (v, _vb) in pairs}, any(kb or vb for (_k, kb), (_v, vb) in pairs)
    return value, False


def sane_date(value) -> None:
    """Validator: a date (or a moment's date) between DATE_MIN and DATE_MAX."""
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(date_range_message())


def _bound_dates(field) -> None:
    """Add sane_date to a date/datetime field (also inside List, Tuple and Dict values)."""
    if isinstance(field, fields.Date | fields.DateTime):
        if sane_date not in field.validators:
            field.validators = [*field.validators, sane_date]
    elif isinstance(field, fields.List):
        _bound_dates(field.inner)
    elif isinstance(field, fields.Tuple):
        for inner in field.tuple_fields:
            _bound_dates(inner)
    elif isinstance(field, fields.Dict) and field.value_field is not None:
        _bound_dates(field.value_field)


class BaseSchema(Schema):
    """Input schema: unknown fields ignored, strings stripped, empty strings are 'not given', control
    characters refused, dates kept within DATE_MIN–DATE_MAX."""

    class Meta:
        unknown = EXCLUDE

    def on_bind_field(self, field_name, field_obj):
        _bound_dates(field_obj)

    @pre_load
    def _clean(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        cleaned, errors = {}, {}
        for key, value in data.items():
            value, bad = _text(value)
            if bad:
                errors[key] = [control_characters_message()]
            if isinstance(value, str):
                value = value.strip()
                if value == "":
                    continue
            cleaned[key] = value
        if errors:
            raise ValidationError(errors)
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


def parse_date(text: str | None, field: str = "date") -> date | None:
    """A query-string date (YYYY-MM-DD) within DATE_MIN–DATE_MAX; None when empty; else Invalid naming `field`."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Invalid({field: [gettext("Give the date as YYYY-MM-DD.")]}) from None
    if not DATE_MIN <= day <= DATE_MAX:
        raise Invalid({field: [date_range_message()]})
    return day


MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(text: str | None, field: str = "month") -> tuple[int, int] | None:
    """A query-string month (YYYY-MM) within DATE_MIN–DATE_MAX as (year, month); None when empty; else
    Invalid naming `field`."""
    text = (text or "").strip()
    if not text:
        return None
    match = MONTH.match(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise Invalid({field: [gettext("Give the month as YYYY-MM.")]})
    year, month = int(match.group(1)), int(match.group(2))
    if not DATE_MIN.year <= year <= DATE_MAX.year:
        raise Invalid({field: [gettext("Give a month between %(min)s and %(max)s.",
                                       min=DATE_MIN.strftime("%Y-%m"), max=DATE_MAX.strftime("%Y-%m"))]})
    return year, month
