"""The internal audit programme and the management review (forms; the API has no audit routes yet)."""
from marshmallow import fields

from fieldsvc.hse.labels import UNITS
from fieldsvc.hse.rules_legal import DECISION_KINDS
from fieldsvc.schemas import BaseSchema, length, one_of, rng


class AuditIn(BaseSchema):
    title = fields.String(required=True, validate=length(200, 1))
    unit = fields.String(required=True, validate=one_of(UNITS))
    scope_clauses = fields.String(required=True, validate=length(2000, 1))
    auditor_id = fields.Integer(required=True, validate=rng(1, 2**31 - 1))
    planned_on = fields.Date(required=True)
    version = fields.Integer()


class ConductIn(BaseSchema):
    conducted_on = fields.Date(required=True)
    summary = fields.String(required=True, validate=length(4000, 1))


class FindingIn(BaseSchema):
    clause = fields.String(required=True, validate=length(60, 1))
    description = fields.String(required=True, validate=length(4000, 1))


class ReviewIn(BaseSchema):
    year = fields.Integer(required=True, validate=rng(2000, 2100))
    held_on = fields.Date(required=True)
    participants = fields.String(required=True, validate=length(2000, 1))
    input_notes = fields.String(validate=length(8000))
    conclusion = fields.String(validate=length(8000))


class ReviewPatch(BaseSchema):
    held_on = fields.Date(required=True)
    participants = fields.String(required=True, validate=length(2000, 1))
    input_notes = fields.String(validate=length(8000))
    conclusion = fields.String(validate=length(8000))
    version = fields.Integer()


class ReviewDecisionIn(BaseSchema):
    kind = fields.String(required=True, validate=one_of(DECISION_KINDS))
    description = fields.String(required=True, validate=length(2000, 1))
    owner_id = fields.Integer(required=True, validate=rng(1, 2**31 - 1))
    due_on = fields.Date(required=True)
