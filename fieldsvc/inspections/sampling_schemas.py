"""Schemas of the sampling review: the sign-off form, the follow-up tap, the weekly report (API.md:
`GET /api/v1/pressure-samples?from=&to=`)."""
from marshmallow import Schema, fields

from fieldsvc.schemas import BaseSchema, length


class SamplingSignOffIn(BaseSchema):
    day = fields.Date(required=True)
    analysis = fields.String(required=True, validate=length(2000, 1))  # the page's own name: `note` is taken


class SamplingReportQuery(BaseSchema):
    from_ = fields.Date(data_key="from", metadata={"description": "First day (YYYY-MM-DD); default: this week's Monday"})
    to = fields.Date(metadata={"description": "Last day, inclusive (at most 31 days from `from`)"})


class PressureSampleOut(Schema):
    id = fields.Integer()
    day = fields.Date()
    customer_id = fields.Integer()
    account_no = fields.String()
    customer = fields.String()
    district = fields.String()
    address = fields.String()
    gas = fields.String()
    work_order_id = fields.Integer()
    status = fields.String()
    technician = fields.String(allow_none=True)
    static_pa = fields.Integer(allow_none=True)
    working_pa = fields.Integer(allow_none=True)
    band_pa = fields.List(fields.Integer())
    verdict = fields.String(allow_none=True, metadata={"description": "low | normal | high; null: no reading"})
    restriction = fields.Boolean(allow_none=True)
    anomaly = fields.Boolean()
    locked = fields.Boolean(metadata={"description": "The day is signed off: the reading is the one signed"})
    followup_order_id = fields.Integer(allow_none=True)
    followup_status = fields.String(allow_none=True)


class SamplingPointOut(Schema):
    customer_id = fields.Integer()
    account_no = fields.String()
    customer = fields.String()
    district = fields.String()
    address = fields.String()
    samples = fields.Integer()
    anomalies = fields.Integer()


class SamplingFollowupOut(Schema):
    sample_id = fields.Integer()
    work_order_id = fields.Integer()
    status = fields.String()


class SamplingSignOffOut(Schema):
    day = fields.Date()
    signed_by = fields.String()
    signed_at = fields.DateTime()
    note = fields.String()
    samples = fields.Integer()
    anomalies = fields.Integer()


class SamplingTotals(Schema):
    days = fields.Integer()
    days_signed_off = fields.Integer()
    samples = fields.Integer()
    measured = fields.Integer()
    anomalies = fields.Integer()
    followups = fields.Integer()


class SamplingReportOut(Schema):
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    points_on_file = fields.Integer()
    points = fields.List(fields.Nested(SamplingPointOut))
    samples = fields.List(fields.Nested(PressureSampleOut))
    anomalies = fields.List(fields.Nested(PressureSampleOut))
    followups = fields.List(fields.Nested(SamplingFollowupOut))
    signoffs = fields.List(fields.Nested(SamplingSignOffOut))
    unsigned_days = fields.List(fields.Date())
    totals = fields.Nested(SamplingTotals)
