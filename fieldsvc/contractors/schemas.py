"""Contractor schemas: input (pages and the API) and output."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from fieldsvc.contractors import rules
from fieldsvc.schemas import BaseSchema, ClientIdMixin, PageArgs, length, one_of, page_of, rng

MAX_ID = 2**31 - 1
PHONE = validate.Regexp(r"^[0-9+\-() ]{3,30}$", error=_l("Give a phone number (digits, + - and spaces)."))


def Id(**kwargs):  # noqa: N802 - reads like a field class
    return fields.Integer(validate=rng(1, MAX_ID), **kwargs)


class ContractorPatch(BaseSchema):
    name = fields.String(validate=length(200, 1))
    licence_no = fields.String(validate=length(60, 1))
    licence_expires_on = fields.Date()
    scope = fields.String(validate=length(4000, 1))
    contact_name = fields.String(validate=length(60))
    contact_phone = fields.String(validate=PHONE)
    note = fields.String(validate=length(4000))
    supervisor_ids = fields.List(Id(), validate=validate.Length(max=50))
    version = fields.Integer(validate=rng(1, MAX_ID))


class ContractorIn(ClientIdMixin, ContractorPatch):
    name = fields.String(required=True, validate=length(200, 1))
    licence_no = fields.String(required=True, validate=length(60, 1))
    licence_expires_on = fields.Date(required=True)
    scope = fields.String(required=True, validate=length(4000, 1))


class ContractorQuery(PageArgs):
    q = fields.String(validate=length(100))
    state = fields.String(validate=one_of(("expired", "expiring")))


class SupervisorOut(Schema):
    id = fields.Integer(attribute="user_id")
    name = fields.Function(lambda s: s.user.name)


class ContractorOut(Schema):
    id = fields.Integer()
    name = fields.String()
    licence_no = fields.String()
    licence_expires_on = fields.Date()
    licence_state = fields.String()
    scope = fields.String()
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    active = fields.Boolean()
    supervisors = fields.List(fields.Nested(SupervisorOut))
    version = fields.Integer()


ContractorPage = page_of(ContractorOut)


class PermitPatch(BaseSchema):
    customer_id = Id()
    address = fields.String(validate=length(250, 1))
    district_id = Id()
    work = fields.String(validate=length(4000, 1))
    valid_from = fields.Date()
    valid_to = fields.Date()
    supervisor_id = Id()
    version = fields.Integer(validate=rng(1, MAX_ID))


class PermitIn(PermitPatch):
    contractor_id = Id(required=True)
    work = fields.String(required=True, validate=length(4000, 1))
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(required=True)


class PermitFinishIn(BaseSchema):
    to = fields.String(required=True, validate=one_of(("closed", "cancelled")))
    note = fields.String(validate=length(2000))
    version = fields.Integer(validate=rng(1, MAX_ID))


class PermitOut(Schema):
    id = fields.Integer()
    number = fields.String()
    contractor_id = fields.Integer()
    customer_id = fields.Integer(allow_none=True)
    address = fields.String()
    district_id = fields.Integer(allow_none=True)
    work = fields.String()
    valid_from = fields.Date()
    valid_to = fields.Date()
    status = fields.String(validate=one_of(rules.PERMIT_STATUSES))
    version = fields.Integer()
