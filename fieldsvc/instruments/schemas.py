"""Input and output schemas of the instrument register (API.md "Additions": the field names are fixed)."""
from marshmallow import Schema, fields

from fieldsvc.instruments import rules
from fieldsvc.schemas import BaseSchema, ClientIdMixin, PageArgs, length, one_of, page_of, rng

MAX_ID = 2**31 - 1  # what an id column holds: a larger number is a typing slip, not a lookup


def Id(**kwargs):  # noqa: N802 - reads like a field class
    return fields.Integer(validate=rng(1, MAX_ID), **kwargs)


class InstrumentPatch(BaseSchema):
    kind = fields.String(validate=one_of(rules.KINDS))
    serial_no = fields.String(validate=length(40, 1))
    model = fields.String(validate=length(100))
    holder_id = Id(allow_none=True)
    note = fields.String(validate=length(2000))
    version = fields.Integer(validate=rng(1, MAX_ID))


class InstrumentIn(ClientIdMixin, InstrumentPatch):
    kind = fields.String(required=True, validate=one_of(rules.KINDS))
    serial_no = fields.String(required=True, validate=length(40, 1))
    calibrated_on = fields.Date()
    calibration_due = fields.Date()


class InstrumentCheckIn(ClientIdMixin, BaseSchema):
    kind = fields.String(required=True, validate=one_of(rules.CHECK_KINDS))
    on = fields.Date()
    ok = fields.Boolean(allow_none=True)
    note = fields.String(validate=length(2000))
    calibration_due = fields.Date()  # a calibration: the certificate's date (default: the kind's interval)


class InstrumentQuery(PageArgs):
    q = fields.String(validate=length(40))
    kind = fields.String(validate=one_of(rules.KINDS))


class HolderOut(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String()


class InstrumentCheckOut(Schema):
    id = fields.Integer()
    instrument_id = fields.Integer()
    kind = fields.String()
    on = fields.Date(attribute="checked_on")
    ok = fields.Boolean()
    note = fields.String(allow_none=True)
    calibrated_on = fields.Date(allow_none=True)
    calibration_due = fields.Date(allow_none=True)
    previous_due = fields.Date(allow_none=True)
    status_after = fields.String()
    by_id = fields.Integer(allow_none=True)


def _due_state(instrument) -> str:
    from fieldsvc.instruments.services import due_state
    return due_state(instrument)


class InstrumentOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    serial_no = fields.String()
    model = fields.String(allow_none=True)
    holder_id = fields.Integer(allow_none=True)
    holder = fields.Nested(HolderOut, allow_none=True)
    calibrated_on = fields.Date(allow_none=True)
    calibration_due = fields.Date(allow_none=True)
    status = fields.String()
    due_state = fields.Function(lambda i: _due_state(i))
    note = fields.String(allow_none=True)
    version = fields.Integer()
    checks = fields.List(fields.Nested(InstrumentCheckOut))


InstrumentPage = page_of(InstrumentOut)
