"""Input and output schemas of complaints (API and pages)."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from fieldsvc.complaints import rules
from fieldsvc.schemas import BaseSchema, ClientIdMixin, PageArgs, length, one_of, page_of, rng

PHONE = r"^\+?[0-9][0-9 \-]{4,28}$"
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL: anything larger is refused, not a 500


def _id():
    return fields.Integer(validate=rng(1, MAX_ID))


def _phone():
    return validate.Regexp(PHONE, error=_l("Give a phone number we can call (digits only)."))


class _ComplaintBase(BaseSchema):
    category = fields.String(required=True, validate=one_of(rules.Category))
    description = fields.String(required=True, validate=length(4000, 1))
    contact_name = fields.String(required=True, validate=length(100, 1))
    contact_phone = fields.String(required=True, validate=_phone())
    district_id = _id()
    address = fields.String(validate=length(250))


class ComplaintIn(ClientIdMixin, _ComplaintBase):
    """Staff intake (API and the staff form)."""

    channel = fields.String(required=True, validate=one_of(rules.Channel))
    customer_id = _id()
    account_no = fields.String(validate=length(20))


class PublicComplaintIn(_ComplaintBase):
    """The public web form: the account number is optional and never checked aloud."""

    account_no = fields.String(validate=length(20))


class SolutionIn(BaseSchema):
    description = fields.String(required=True, validate=length(4000, 1))
    compensation = fields.Decimal(places=2, validate=rng(0, 1_000_000), allow_none=True)


class TransitionIn(BaseSchema):
    """`to` and what that move needs: department (+ order_type) to contact; note as the reason to
    reject, send back or reopen; cause, solutions to propose; solution_id to approve; actions to resolve."""

    to = fields.String(required=True, validate=one_of(rules.Status))
    version = fields.Integer()
    note = fields.String(validate=length(4000))
    department = fields.String(validate=one_of(rules.DEPARTMENTS))
    order_type = fields.String(validate=length(24))
    address = fields.String(validate=length(250))
    district_id = _id()
    cause = fields.String(validate=one_of(rules.CAUSES))
    cause_detail = fields.String(validate=length(4000))
    responsible_id = _id()
    solutions = fields.List(fields.Nested(SolutionIn))
    solution_id = _id()
    actions = fields.String(validate=length(4000))
    compensation = fields.Decimal(places=2, validate=rng(0, 1_000_000), allow_none=True)


class FollowupIn(BaseSchema):
    satisfaction = fields.Integer(required=True, validate=rng(1, 5))
    comments = fields.String(validate=length(4000))
    version = fields.Integer()


class OrderIn(BaseSchema):
    order_type = fields.String(required=True, validate=length(24, 1))
    address = fields.String(validate=length(250))
    district_id = _id()


class NoteIn(BaseSchema):
    note = fields.String(required=True, validate=length(4000, 1))


class ReplyIn(BaseSchema):
    """The owner's reply to the customer (shown on the public status page once a solution is approved)."""

    text = fields.String(required=True, validate=length(rules.REPLY_MAX, 1))
    version = fields.Integer()


class HandoverIn(BaseSchema):
    """Hand the complaint over to a named colleague who handles complaints, saying why."""

    to_user_id = fields.Integer(required=True, validate=rng(1, MAX_ID))
    note = fields.String(required=True, validate=length(4000, 1))
    version = fields.Integer()


class ImprovementIn(BaseSchema):
    title = fields.String(required=True, validate=length(200, 1))
    description = fields.String(required=True, validate=length(4000, 1))


class ComplaintQuery(PageArgs):
    status = fields.String(validate=one_of(rules.Status))
    category = fields.String(validate=one_of(rules.Category))
    overdue = fields.Boolean(load_default=False)
    q = fields.String(validate=length(40))


class SolutionOut(Schema):
    id = fields.Integer()
    description = fields.String()
    compensation = fields.Decimal(as_string=False, allow_none=True)
    approved = fields.Boolean()
    withdrawn = fields.Boolean()


class ComplaintOut(Schema):
    id = fields.Integer()
    tracking_no = fields.String()
    status = fields.String()
    channel = fields.String()
    category = fields.String()
    description = fields.String()
    contact_name = fields.String()
    contact_phone = fields.String()
    customer_id = fields.Integer(allow_none=True)
    owner_id = fields.Integer(allow_none=True)
    received_by_id = fields.Integer(allow_none=True)
    reply_text = fields.String(allow_none=True)
    replied_at = fields.DateTime(allow_none=True)
    replied_by_id = fields.Integer(allow_none=True)
    received_at = fields.DateTime()
    first_contact_due = fields.DateTime()
    first_contacted_at = fields.DateTime(allow_none=True)
    resolve_due = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    valid = fields.Boolean(allow_none=True)
    department = fields.String(allow_none=True)
    cause = fields.String(allow_none=True)
    work_order_id = fields.Integer(allow_none=True)
    work_order_status = fields.Function(lambda c: c.work_order.status if c.work_order else None)
    solutions = fields.List(fields.Nested(SolutionOut))
    compensation = fields.Decimal(as_string=False, allow_none=True)
    satisfaction = fields.Integer(allow_none=True)
    reopen_count = fields.Integer()
    version = fields.Integer()


ComplaintPage = page_of(ComplaintOut)


class PenaltyIn(BaseSchema):
    """A penalty on the responsible person (处罚责任者): a fine in yuan and/or a measure."""

    person_id = _id()
    amount = fields.Decimal(places=2, allow_nan=False, validate=rng(0, 1_000_000))
    measure = fields.String(validate=length(200))
    decided_on = fields.Date()
    note = fields.String(validate=length(2000))


class PenaltyOut(Schema):
    id = fields.Integer()
    complaint_id = fields.Integer()
    person_id = fields.Integer()
    person_name = fields.Function(lambda p: p.person.name if p.person else None)
    amount = fields.Decimal(as_string=False, allow_none=True)
    measure = fields.String(allow_none=True)
    decided_by_id = fields.Integer()
    decided_on = fields.Date()
    note = fields.String(allow_none=True)


class PenaltyList(Schema):
    items = fields.List(fields.Nested(PenaltyOut))
