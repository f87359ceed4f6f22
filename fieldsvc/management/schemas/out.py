"""Output schemas of the management registers (the API's JSON)."""
from marshmallow import Schema, fields

from fieldsvc.schemas import page_of


class UserRef(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String()


class VersionOut(Schema):
    id = fields.Integer()
    revision = fields.Integer()
    label = fields.String()
    status = fields.String()
    summary = fields.String(allow_none=True)
    change_note = fields.String(allow_none=True)
    effective_on = fields.Date(allow_none=True)
    review_on = fields.Date(allow_none=True)
    approved_by = fields.Integer(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    in_force_at = fields.DateTime(allow_none=True)
    withdrawn_at = fields.DateTime(allow_none=True)
    pdf_url = fields.String(allow_none=True)


class PolicyOut(Schema):
    id = fields.Integer()
    number = fields.String()
    title = fields.String()
    owner = fields.Nested(UserRef)
    applies_to = fields.List(fields.String())
    status = fields.String()  # of the version in force, else of the latest version
    in_force = fields.Nested(VersionOut, allow_none=True)
    versions = fields.List(fields.Nested(VersionOut))
    version = fields.Integer()


PolicyPage = page_of(PolicyOut)


class NotificationOut(Schema):
    party = fields.String()
    notified_at = fields.DateTime()
    channel = fields.String()
    note = fields.String(allow_none=True)


class StepOut(Schema):
    at = fields.DateTime()
    text = fields.String()


class ActionOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    description = fields.String()
    nonconformity_id = fields.Integer(allow_none=True)


class IncidentOut(Schema):
    id = fields.Integer()
    number = fields.String()
    title = fields.String()
    kind = fields.String()
    severity = fields.String()
    status = fields.String()
    occurred_at = fields.DateTime()
    location = fields.String()
    district_id = fields.Integer(allow_none=True)
    plan_id = fields.Integer(allow_none=True)
    description = fields.String()
    people_affected = fields.String(allow_none=True)
    injured = fields.Integer()
    deaths = fields.Integer()
    property_damage = fields.String(allow_none=True)
    immediate_measures = fields.String(allow_none=True)
    resources = fields.String(allow_none=True)
    causes = fields.String(allow_none=True)
    lessons = fields.String(allow_none=True)
    responsibility = fields.String(allow_none=True)
    work_order_ids = fields.List(fields.Integer())
    notifications = fields.List(fields.Nested(NotificationOut))
    steps = fields.List(fields.Nested(StepOut))
    actions = fields.List(fields.Nested(ActionOut))
    report_url = fields.String()
    version = fields.Integer()


IncidentPage = page_of(IncidentOut)


class VehicleCheckOut(Schema):
    checked_on = fields.Date()
    at = fields.DateTime()
    odometer_km = fields.Integer()
    all_ok = fields.Boolean()
    results = fields.Dict(keys=fields.String(), values=fields.Boolean())
    note = fields.String(allow_none=True)
    driver_id = fields.Integer()


class VehicleOut(Schema):
    id = fields.Integer()
    plate = fields.String()
    model = fields.String()
    status = fields.String()
    driver = fields.Nested(UserRef, allow_none=True)
    odometer_km = fields.Integer()
    next_service_on = fields.Date(allow_none=True)
    next_service_km = fields.Integer(allow_none=True)
    maintenance = fields.String()  # ok | due_soon | overdue
    last_check = fields.Nested(VehicleCheckOut, allow_none=True)
    version = fields.Integer()


VehiclePage = page_of(VehicleOut)
