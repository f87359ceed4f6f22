"""Nonconformities and their actions."""
from marshmallow import Schema, fields

from fieldsvc.hse import rules
from fieldsvc.hse.schemas.base import CODES
from fieldsvc.schemas import BaseSchema, ClientIdMixin, PageArgs, length, one_of, page_of


class NcIn(ClientIdMixin, BaseSchema):
    title = fields.String(required=True, validate=length(200, 1))
    description = fields.String(required=True, validate=length(4000, 1))
    origin = fields.String(required=True, validate=one_of(rules.NC_ORIGINS))
    unit = fields.String(validate=one_of(CODES["unit"]))


class NcTransitionIn(BaseSchema):
    to = fields.String(required=True, validate=one_of(rules.NC_STATES))
    version = fields.Integer()
    reason = fields.String(validate=length(2000))


class AnalysisIn(BaseSchema):
    root_cause = fields.String(required=True, validate=length(4000, 1))
    version = fields.Integer()


class ActionIn(BaseSchema):
    kind = fields.String(required=True, validate=one_of(rules.ACTION_KINDS))
    description = fields.String(required=True, validate=length(2000, 1))
    owner_id = fields.Integer(required=True)
    deadline = fields.Date(required=True)


class ActionDoneIn(BaseSchema):
    done_on = fields.Date(required=True)
    note = fields.String(validate=length(2000))


class EffectivenessIn(BaseSchema):
    effective = fields.Boolean(required=True)
    effectiveness_note = fields.String(required=True, validate=length(4000, 1))


class NcActionOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    description = fields.String()
    owner_id = fields.Integer()
    deadline = fields.Date()
    done_on = fields.Date(allow_none=True)


class NcOut(Schema):
    id = fields.Integer()
    number = fields.String()
    title = fields.String()
    description = fields.String()
    origin = fields.String()
    source_entity = fields.String(allow_none=True)
    source_id = fields.Integer(allow_none=True)
    unit = fields.String(allow_none=True)
    district_id = fields.Integer(allow_none=True)  # a station's line: the chief's district
    status = fields.String()
    root_cause = fields.String(allow_none=True)
    effective = fields.Boolean(allow_none=True)
    actions = fields.List(fields.Nested(NcActionOut))
    version = fields.Integer()


class NcQuery(PageArgs):
    status = fields.String(validate=one_of(rules.NC_STATES))
    origin = fields.String(validate=one_of(rules.NC_ORIGINS))


NcPage = page_of(NcOut)
