"""Input and output schemas of customer change requests (API and pages)."""
import base64
import binascii

from flask_babel import gettext as _
from marshmallow import Schema, fields

from fieldsvc.customers import rules
from fieldsvc.errors import Invalid
from fieldsvc.schemas import BaseSchema, PageArgs, length, one_of, page_of, rng

KINDS = [k.value for k in rules.ChangeKind]
STATUSES = [s.value for s in rules.ChangeStatus]
MAX_READING = 10**9  # no register shows more (9 digits at most)
PHOTO_PREFIXES = ("data:image/jpeg;base64,", "data:image/png;base64,")


class ChangeIn(BaseSchema):
    customer_id = fields.Integer(required=True, strict=False, validate=rng(1, 2**31 - 1))
    kind = fields.String(required=True, validate=one_of(KINDS))
    new_name = fields.String(validate=length(100, 1))
    new_phone = fields.String(validate=[length(30, 5)])
    final_reading = fields.Decimal(places=3, allow_nan=False, validate=rng(0, MAX_READING))
    close_reason = fields.String(validate=length(200, 1))
    new_category = fields.String(validate=one_of([c.value for c in rules.Category]))
    effective_on = fields.Date()
    note = fields.String(validate=length(2000))
    # API only: the new owner's ID document as a data URL (data:image/jpeg;base64,…); the page uploads a file.
    id_photo = fields.String(validate=length(14_000_000))


class ChangeDecisionIn(BaseSchema):
    final_reading = fields.Decimal(places=3, allow_nan=False, validate=rng(0, MAX_READING))
    confirm = fields.Boolean(load_default=False)
    reason = fields.String(validate=length(500))
    version = fields.Integer(strict=False)


class ChangeRejectIn(BaseSchema):
    reason = fields.String(required=True, validate=length(500, 1))
    version = fields.Integer(strict=False)


class ChangeQuery(PageArgs):
    q = fields.String(validate=length(100))
    status = fields.String(validate=one_of(STATUSES))
    kind = fields.String(validate=one_of(KINDS))


class ChangeOut(Schema):
    id = fields.Integer()
    customer_id = fields.Integer()
    account_no = fields.Function(lambda c: c.customer.account_no)
    kind = fields.String()
    status = fields.String()
    new_name = fields.String(allow_none=True)
    new_phone = fields.String(allow_none=True)
    id_photo_id = fields.Integer(allow_none=True)
    final_reading = fields.Decimal(as_string=False, allow_none=True)
    close_reason = fields.String(allow_none=True)
    new_category = fields.String(allow_none=True)
    effective_on = fields.Date(allow_none=True)
    note = fields.String(allow_none=True)
    before = fields.Dict()
    requested_by_id = fields.Integer(allow_none=True)
    requested_at = fields.DateTime()
    decided_by_id = fields.Integer(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    reject_reason = fields.String(allow_none=True)
    version = fields.Integer()


ChangePage = page_of(ChangeOut)


def photo_bytes(data_url: str | None) -> bytes | None:
    """The bytes of a data URL photo, or None when none is given; a malformed one → 422 naming id_photo."""
    if not data_url:
        return None
    prefix = next((p for p in PHOTO_PREFIXES if data_url.startswith(p)), None)
    try:
        if prefix is None:
            raise ValueError
        return base64.b64decode(data_url[len(prefix):], validate=True)
    except (ValueError, binascii.Error):
        raise Invalid({"id_photo": [_("Send the photo as a JPEG or PNG data URL.")]}) from None


class ChangeForm(ChangeIn):
    """The counter's form: the customer by account number (the file input carries the ID photo)."""

    customer_id = fields.Integer(strict=False, validate=rng(1, 2**31 - 1))
    account_no = fields.String(required=True, validate=length(20, 1))
