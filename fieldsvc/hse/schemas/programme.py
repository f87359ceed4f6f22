"""Objectives, training, publicity campaigns and self-inspections."""
from marshmallow import fields

from fieldsvc.hse import rules
from fieldsvc.hse.schemas.base import CODES
from fieldsvc.permissions import Role
from fieldsvc.schemas import BaseSchema, length, one_of, rng


class HseObjectiveIn(BaseSchema):
    year = fields.Integer(required=True, validate=rng(2000, 2100))
    unit = fields.String(required=True, validate=one_of(CODES["unit"]))
    owner_id = fields.Integer()
    objective = fields.String(required=True, validate=length(200, 1))
    indicator = fields.String(required=True, validate=length(200, 1))
    target_value = fields.Decimal(required=True, validate=rng(0), places=2, allow_nan=False)
    measure = fields.String(validate=length(20))
    direction = fields.String(load_default="at_least", validate=one_of(rules.TARGET_DIRECTIONS))
    programme = fields.String(validate=length(4000))
    due_on = fields.Date()


class ProgressIn(BaseSchema):
    actual_value = fields.Decimal(required=True, validate=rng(0), places=2, allow_nan=False)
    as_of = fields.Date(required=True)
    note = fields.String(validate=length(2000))


class TopicIn(BaseSchema):
    name = fields.String(required=True, validate=length(100, 1))
    description = fields.String(validate=length(2000))


class RequirementIn(BaseSchema):
    topic_id = fields.Integer(required=True)
    role = fields.String(required=True, validate=one_of(Role))
    interval_months = fields.Integer(required=True, validate=rng(1, 120))


class SessionIn(BaseSchema):
    topic_id = fields.Integer(required=True)
    held_on = fields.Date(required=True)
    hours = fields.Decimal(required=True, validate=rng(0, 100), places=1, allow_nan=False)
    trainer = fields.String(required=True, validate=length(100, 1))
    place = fields.String(validate=length(200))
    note = fields.String(validate=length(2000))
    attendee_ids = fields.List(fields.Integer(), load_default=list)


class CampaignIn(BaseSchema):
    title = fields.String(required=True, validate=length(200, 1))
    theme = fields.String(validate=length(2000))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date()


class CampaignRecordIn(BaseSchema):
    held_on = fields.Date(required=True)
    place = fields.String(required=True, validate=length(200, 1))
    audience_count = fields.Integer(required=True, validate=rng(0, 1_000_000))
    materials = fields.String(validate=length(2000))
    note = fields.String(validate=length(2000))


class InspectionIn(BaseSchema):
    unit = fields.String(required=True, validate=one_of(CODES["unit"]))
    period = fields.String(required=True, validate=length(7, 7))
    held_on = fields.Date(required=True)
