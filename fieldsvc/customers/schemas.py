"""Input and output schemas of customers and meters (API and pages)."""
from marshmallow import Schema, fields

from fieldsvc.customers import rules
from fieldsvc.schemas import BaseSchema, ClientIdMixin, PageArgs, length, one_of, page_of, rng


class CustomerOut(Schema):
    id = fields.Integer()
    account_no = fields.String()
    name = fields.String()
    phone = fields.String(allow_none=True)
    category = fields.String()
    gas = fields.String()
    district = fields.Function(lambda c: c.district.name)
    district_id = fields.Integer()
    estate = fields.String(allow_none=True)
    building = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)
    floor = fields.String(allow_none=True)
    room = fields.String(allow_none=True)
    address = fields.String()
    status = fields.String()
    supply = fields.String()
    supply_reason = fields.String(allow_none=True)
    version = fields.Integer()


class CustomerPatch(BaseSchema):
    """Every field optional; `version` (optimistic lock) recommended."""

    account_no = fields.String(validate=length(20))
    name = fields.String(validate=length(100))
    phone = fields.String(validate=length(30))
    category = fields.String(validate=one_of([c.value for c in rules.Category]))
    gas = fields.String(validate=one_of([g.value for g in rules.Gas]))
    district = fields.String(validate=length(60))
    estate = fields.String(validate=length(100))
    building = fields.String(validate=length(20))
    unit = fields.String(validate=length(20))
    floor = fields.String(validate=length(10))
    room = fields.String(validate=length(20))
    address = fields.String(validate=length(250))
    status = fields.String(validate=one_of([s.value for s in rules.CustomerStatus]))
    note = fields.String(validate=length(2000))
    version = fields.Integer()


class CustomerIn(ClientIdMixin, CustomerPatch):
    account_no = fields.String(required=True, validate=length(20, 1))
    name = fields.String(required=True, validate=length(100, 1))
    category = fields.String(required=True, validate=one_of([c.value for c in rules.Category]))
    gas = fields.String(required=True, validate=one_of([g.value for g in rules.Gas]))
    district = fields.String(required=True, validate=length(60))


class CustomerQuery(PageArgs):
    q = fields.String(validate=length(100))
    district_id = fields.Integer()


class MeterOut(Schema):
    id = fields.Integer()
    serial_no = fields.String()
    customer_id = fields.Integer(allow_none=True)
    size = fields.String()
    accuracy_class = fields.String()
    kind = fields.String()
    location = fields.String()
    maker = fields.String(allow_none=True)
    made_on = fields.Date(allow_none=True)
    first_verified_on = fields.Date(allow_none=True)
    installed_on = fields.Date(allow_none=True)
    start_reading = fields.Decimal(as_string=False)
    digits = fields.Integer()
    status = fields.String()
    seal_no = fields.String(allow_none=True)
    version = fields.Integer()


class MeterPatch(BaseSchema):
    serial_no = fields.String(validate=length(40))
    customer_id = fields.Integer(allow_none=True)
    size = fields.String(validate=one_of(list(rules.METER_SIZES)))
    accuracy_class = fields.String(validate=one_of(rules.ACCURACY_CLASSES))
    kind = fields.String(validate=one_of([k.value for k in rules.MeterKind]))
    location = fields.String(validate=one_of([loc.value for loc in rules.MeterLocation]))
    maker = fields.String(validate=length(60))
    made_on = fields.Date()
    first_verified_on = fields.Date()
    installed_on = fields.Date()
    start_reading = fields.Decimal(validate=rng(0), places=3)
    digits = fields.Integer(validate=rng(4, 9))
    version = fields.Integer()


class MeterIn(ClientIdMixin, MeterPatch):
    serial_no = fields.String(required=True, validate=length(40, 1))
    size = fields.String(required=True, validate=one_of(list(rules.METER_SIZES)))
    accuracy_class = fields.String(required=True, validate=one_of(rules.ACCURACY_CLASSES))
    kind = fields.String(required=True, validate=one_of([k.value for k in rules.MeterKind]))
    location = fields.String(required=True, validate=one_of([loc.value for loc in rules.MeterLocation]))
    start_reading = fields.Decimal(load_default=None, validate=rng(0), places=3)
    digits = fields.Integer(load_default=5, validate=rng(4, 9))


class MeterQuery(PageArgs):
    q = fields.String(validate=length(40))
    status = fields.String(validate=one_of([s.value for s in rules.MeterStatus]))


class ApplianceIn(BaseSchema):
    kind = fields.String(required=True, validate=one_of([k.value for k in rules.ApplianceKind]))
    brand = fields.String(validate=length(60))
    model = fields.String(validate=length(60))
    sold_on = fields.Date()
    flame_failure = fields.Boolean(load_default=False)
    flue_type = fields.String(validate=one_of(rules.FLUE_TYPES))


CustomerPage = page_of(CustomerOut)
MeterPage = page_of(MeterOut)


class MeterRemoval(BaseSchema):
    removed_on = fields.Date(required=True)
    final_reading = fields.Decimal(validate=rng(0), places=3)
    reason = fields.String(required=True, validate=length(200, 1))


class ApplianceSyncIn(ClientIdMixin, ApplianceIn):
    """An appliance recorded on the phone (offline sync): the customer travels with it."""

    customer_id = fields.Integer(required=True)
