"""The calendar page's form."""
from marshmallow import fields

from fieldsvc.calendar.rules import Kind
from fieldsvc.schemas import BaseSchema, length, one_of


class CalendarDayIn(BaseSchema):
    """A date (refused outside 2000–2100 like every date), its kind and the holiday's name."""

    day = fields.Date(required=True)
    kind = fields.String(required=True, validate=one_of(Kind))
    name = fields.String(required=True, validate=length(60, 1))
