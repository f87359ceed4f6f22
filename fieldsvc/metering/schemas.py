"""Input and output schemas of the metering office (API and pages)."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

from fieldsvc.metering import rules
from fieldsvc.metering.services import documents
from fieldsvc.metering.services import equipment as equipment_services
from fieldsvc.schemas import BaseSchema, ClientIdMixin, PageArgs, length, one_of, page_of, rng

VERIFICATIONS = [v.value for v in rules.Verification]


def max_places(places: int):
    """Refuse more decimals than are stored, so what is computed is exactly what is kept and printed."""
    def check(value: Decimal) -> None:
        if value.as_tuple().exponent < -places:
            raise ValidationError(str(_l("At most %(n)d decimals.", n=places)))
    return check


def positive(value: Decimal) -> None:
    if value <= 0:
        raise ValidationError(str(_l("Must be above zero.")))


# --- equipment ------------------------------------------------------------------------------------

class EquipmentCalibrationOut(Schema):
    id = fields.Integer()
    certificate_no = fields.String()
    calibrated_on = fields.Date(allow_none=True)
    due_on = fields.Date()
    status = fields.String()
    recorded_by_id = fields.Integer(allow_none=True)
    decided_by_id = fields.Integer(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    reject_reason = fields.String(allow_none=True)
    file_url = fields.Function(lambda c: f"/uploads/{c.upload_id}" if c.upload_id else None)


class BenchEquipmentOut(Schema):
    id = fields.Integer()
    name = fields.String()
    serial_no = fields.String()
    kind = fields.String()
    status = fields.String()  # approval: pending | approved | rejected
    calibration_cert = fields.String()  # the certificate in force (approved)
    calibration_expires_on = fields.Date()
    calibration_status = fields.Function(lambda e: _equipment_status(e))  # valid | expiring | expired
    pending_calibration = fields.Function(lambda e: _pending(e))
    note = fields.String(allow_none=True)
    active = fields.Boolean()
    approved_by_id = fields.Integer(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    version = fields.Integer()


def _equipment_status(equipment) -> str:
    return equipment_services.status(equipment).value


def _pending(equipment):
    calibration = equipment_services.pending_calibration(equipment)
    return EquipmentCalibrationOut().dump(calibration) if calibration is not None else None


class BenchEquipmentPatch(BaseSchema):
    name = fields.String(validate=length(100, 1))
    serial_no = fields.String(validate=length(60, 1))
    kind = fields.String(validate=one_of(equipment_services.KINDS))
    calibration_cert = fields.String(validate=length(60, 1))
    calibrated_on = fields.Date()
    calibration_expires_on = fields.Date()
    note = fields.String(validate=length(2000))
    active = fields.Boolean()
    version = fields.Integer()


class BenchEquipmentIn(ClientIdMixin, BenchEquipmentPatch):
    name = fields.String(required=True, validate=length(100, 1))
    serial_no = fields.String(required=True, validate=length(60, 1))
    kind = fields.String(load_default=rules.EquipmentKind.flow_standard.value,
                         validate=one_of(equipment_services.KINDS))
    calibration_cert = fields.String(required=True, validate=length(60, 1))
    calibration_expires_on = fields.Date(required=True)


class EquipmentFormIn(BenchEquipmentIn):
    """The page asks for the calibration date too."""

    calibrated_on = fields.Date(required=True)


class RenewalIn(BaseSchema):
    calibration_cert = fields.String(required=True, validate=length(60, 1))
    calibrated_on = fields.Date()
    calibration_expires_on = fields.Date(required=True)


class RenewalFormIn(RenewalIn):
    calibrated_on = fields.Date(required=True)


class EquipmentRejectIn(BaseSchema):
    reason = fields.String(required=True, validate=length(1000, 1),
                           error_messages={"required": _l("Say why it is rejected.")})


class BenchEquipmentQuery(PageArgs):
    include_inactive = fields.Boolean(load_default=False)
    status = fields.String(validate=one_of([a.value for a in rules.Approval]))
    kind = fields.String(validate=one_of(equipment_services.KINDS))
    q = fields.String(validate=length(60))


# --- meter tests ----------------------------------------------------------------------------------

class MeterPointIn(BaseSchema):
    flow_m3h = fields.Decimal(required=True, validate=[positive, max_places(3)])
    reference_l = fields.Decimal(required=True, validate=[positive, max_places(3), rng(0, 100000)])
    indicated_l = fields.Decimal(required=True, validate=[max_places(3), rng(0, 100000)])


class MeterTestReadingsIn(BaseSchema):
    """What a test records besides the meter (shared with the batch form, where the meter is per row)."""

    leak_test_ok = fields.Boolean(required=True)
    pressure_loss_pa = fields.Decimal(required=True, validate=[max_places(1), rng(0, 5000)])
    points = fields.List(fields.Nested(MeterPointIn), required=True,
                         validate=validate.Length(min=1, max=10, error=_l("Between {min} and {max} flow points.")))
    note = fields.String(validate=length(2000))


class BenchConditionsIn(BaseSchema):
    verification = fields.String(required=True, validate=one_of(VERIFICATIONS))
    equipment_id = fields.Integer(required=True)  # a flow standard
    leak_equipment_id = fields.Integer(allow_none=True)  # a leak bench: optional in the API, asked for on pages
    temperature_c = fields.Decimal(required=True, validate=[max_places(1), rng(-10, 50)])
    humidity_pct = fields.Decimal(required=True, validate=[max_places(1), rng(0, 100)])


class MeterTestIn(ClientIdMixin, BenchConditionsIn, MeterTestReadingsIn):
    meter_id = fields.Integer(required=True)


class MeterTestCorrectionIn(BenchConditionsIn, MeterTestReadingsIn):
    pass


class LeakBenchRequired(BaseSchema):
    leak_equipment_id = fields.Integer(required=True,
                                       error_messages={"required": _l("Choose the leak-test bench.")})


class MeterTestFormIn(LeakBenchRequired, MeterTestIn):
    pass


class MeterTestCorrectionFormIn(LeakBenchRequired, MeterTestCorrectionIn):
    pass


class MeterPointOut(Schema):
    seq = fields.Integer()
    flow_m3h = fields.Decimal(as_string=False)
    reference_l = fields.Decimal(as_string=False)
    indicated_l = fields.Decimal(as_string=False)
    zone = fields.String()
    error_pct = fields.Decimal(as_string=False)
    mpe_pct = fields.Decimal(as_string=False)
    ok = fields.Boolean()


class MeteringDocumentOut(Schema):
    number = fields.String()
    kind = fields.String()
    issued_on = fields.Date()
    valid_until = fields.Date(allow_none=True)
    sha256 = fields.String()
    status = fields.Function(lambda d: _document_status(d))
    superseded_by = fields.Function(lambda d: d.superseded_by.number if d.superseded_by else None)
    pdf_url = fields.Function(lambda d: _urls(d)[0])
    verify_url = fields.Function(lambda d: _urls(d)[1])


def _document_status(document) -> str:
    return documents.status(document).value


def _urls(document) -> tuple[str, str]:
    return documents.pdf_url(document.number), documents.verify_url(document.number)


class MeterTestOut(Schema):
    id = fields.Integer()
    meter_id = fields.Integer()
    serial_no = fields.Function(lambda t: t.meter.serial_no)
    verification = fields.String()
    equipment_id = fields.Integer()
    leak_equipment_id = fields.Integer(allow_none=True)
    tester_id = fields.Integer()
    tested_on = fields.Date()
    size = fields.String()
    accuracy_class = fields.String()
    customer_id = fields.Integer(allow_none=True)
    temperature_c = fields.Decimal(as_string=False)
    humidity_pct = fields.Decimal(as_string=False)
    leak_test_ok = fields.Boolean()
    pressure_loss_pa = fields.Decimal(as_string=False)
    pressure_loss_limit_pa = fields.Decimal(as_string=False)
    points = fields.List(fields.Nested(MeterPointOut))
    ok = fields.Boolean()
    failures = fields.List(fields.String())
    mean_error_pct = fields.Decimal(as_string=False)
    corrects_id = fields.Integer(allow_none=True)
    checker_id = fields.Integer(allow_none=True)
    approver_id = fields.Integer(allow_none=True)
    document = fields.Nested(MeteringDocumentOut, allow_none=True)


class MeterTestQuery(PageArgs):
    q = fields.String(validate=length(40))
    state = fields.String(validate=one_of(["pending", "issued"]))


class IssueDocumentIn(BaseSchema):
    checker_id = fields.Integer()


class IssuedDocumentOut(Schema):
    number = fields.String()
    kind = fields.String()
    valid_until = fields.Date(allow_none=True)
    pdf_url = fields.Function(lambda d: _urls(d)[0])
    verify_url = fields.Function(lambda d: _urls(d)[1])
    sha256 = fields.String()


BenchEquipmentPage = page_of(BenchEquipmentOut)
MeterTestPage = page_of(MeterTestOut)


# --- batch sessions -------------------------------------------------------------------------------

class BatchOpenIn(LeakBenchRequired, BenchConditionsIn):
    reference = fields.String(required=True, validate=length(60, 1))
    verification = fields.String(load_default=rules.Verification.initial.value, validate=one_of(
        [rules.Verification.initial.value, rules.Verification.subsequent.value]))  # a session is not in service


class BatchTestIn(MeterTestReadingsIn):
    pass


# --- weekly in-home checks ------------------------------------------------------------------------

class VisitIn(BaseSchema):
    outcome = fields.String(required=True, validate=one_of(["done", "no_access"]))
    reading = fields.Decimal(validate=[max_places(3), rng(0)])
    seal_ok = fields.Boolean()
    findings = fields.List(fields.String(validate=one_of(["seal_broken", "meter_damaged", "leak_suspected",
                                                          "register_fault", "life_reached", "obstructed",
                                                          "tampering"])), load_default=list)
    note = fields.String(validate=length(1000))


# --- complaint verification -----------------------------------------------------------------------

class CaseOpenIn(BaseSchema):
    meter_id = fields.Integer(required=True)
    removed_on = fields.Date(required=True)
    final_reading = fields.Decimal(required=True, validate=[max_places(3), rng(0)])
    spare_serial = fields.String(required=True, validate=length(40, 1))
    spare_start_reading = fields.Decimal(load_default=Decimal(0), validate=[max_places(3), rng(0)])


class BilledIn(BaseSchema):
    billed_m3 = fields.Decimal(required=True, validate=[max_places(3), positive])
    billed_amount = fields.Decimal(validate=[max_places(2), rng(0)])
