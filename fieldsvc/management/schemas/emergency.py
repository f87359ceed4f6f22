"""Schemas of the emergency plans and drills (pages and the API)."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from fieldsvc.management import rules_emergency as rules
from fieldsvc.management.schemas import Id, LocalDateTime
from fieldsvc.schemas import BaseSchema, ClientIdMixin, PageArgs, length, one_of, page_of, rng

PHONE = validate.Regexp(r"^[0-9+\-() ]{3,30}$", error=_l("Give a phone number (digits, + - and spaces)."))


class PlanPatch(BaseSchema):
    title = fields.String(validate=length(200, 1))
    scenario = fields.String(validate=one_of(rules.SCENARIOS))
    review_on = fields.Date()
    scope = fields.String(validate=length(4000))
    response = fields.String(validate=length(20000))
    active = fields.Boolean()
    version = fields.Integer(validate=rng(1, 2**31 - 1))


class PlanIn(ClientIdMixin, PlanPatch):
    title = fields.String(required=True, validate=length(200, 1))
    scenario = fields.String(required=True, validate=one_of(rules.SCENARIOS))
    review_on = fields.Date(required=True)


class PlanQuery(PageArgs):
    q = fields.String(validate=length(100))
    scenario = fields.String(validate=one_of(rules.SCENARIOS))


class ContactIn(BaseSchema):
    user_id = Id()
    name = fields.String(validate=length(100, 1))
    phone = fields.String(validate=PHONE)
    duty = fields.String(validate=length(200))
    position = fields.Integer(validate=rng(1, 999))


class DrillPatch(BaseSchema):
    held_on = fields.Date()
    district_id = Id()
    started_at = LocalDateTime()
    ended_at = LocalDateTime()
    response_minutes = fields.Integer(validate=rng(0, rules.MAX_RESPONSE_MINUTES))
    exercise = fields.String(validate=length(4000))
    outside_participants = fields.String(validate=length(2000))
    evaluation = fields.String(validate=length(20000))
    participants = fields.List(Id(), validate=validate.Length(max=200))
    version = fields.Integer(validate=rng(1, 2**31 - 1))


class DrillIn(ClientIdMixin, DrillPatch):
    held_on = fields.Date(required=True)
    participants = fields.List(Id(), required=True, validate=validate.Length(min=1, max=200))
    actions = fields.List(fields.String(validate=length(2000)), validate=validate.Length(max=50))


class DrillActionIn(BaseSchema):
    description = fields.String(required=True, validate=length(2000, 1))


class ContactOut(Schema):
    name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    duty = fields.String(allow_none=True)
    staff = fields.Boolean()


class DrillActionOut(Schema):
    id = fields.Integer()
    description = fields.String()
    nonconformity_id = fields.Integer(allow_none=True)


class DrillOut(Schema):
    id = fields.Integer()
    plan_id = fields.Integer()
    district_id = fields.Integer(allow_none=True)
    held_on = fields.Date()
    started_at = fields.DateTime(allow_none=True)
    ended_at = fields.DateTime(allow_none=True)
    response_minutes = fields.Integer(allow_none=True)
    duration_minutes = fields.Integer(allow_none=True)
    participants = fields.List(fields.Integer())
    outside_participants = fields.String(allow_none=True)
    evaluation = fields.String(allow_none=True)
    actions = fields.List(fields.Nested(DrillActionOut))
    version = fields.Integer()


class PlanOut(Schema):
    id = fields.Integer()
    title = fields.String()
    scenario = fields.String()
    review_on = fields.Date()
    review_state = fields.String()
    scope = fields.String(allow_none=True)
    response = fields.String(allow_none=True)
    active = fields.Boolean()
    call_list = fields.List(fields.Nested(ContactOut))
    version = fields.Integer()


PlanPage = page_of(PlanOut)
