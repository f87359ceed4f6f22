"""The register of legal and other requirements and their compliance evaluations (API.md "Additions")."""
from marshmallow import Schema, fields

from fieldsvc.hse.rules_legal import LEGAL_KINDS
from fieldsvc.schemas import BaseSchema, ClientIdMixin, PageArgs, length, one_of, page_of


class LegalIn(ClientIdMixin, BaseSchema):
    title = fields.String(required=True, validate=length(200, 1))
    kind = fields.String(validate=one_of(LEGAL_KINDS))
    issuer = fields.String(required=True, validate=length(120, 1))
    clause = fields.String(validate=length(4000))
    applies_to = fields.String(required=True, validate=length(2000, 1))
    next_review_on = fields.Date(required=True)


class LegalPatch(LegalIn):
    version = fields.Integer()


class EvaluationIn(ClientIdMixin, BaseSchema):
    compliant = fields.Boolean(required=True)
    note = fields.String(required=True, validate=length(4000, 1))
    evaluated_on = fields.Date()


class EvaluationOut(Schema):
    id = fields.Integer()
    requirement_id = fields.Integer()
    evaluated_on = fields.Date()
    compliant = fields.Boolean()
    note = fields.String()
    evaluator_id = fields.Integer()
    upload_id = fields.Integer(allow_none=True)
    nonconformity_id = fields.Integer(allow_none=True)


class LegalOut(Schema):
    id = fields.Integer()
    title = fields.String()
    kind = fields.String()
    issuer = fields.String()
    clause = fields.String(allow_none=True)
    applies_to = fields.String()
    next_review_on = fields.Date()
    example = fields.Boolean()
    status = fields.String()
    last_evaluated_on = fields.Date(allow_none=True)
    last_compliant = fields.Boolean(allow_none=True)
    version = fields.Integer()


class LegalQuery(PageArgs):
    q = fields.String(validate=length(100))
    due = fields.Boolean()


LegalPage = page_of(LegalOut)
