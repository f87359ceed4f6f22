"""Input schemas of the management domain (pages and the API); the output schemas are in .out."""
from datetime import datetime

from marshmallow import fields

from fieldsvc import clock
from fieldsvc.management import rules
from fieldsvc.permissions import Role
from fieldsvc.schemas import BaseSchema, PageArgs, length, one_of, rng


class LocalDateTime(fields.DateTime):
    """A moment as a phone's datetime-local input sends it (no offset: the business time zone), or ISO
    8601 with an offset (the API). Always loaded as an aware datetime."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if isinstance(moment, datetime) and moment.tzinfo is None:
            moment = moment.replace(tzinfo=clock.zone())
        return moment


ROLES = tuple(r.value for r in Role)
MAX_ID = 2**31 - 1  # what an id column holds: a larger number is a typing slip, not a lookup


def Id(**kwargs):  # noqa: N802 - reads like a field class
    return fields.Integer(validate=rng(1, MAX_ID), **kwargs)


# --- policies ---------------------------------------------------------------------------------------

class PolicyPatch(BaseSchema):
    number = fields.String(validate=length(30, 1))
    title = fields.String(validate=length(200, 1))
    owner_id = Id()
    applies_to = fields.List(fields.String(validate=one_of(ROLES)))
    version = fields.Integer()


class VersionIn(BaseSchema):
    summary = fields.String(validate=length(20000))
    change_note = fields.String(validate=length(2000))
    effective_on = fields.Date()
    review_on = fields.Date()
    version = fields.Integer()


class PolicyIn(PolicyPatch, VersionIn):
    number = fields.String(required=True, validate=length(30, 1))
    title = fields.String(required=True, validate=length(200, 1))


class TransitionIn(BaseSchema):
    to = fields.String(required=True, validate=length(20, 1))
    reason = fields.String(validate=length(2000))
    version = fields.Integer()


class CheckIn(BaseSchema):
    checked_on = fields.Date(required=True)
    scope = fields.String(required=True, validate=length(200, 1))
    note = fields.String(validate=length(4000))
    findings = fields.List(fields.String(validate=length(2000)), load_default=list)
    raise_nc = fields.Boolean(load_default=False)


class PolicyQuery(PageArgs):
    q = fields.String(validate=length(100))
    status = fields.String(validate=one_of(rules.PolicyStatus))


# --- incidents --------------------------------------------------------------------------------------

class IncidentPatch(BaseSchema):
    title = fields.String(validate=length(200, 1))
    kind = fields.String(validate=one_of(rules.INCIDENT_KINDS))
    severity = fields.String(validate=one_of(rules.INCIDENT_SEVERITIES))
    occurred_at = LocalDateTime()
    location = fields.String(validate=length(250, 1))
    district_id = Id()
    description = fields.String(validate=length(20000))
    people_affected = fields.String(validate=length(4000))
    injured = fields.Integer(validate=rng(0, 10000))
    deaths = fields.Integer(validate=rng(0, 10000))
    property_damage = fields.String(validate=length(4000))
    immediate_measures = fields.String(validate=length(8000))
    resources = fields.String(validate=length(4000))
    plan_id = Id()  # the emergency plan used
    version = fields.Integer()


class IncidentIn(IncidentPatch):
    title = fields.String(required=True, validate=length(200, 1))
    kind = fields.String(required=True, validate=one_of(rules.INCIDENT_KINDS))
    occurred_at = LocalDateTime(required=True)
    location = fields.String(required=True, validate=length(250, 1))
    description = fields.String(required=True, validate=length(20000))
    work_order_id = Id()


class LinkIn(BaseSchema):
    work_order_id = Id(required=True)


class NotificationIn(BaseSchema):
    party = fields.String(required=True, validate=length(200, 1))
    notified_at = LocalDateTime(required=True)
    channel = fields.String(required=True, validate=one_of(rules.NOTIFY_CHANNELS))
    note = fields.String(validate=length(2000))


class StepIn(BaseSchema):
    at = LocalDateTime(required=True)
    text = fields.String(required=True, validate=length(2000, 1))


class AnalysisIn(BaseSchema):
    causes = fields.String(required=True, validate=length(8000, 1))
    lessons = fields.String(required=True, validate=length(8000, 1))
    responsibility = fields.String(required=True, validate=length(8000, 1))


class ActionIn(BaseSchema):
    kind = fields.String(load_default="corrective", validate=one_of(rules.INCIDENT_ACTION_KINDS))
    description = fields.String(required=True, validate=length(2000, 1))


class IncidentTransitionIn(BaseSchema):
    to = fields.String(required=True, validate=length(20, 1))
    no_action_reason = fields.String(validate=length(2000))
    version = fields.Integer()


class IncidentQuery(PageArgs):
    q = fields.String(validate=length(100))
    status = fields.String(validate=one_of(rules.IncidentStatus))


# --- plans ------------------------------------------------------------------------------------------

class PlanIn(BaseSchema):
    year = fields.Integer(required=True, validate=rng(2000, 2100))
    kind = fields.String(required=True, validate=one_of(rules.PLAN_KINDS))
    title = fields.String(validate=length(200))


class ItemIn(BaseSchema):
    section = fields.String(required=True, validate=length(16, 1))
    description = fields.String(required=True, validate=length(2000, 1))
    owner_id = Id()
    due_on = fields.Date()
    metric = fields.String(validate=length(32))
    target = fields.Decimal(validate=rng(0, 10**9), places=2)


class ProgressIn(BaseSchema):
    progress_pct = fields.Decimal(validate=rng(0, 100), places=1)
    progress_note = fields.String(validate=length(2000))
    done_on = fields.Date()


# --- vehicles ---------------------------------------------------------------------------------------

class VehiclePatch(BaseSchema):
    plate = fields.String(validate=length(16, 1))
    model = fields.String(validate=length(100, 1))
    status = fields.String(validate=one_of(rules.VEHICLE_STATUSES))
    next_service_on = fields.Date()
    next_service_km = fields.Integer(validate=rng(0, 10**7))
    driver_id = Id(allow_none=True)
    note = fields.String(validate=length(2000))
    version = fields.Integer()


class VehicleIn(VehiclePatch):
    plate = fields.String(required=True, validate=length(16, 1))
    model = fields.String(required=True, validate=length(100, 1))
    odometer_km = fields.Integer(load_default=0, validate=rng(0, 10**7))


class VehicleCheckIn(BaseSchema):
    odometer_km = fields.Integer(required=True, validate=rng(0, 10**7))
    results = fields.Dict(keys=fields.String(validate=one_of(rules.CHECK_ITEMS)), values=fields.Boolean(),
                          load_default=dict)
    note = fields.String(validate=length(2000))


class ServiceIn(BaseSchema):
    done_on = fields.Date(required=True)
    odometer_km = fields.Integer(required=True, validate=rng(0, 10**7))
    work = fields.String(required=True, validate=length(2000, 1))
    workshop = fields.String(validate=length(100))
    next_service_on = fields.Date()
    next_service_km = fields.Integer(validate=rng(0, 10**7))


class VehicleQuery(PageArgs):
    q = fields.String(validate=length(40))
    status = fields.String(validate=one_of(rules.VEHICLE_STATUSES))


from fieldsvc.management.schemas.out import (  # noqa: E402,F401  (one import path for both)
    ActionOut,
    IncidentOut,
    IncidentPage,
    NotificationOut,
    PolicyOut,
    PolicyPage,
    StepOut,
    UserRef,
    VehicleCheckOut,
    VehicleOut,
    VehiclePage,
    VersionOut,
)
