"""Input and output schemas of readings, routes, tariffs and bills (API and pages)."""
from marshmallow import Schema, fields

from fieldsvc.customers.rules import Category
from fieldsvc.readings import rules
from fieldsvc.schemas import BaseSchema, ClientIdMixin, PageArgs, length, one_of, page_of, rng

PAYMENT_METHODS = ("cash", "wechat", "alipay", "card", "bank")


class ReadingIn(ClientIdMixin, BaseSchema):
    meter_id = fields.Integer(required=True)
    value = fields.Decimal(required=True, places=3, validate=rng(0))
    read_at = fields.AwareDateTime(load_default=None)
    kind = fields.String(load_default="actual", validate=one_of([k.value for k in rules.API_KINDS]))
    confirm = fields.Boolean(load_default=False)
    reason = fields.String(validate=length(300))


class StopReadingIn(BaseSchema):
    """The phone's form: the meter comes from the stop, the time is now."""

    value = fields.Decimal(required=True, places=3, validate=rng(0))
    kind = fields.String(load_default="actual", validate=one_of([rules.Kind.actual, rules.Kind.self_read]))
    confirm = fields.Boolean(load_default=False)
    reason = fields.String(validate=length(300))


class SkipIn(BaseSchema):
    code = fields.String(required=True, validate=one_of([c.value for c in rules.SkipCode]))
    note = fields.String(validate=length(300))


class ReadingOut(Schema):
    id = fields.Integer()
    meter_id = fields.Integer()
    customer_id = fields.Integer(allow_none=True)
    route_id = fields.Integer(allow_none=True)
    cycle = fields.String()
    read_at = fields.DateTime()
    kind = fields.String()
    value = fields.Decimal(as_string=False)
    consumption_m3 = fields.Decimal(as_string=False)
    anomalies = fields.Function(lambda r: r.codes)
    status = fields.String()
    reason = fields.String(allow_none=True)


class ReadingCreated(Schema):
    id = fields.Integer()
    consumption_m3 = fields.Decimal(as_string=False)
    anomalies = fields.Function(lambda r: r.codes)
    status = fields.String()


class ReadingQuery(PageArgs):
    pass


class StopOut(Schema):
    seq = fields.Integer()
    meter_id = fields.Integer()
    customer_id = fields.Function(lambda s: s.meter.customer_id)


class RouteOut(Schema):
    id = fields.Integer()
    name = fields.String()
    district = fields.Function(lambda r: r.district.name)
    district_id = fields.Integer()
    reader_id = fields.Integer(allow_none=True)
    active = fields.Boolean()
    version = fields.Integer()


class RouteDetail(RouteOut):
    stops = fields.List(fields.Nested(StopOut))


class RouteList(Schema):
    items = fields.List(fields.Nested(RouteOut))
    total = fields.Integer()


class RouteIn(BaseSchema):
    name = fields.String(required=True, validate=length(60, 1))
    district_id = fields.Integer(required=True)
    reader_id = fields.Integer(load_default=None, allow_none=True)


class RoutePatch(BaseSchema):
    name = fields.String(validate=length(60, 1))
    reader_id = fields.Integer(allow_none=True)
    active = fields.Boolean()
    version = fields.Integer()


class TierOut(Schema):
    tier = fields.Integer(attribute="seq")
    upper_m3 = fields.Decimal(as_string=False, allow_none=True)
    price = fields.Decimal(as_string=False)


class TariffOut(Schema):
    id = fields.Integer()
    category = fields.String()
    name = fields.String()
    valid_from = fields.Date()
    cycle_start = fields.Function(lambda t: f"{t.cycle_start_month:02d}-{t.cycle_start_day:02d}")
    tiers = fields.List(fields.Nested(TierOut))


class TariffList(Schema):
    items = fields.List(fields.Nested(TariffOut))
    total = fields.Integer()


class TierIn(BaseSchema):
    upper_m3 = fields.Decimal(load_default=None, allow_none=True, places=3, validate=rng(0))
    price = fields.Decimal(required=True, places=4, validate=rng(0))


class TariffIn(BaseSchema):
    category = fields.String(required=True, validate=one_of([c.value for c in Category]))
    name = fields.String(required=True, validate=length(60, 1))
    valid_from = fields.Date(required=True)
    cycle_start_month = fields.Integer(load_default=1, validate=rng(1, 12))
    cycle_start_day = fields.Integer(load_default=1, validate=rng(1, 31))
    tiers = fields.List(fields.Nested(TierIn), required=True, validate=length(10, 1))


class BillLineOut(Schema):
    tier = fields.Integer()
    cycle_start = fields.Date()
    volume_m3 = fields.Decimal(as_string=False)
    price = fields.Decimal(as_string=False)
    amount = fields.Decimal(as_string=False)


class BillOut(Schema):
    id = fields.Integer()
    customer_id = fields.Integer()
    meter_id = fields.Integer()
    reading_id = fields.Integer()
    category = fields.String()
    cycle = fields.String()
    period_start = fields.Date()
    period_end = fields.Date()
    volume_m3 = fields.Decimal(as_string=False)
    amount = fields.Decimal(as_string=False)
    issued_on = fields.Date()
    due_on = fields.Date()
    paid_amount = fields.Decimal(as_string=False)
    fee_paid = fields.Decimal(as_string=False)
    status = fields.String()
    lines = fields.List(fields.Nested(BillLineOut))


class BillQuery(PageArgs):
    customer_id = fields.Integer()
    status = fields.String(validate=one_of(["open", "paid"]))
    cycle = fields.String(validate=length(7))


class PaymentIn(BaseSchema):
    amount = fields.Decimal(required=True, places=2, validate=rng(0.01))
    method = fields.String(required=True, validate=one_of(PAYMENT_METHODS))


class PromiseIn(BaseSchema):
    promised_on = fields.Date(required=True)
    note = fields.String(validate=length(300))


class NoteIn(BaseSchema):
    note = fields.String(validate=length(300))


class MeterChangeIn(BaseSchema):
    on = fields.Date(required=True)
    final_value = fields.Decimal(required=True, places=3, validate=rng(0))
    new_serial = fields.String(required=True, validate=length(40, 1))
    start_value = fields.Decimal(load_default=None, places=3, validate=rng(0))
    reason = fields.String(validate=length(300))
    confirm = fields.Boolean(load_default=False)


ReadingPage = page_of(ReadingOut)
BillPage = page_of(BillOut)
