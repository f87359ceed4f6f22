"""The form of an external attendee (fields prefixed ext_ so they never clash with the session's own form)."""
from marshmallow import fields, post_load

from fieldsvc.schemas import BaseSchema, length, rng


class ExternalIn(BaseSchema):
    ext_name = fields.String(required=True, validate=length(60, 1))
    ext_contractor_id = fields.Integer(required=True, validate=rng(1, 2**31 - 1))
    ext_id_no = fields.String(validate=length(30))
    ext_score = fields.Decimal(validate=rng(0, 100), places=1, allow_nan=False)

    @post_load
    def _plain(self, data, **kwargs):
        return {key.removeprefix("ext_"): value for key, value in data.items()}
