"""Input and output schemas of inspections, hazards and pressure (API and pages)."""
from marshmallow import Schema, fields

from fieldsvc.customers import rules as customer_rules
from fieldsvc.inspections import rules
from fieldsvc.schemas import BaseSchema, ClientIdMixin, PageArgs, length, one_of, page_of, rng

GASES = [g.value for g in customer_rules.Gas]
MAX_PA = 20000  # a manometer at the stove reads a few kPa; anything above is a typing slip


class InspectionItemIn(BaseSchema):
    code = fields.String(required=True, validate=length(40, 1))
    ok = fields.Boolean(required=True)
    note = fields.String(validate=length(300))
    grade = fields.String(validate=one_of([g.value for g in rules.Grade]))  # judged graver or lighter


class InspectionApplianceIn(BaseSchema):
    kind = fields.String(required=True, validate=one_of([k.value for k in customer_rules.ApplianceKind]))
    brand = fields.String(validate=length(60))
    model = fields.String(validate=length(60))
    sold_on = fields.Date()
    flame_failure = fields.Boolean(load_default=False)
    flue_type = fields.String(validate=one_of(customer_rules.FLUE_TYPES))


class SafetyInspectionIn(ClientIdMixin, BaseSchema):
    customer_id = fields.Integer(required=True)
    outcome = fields.String(required=True, validate=one_of([o.value for o in rules.Outcome]))
    items = fields.List(fields.Nested(InspectionItemIn), load_default=list)
    static_pa = fields.Integer(validate=rng(0, MAX_PA), allow_none=True)
    working_pa = fields.Integer(validate=rng(0, MAX_PA), allow_none=True)
    instrument_id = fields.Integer(validate=rng(1, 2**31 - 1), allow_none=True)  # the manometer (instruments)
    visited_at = fields.AwareDateTime()
    appliances = fields.List(fields.Integer(), allow_none=True, load_default=None)  # ids confirmed; None: all
    new_appliances = fields.List(fields.Nested(InspectionApplianceIn), load_default=list)
    card_left = fields.Boolean(load_default=False)
    door_gap_check = fields.String(validate=one_of([d.value for d in rules.DoorGap]))
    refused_by = fields.String(validate=length(100))
    refusal_reason = fields.String(validate=length(300))
    supply_shut_off = fields.Boolean(load_default=False)
    signature = fields.String()  # PNG data URL from the signature pad
    no_signature_reason = fields.String(validate=length(200))
    note = fields.String(validate=length(2000))


class InspectionCompleteIn(BaseSchema):
    supply_shut_off = fields.Boolean(load_default=False)
    signature = fields.String()
    no_signature_reason = fields.String(validate=length(200))
    refused_by = fields.String(validate=length(100))
    door_gap_check = fields.String(validate=one_of([d.value for d in rules.DoorGap]))


class SafetyHazardBrief(Schema):
    id = fields.Integer()
    code = fields.String()
    grade = fields.String()
    deadline = fields.Date(allow_none=True)
    status = fields.String()
    work_order_id = fields.Integer(allow_none=True)


class SafetyInspectionOut(Schema):
    id = fields.Integer()
    customer_id = fields.Integer()
    inspector_id = fields.Integer()
    outcome = fields.String()
    scope = fields.String()  # household | indoor_pipe (a pipe fitter's check)
    visited_at = fields.DateTime()
    gas = fields.String()
    static_pa = fields.Integer(allow_none=True)
    working_pa = fields.Integer(allow_none=True)
    instrument_id = fields.Integer(allow_none=True)
    hazards = fields.List(fields.Nested(SafetyHazardBrief))
    pressure = fields.Function(lambda i: {"verdict": i.pressure_verdict, "restriction": i.restriction})
    missing = fields.Function(lambda i: i.missing_codes)
    items = fields.Function(lambda i: [{"code": r.code, "ok": r.ok, "grade": r.grade, "note": r.note}
                                       for r in i.results])


class PressureEvaluateIn(BaseSchema):
    gas = fields.String(required=True, validate=one_of(GASES))
    static_pa = fields.Integer(validate=rng(0, MAX_PA), allow_none=True)
    working_pa = fields.Integer(required=True, validate=rng(0, MAX_PA))


class PressureEvaluateOut(Schema):
    verdict = fields.String()
    band_pa = fields.List(fields.Integer())
    restriction = fields.Boolean(allow_none=True)


class SafetyHazardOut(SafetyHazardBrief):
    customer_id = fields.Integer()
    inspection_id = fields.Integer()
    found_on = fields.Date()
    escalated = fields.Boolean()
    work_order_status = fields.Function(lambda h: h.work_order.status if h.work_order else None)
    closed_at = fields.DateTime(allow_none=True)
    note = fields.Function(lambda h: h.result.note)


class SafetyHazardQuery(PageArgs):
    view = fields.String(load_default="all", validate=one_of(["all", "escalated", "mine", "recheck"]))
    status = fields.String(validate=one_of([s.value for s in rules.HazardStatus]))
    grade = fields.String(validate=one_of([g.value for g in rules.Grade]))
    district_id = fields.Integer()
    customer_id = fields.Integer()


SafetyHazardPage = page_of(SafetyHazardOut)


class HazardRecheckIn(BaseSchema):
    result = fields.String(required=True, validate=one_of(["pass", "fail"]))
    note = fields.String(validate=length(500))


class InspectionBatchIn(BaseSchema):
    district_id = fields.Integer(required=True)
    assignee_id = fields.Integer(required=True)
    size = fields.Integer(required=True, validate=rng(1, 500))
    status = fields.String(load_default="overdue", validate=one_of(["overdue", "due", "both"]))
    due_on = fields.Date()
    note = fields.String(validate=length(200))


class SamplingDrawIn(BaseSchema):
    n = fields.Integer(required=True, validate=rng(1, 100))


class SamplingPointIn(BaseSchema):
    account_no = fields.String(required=True, validate=length(20, 1))
    note = fields.String(validate=length(200))


class FacilityIn(BaseSchema):
    """The archive's facility data (an empty field clears it)."""

    meter_location = fields.String(validate=one_of(list(rules.METER_LOCATIONS)))
    pipe_material = fields.String(validate=one_of(list(rules.PIPE_MATERIALS)))
    facility_note = fields.String(validate=length(300))
