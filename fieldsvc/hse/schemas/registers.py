"""Hazards, environmental aspects and field observations."""
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validates_schema

from fieldsvc.hse import rules
from fieldsvc.hse.schemas.base import CODES, TEXT, allowed_message, factor_field
from fieldsvc.schemas import BaseSchema, ClientIdMixin, PageArgs, length, one_of, page_of, rng


class HseHazardPatch(BaseSchema):
    unit = fields.String(validate=one_of(CODES["unit"]))
    activity = fields.String(validate=length(200, 1))
    description = fields.String(validate=length(2000, 1))
    category = fields.String(validate=one_of(CODES["category"]))
    accident_type = fields.String(validate=one_of(CODES["accident_type"]))
    state = fields.String(validate=one_of(CODES["state"]))
    l = factor_field("l", required=False)  # noqa: E741 - the method's letters
    e = factor_field("e", required=False)
    c = factor_field("c", required=False)
    direct_criteria = fields.List(fields.String(validate=one_of(rules.DIRECT_CRITERIA)))
    control_engineering = fields.String(validate=TEXT)
    control_management = fields.String(validate=TEXT)
    control_training = fields.String(validate=TEXT)
    control_ppe = fields.String(validate=TEXT)
    control_emergency = fields.String(validate=TEXT)
    owner_id = fields.Integer(allow_none=True)
    review_on = fields.Date(allow_none=True)
    residual_l = factor_field("l", required=False)
    residual_e = factor_field("e", required=False)
    residual_c = factor_field("c", required=False)
    version = fields.Integer()


class HseHazardIn(ClientIdMixin, HseHazardPatch):
    activity = fields.String(required=True, validate=length(200, 1))
    description = fields.String(required=True, validate=length(2000, 1))
    accident_type = fields.String(required=True, validate=one_of(CODES["accident_type"]))
    l = factor_field("l")  # noqa: E741
    e = factor_field("e")
    c = factor_field("c")
    direct_criteria = fields.List(fields.String(validate=one_of(rules.DIRECT_CRITERIA)), load_default=list)
    observation_id = fields.Integer()


class HseHazardOut(Schema):
    id = fields.Integer()
    unit = fields.String()
    district_id = fields.Integer(allow_none=True)  # a station's line: the chief's district
    activity = fields.String()
    description = fields.String()
    category = fields.String(allow_none=True)
    accident_type = fields.String()
    state = fields.String()
    l = fields.Decimal(as_string=False)  # noqa: E741
    e = fields.Decimal(as_string=False)
    c = fields.Decimal(as_string=False)
    d = fields.Decimal(as_string=False)
    grade = fields.Integer()
    colour = fields.String()
    significant = fields.Boolean()
    direct_criteria = fields.List(fields.String(), attribute="criteria")
    control_engineering = fields.String(allow_none=True)
    control_management = fields.String(allow_none=True)
    control_training = fields.String(allow_none=True)
    control_ppe = fields.String(allow_none=True)
    control_emergency = fields.String(allow_none=True)
    owner_id = fields.Integer(allow_none=True)
    review_on = fields.Date(allow_none=True)
    residual_d = fields.Decimal(as_string=False, allow_none=True)
    residual_grade = fields.Integer(allow_none=True)
    status = fields.String()
    version = fields.Integer()


class HseHazardQuery(PageArgs):
    grade = fields.Integer(validate=rng(1, 5))
    significant = fields.Boolean()
    unit = fields.String(validate=one_of(CODES["unit"]))
    q = fields.String(validate=length(100))


class HseAspectPatch(BaseSchema):
    unit = fields.String(validate=one_of(CODES["unit"]))
    activity = fields.String(validate=length(200, 1))
    aspect = fields.String(validate=length(2000, 1))
    impact = fields.String(validate=length(2000, 1))
    kind = fields.String(validate=one_of(rules.ASPECT_KINDS))
    state = fields.String(validate=one_of(CODES["state"]))
    a = fields.Integer()
    b = fields.Integer()
    c = fields.Integer()
    d = fields.Integer()
    e = fields.Integer()
    f = fields.Integer()
    g = fields.Integer()
    controls = fields.String(validate=TEXT)
    owner_id = fields.Integer(allow_none=True)
    review_on = fields.Date(allow_none=True)
    version = fields.Integer()

    @validates_schema
    def _scales(self, data, **kwargs):
        """Each score of the line's kind on its scale; every wrong one named at once."""
        kind = data.get("kind")
        if kind not in rules.ASPECT_SCALES:
            return
        errors = {}
        for name, allowed in rules.ASPECT_SCALES[kind].items():
            if name not in data and not self.partial_scores:
                errors[name] = [_("Missing data for required field.")]
            elif name in data and data[name] not in allowed:
                errors[name] = [allowed_message(allowed)]
        if errors:
            raise ValidationError(errors)

    partial_scores = True


class HseAspectIn(ClientIdMixin, HseAspectPatch):
    activity = fields.String(required=True, validate=length(200, 1))
    aspect = fields.String(required=True, validate=length(2000, 1))
    impact = fields.String(required=True, validate=length(2000, 1))
    kind = fields.String(required=True, validate=one_of(rules.ASPECT_KINDS))
    observation_id = fields.Integer()
    partial_scores = False


class HseAspectOut(Schema):
    id = fields.Integer()
    unit = fields.String()
    district_id = fields.Integer(allow_none=True)  # a station's line: the chief's district
    activity = fields.String()
    aspect = fields.String()
    impact = fields.String()
    kind = fields.String()
    state = fields.String()
    a = fields.Integer(allow_none=True)
    b = fields.Integer(allow_none=True)
    c = fields.Integer(allow_none=True)
    d = fields.Integer(allow_none=True)
    e = fields.Integer(allow_none=True)
    f = fields.Integer(allow_none=True)
    g = fields.Integer(allow_none=True)
    total = fields.Integer()
    significant = fields.Boolean()
    controls = fields.String(allow_none=True)
    owner_id = fields.Integer(allow_none=True)
    review_on = fields.Date(allow_none=True)
    status = fields.String()
    version = fields.Integer()


class HseAspectQuery(PageArgs):
    kind = fields.String(validate=one_of(rules.ASPECT_KINDS))
    significant = fields.Boolean()
    unit = fields.String(validate=one_of(CODES["unit"]))


class HseObservationIn(ClientIdMixin, BaseSchema):
    kind = fields.String(required=True, validate=one_of(rules.OBSERVATION_KINDS))
    description = fields.String(required=True, validate=length(2000, 1))
    location = fields.String(validate=length(200))
    activity = fields.String(validate=length(200))


class HseObservationOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    description = fields.String()
    location = fields.String(allow_none=True)
    activity = fields.String(allow_none=True)
    reported_by = fields.Integer()
    photo_url = fields.Function(lambda o: f"/uploads/{o.photo_id}" if o.photo_id else None)
    status = fields.String()
    close_reason = fields.String(allow_none=True)
    hazard_id = fields.Integer(allow_none=True)
    aspect_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class HseObservationQuery(PageArgs):
    status = fields.String(validate=one_of(rules.OBSERVATION_STATES))


HseHazardPage = page_of(HseHazardOut)
HseAspectPage = page_of(HseAspectOut)
HseObservationPage = page_of(HseObservationOut)
