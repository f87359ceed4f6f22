"""Input and output schemas of work orders (API and pages); results per type in results.py."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates_schema

from fieldsvc.dispatch import rules
from fieldsvc.schemas import BaseSchema, ClientIdMixin, PageArgs, length, one_of, page_of, rng

TYPES = [t.value for t in rules.OrderType]
STATUSES = [s.value for s in rules.Status]
MAX_HELPER_IDS = 5


class StaffIds(fields.Field):
    """A list of staff ids (helper_ids): integers only — a string, a nested object, a list inside the list or
    a number too big for an id is refused with one message under the field's own name."""

    default_error_messages = {"invalid": _l("Give a list of staff ids."),
                              "too_many": _l("At most %(n)d helpers on one order.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {"type": "array", "items": {"type": "integer", "minimum": 1},
                                       "maxItems": MAX_HELPER_IDS})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) or not 0 < v < 2**31
                                              for v in value):
            raise self.make_error("invalid")
        if len(set(value)) > MAX_HELPER_IDS:
            raise ValidationError(str(self.error_messages["too_many"]) % {"n": MAX_HELPER_IDS})
        return list(dict.fromkeys(value))  # the same person twice counts once


def helper_ids_of(order) -> list[int]:
    return [link.user_id for link in order.helper_links]


class WorkOrderOut(Schema):
    id = fields.Integer()
    type = fields.String()
    customer_id = fields.Integer(allow_none=True)
    priority = fields.String()
    description = fields.String()
    status = fields.String()
    assignee_id = fields.Integer(allow_none=True)
    due_at = fields.AwareDateTime()
    version = fields.Integer()
    district_id = fields.Integer()
    address = fields.String()
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    parent_id = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime()
    on_site_at = fields.AwareDateTime(allow_none=True)
    completed_at = fields.AwareDateTime(allow_none=True)
    helper_ids = fields.Function(helper_ids_of, metadata={"type": "array", "items": {"type": "integer"}})


WorkOrderPage = page_of(WorkOrderOut)


class WorkOrderIn(ClientIdMixin, BaseSchema):
    """A new order: for a customer (customer_id or account_no), or at an address in a district."""

    type = fields.String(required=True, validate=one_of(TYPES))
    customer_id = fields.Integer()
    account_no = fields.String(validate=length(20))
    priority = fields.String(load_default="normal", validate=one_of([p.value for p in rules.Priority]))
    description = fields.String(required=True, validate=length(2000, 1))
    address = fields.String(validate=length(250))
    district_id = fields.Integer()
    contact_name = fields.String(validate=length(100))
    contact_phone = fields.String(validate=length(30))
    deadline = fields.Date()  # the hazard deadline of a rectification
    assignee_id = fields.Integer()
    helper_ids = StaffIds()


class WorkOrderQuery(PageArgs):
    status = fields.String(validate=one_of(STATUSES))
    type = fields.String(validate=one_of(TYPES))
    district_id = fields.Integer()
    assignee_id = fields.Integer()
    customer_id = fields.Integer()
    parent_id = fields.Integer()


class WorkOrderAssignIn(BaseSchema):
    assignee_id = fields.Integer(required=True)
    version = fields.Integer(required=True)
    note = fields.String(validate=length(500))
    helper_ids = StaffIds()  # absent: the helpers stay as they are; [] removes them all


class WorkOrderPartLine(BaseSchema):
    item_id = fields.Integer(required=True)
    quantity = fields.Decimal(required=True, places=2, validate=rng(0))


class WorkOrderCompletionIn(BaseSchema):
    """What completing carries: notes, parts used, the signature (PNG data URL) or why there is none."""

    work_notes = fields.String(validate=length(2000))
    parts = fields.List(fields.Nested(WorkOrderPartLine), load_default=list)
    signature = fields.String(validate=length(2_000_000))
    no_signature_reason = fields.String(validate=length(200))
    results = fields.Dict(load_default=dict)


class WorkOrderTransitionIn(WorkOrderCompletionIn):
    to = fields.String(required=True, validate=one_of(STATUSES))
    version = fields.Integer(required=True)
    lat = fields.Decimal(places=6, validate=rng(-90, 90))
    lng = fields.Decimal(places=6, validate=rng(-180, 180))
    note = fields.String(validate=length(500))

    @validates_schema
    def _both_or_none(self, data, **kwargs):
        if ("lat" in data) != ("lng" in data):
            raise ValidationError({"lng" if "lat" in data else "lat": [str(_l("Give both latitude and longitude."))]})


class CustodyMoveIn(BaseSchema):
    holder_id = fields.Integer(required=True)
    item_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=one_of([k.value for k in rules.STORE_MOVES]))
    quantity = fields.Decimal(required=True, places=2, validate=rng(0))
    note = fields.String(validate=length(200))


class CustodyItemIn(BaseSchema):
    code = fields.String(required=True, validate=length(30, 1))
    name = fields.String(required=True, validate=length(100, 1))
    # The page shows this form next to the issue form, which has its own "kind".
    kind = fields.String(required=True, data_key="item_kind", validate=one_of([k.value for k in rules.ItemKind]))
    unit = fields.String(validate=length(10))
