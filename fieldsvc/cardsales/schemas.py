"""Input and output schemas of the card-sales API and the desk's forms."""
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validates_schema

from fieldsvc.cardsales import rules
from fieldsvc.schemas import BaseSchema, ClientIdMixin, PageArgs, length, one_of, rng


def _either_volume_or_amount(data, field_volume="volume_m3", field_amount="amount"):
    if data.get(field_volume) is None and data.get(field_amount) is None:
        raise ValidationError({field_volume: [_("Enter a volume or an amount.")]})


class QuoteIn(BaseSchema):
    customer_id = fields.Integer()
    account_id = fields.Integer()
    volume_m3 = fields.Decimal(places=3, validate=rng(0))
    amount = fields.Decimal(places=2, validate=rng(0))

    @validates_schema
    def _one(self, data, **kwargs):
        if not data.get("customer_id") and not data.get("account_id"):
            raise ValidationError({"customer_id": [_("Choose the customer.")]})
        _either_volume_or_amount(data)


class TierOut(Schema):
    tier = fields.Integer()
    volume_m3 = fields.Decimal(as_string=False)
    price = fields.Decimal(as_string=False)
    amount = fields.Decimal(as_string=False)


class QuoteOut(Schema):
    tiers = fields.Function(lambda q: TierOut(many=True).dump(q.lines))
    amount = fields.Decimal(as_string=False)
    volume_m3 = fields.Decimal(as_string=False)
    used_before_m3 = fields.Decimal(as_string=False)
    cycle_start = fields.Date(allow_none=True)
    tendered = fields.Decimal(as_string=False, allow_none=True)
    change = fields.Decimal(as_string=False)


class SaleIn(ClientIdMixin, BaseSchema):
    account_id = fields.Integer()
    customer_id = fields.Integer()
    volume_m3 = fields.Decimal(places=3, validate=rng(0))
    amount = fields.Decimal(places=2, validate=rng(0))
    payment_method = fields.String(required=True, validate=one_of([m.value for m in rules.PAY_METHODS]))
    amount_paid = fields.Decimal(places=2, validate=rng(0))
    payment_ref = fields.String(validate=length(64))
    outlet_id = fields.Integer()
    expected_seq = fields.Integer(validate=rng(1))

    @validates_schema
    def _one(self, data, **kwargs):
        if not data.get("customer_id") and not data.get("account_id"):
            raise ValidationError({"account_id": [_("Choose the card.")]})
        _either_volume_or_amount(data)


class LineOut(Schema):
    tier = fields.Integer()
    volume_m3 = fields.Decimal(as_string=False)
    price = fields.Decimal(as_string=False)
    amount = fields.Decimal(as_string=False)
    cycle_start = fields.Date()


class ReversalOut(Schema):
    id = fields.Integer()
    status = fields.String()
    reason = fields.String()
    requested_by = fields.Integer()
    decided_by = fields.Integer(allow_none=True)
    note = fields.String(allow_none=True)


class SaleOut(Schema):
    id = fields.Integer()
    receipt_no = fields.String()
    kind = fields.String()
    status = fields.String()
    account_id = fields.Integer()
    card_no = fields.String()
    customer_id = fields.Integer()
    account_no = fields.String()
    meter_id = fields.Integer()
    meter_serial = fields.Function(lambda s: s.meter.serial_no)
    purchase_seq = fields.Integer()
    volume_m3 = fields.Decimal(as_string=False)
    used_before_m3 = fields.Decimal(as_string=False)
    tiers = fields.List(fields.Nested(LineOut), attribute="lines")
    amount_due = fields.Decimal(as_string=False)
    amount_paid = fields.Decimal(as_string=False)
    change = fields.Decimal(as_string=False)
    payment_method = fields.String()
    payment_ref = fields.String(allow_none=True)
    outlet_id = fields.Integer()
    clerk_id = fields.Integer()
    business_date = fields.Date()
    writer = fields.String(allow_none=True)
    write_error = fields.String(allow_none=True)
    written_at = fields.DateTime(allow_none=True)
    confirmed_at = fields.DateTime(allow_none=True)
    reversed_at = fields.DateTime(allow_none=True)
    reversal_reason = fields.String(allow_none=True)
    reversals = fields.List(fields.Nested(ReversalOut))
    card = fields.Function(lambda s: {"card_no": s.card_no, "account_no": s.account_no,
                                      "meter_serial": s.meter.serial_no, "purchase_seq": s.purchase_seq,
                                      "volume_m3": s.volume_m3, "sale_id": s.id})
    created_at = fields.DateTime()


class SaleQuery(PageArgs):
    customer_id = fields.Integer()
    meter_id = fields.Integer()
    clerk_id = fields.Integer()
    business_date = fields.Date()
    status = fields.String(validate=one_of([s.value for s in rules.Status]))


class SalePage(Schema):
    items = fields.List(fields.Nested(SaleOut))
    total = fields.Integer()


class WriteIn(BaseSchema):
    """Empty: the server's (simulated) writer writes. From the card bridge: its result."""

    ok = fields.Boolean()
    message = fields.String(validate=length(200))
    writer_ref = fields.String(validate=length(64))


class ConfirmIn(BaseSchema):
    """Empty: the server's (simulated) writer reads the card back. From the card bridge: what it read."""

    card_no = fields.String(validate=length(20))
    purchase_seq = fields.Integer()
    volume_m3 = fields.Decimal(places=3)

    @validates_schema
    def _all_or_none(self, data, **kwargs):
        given = [k for k in ("card_no", "purchase_seq", "volume_m3") if data.get(k) is not None]
        if given and len(given) != 3:
            raise ValidationError({"card": [_("Send card_no, purchase_seq and volume_m3 as read from the card.")]})


class ReverseIn(BaseSchema):
    reason = fields.String(required=True, validate=length(300, 1))
    card_cleared = fields.Boolean()


class DecisionIn(BaseSchema):
    decision = fields.String(required=True, validate=one_of(["approve", "reject"]))
    note = fields.String(validate=length(300))


class CloseDayIn(BaseSchema):
    outlet_id = fields.Integer()
    business_date = fields.Date()  # default today; an earlier day left open can be closed too
    counted_cash = fields.Decimal(required=True, places=2, validate=rng(0))
    note = fields.String(validate=length(300))


class IssueIn(BaseSchema):
    card_no = fields.String(required=True, validate=length(20, 1))
    note = fields.String(validate=length(300))


class ReissueIn(BaseSchema):
    new_card_no = fields.String(required=True, validate=length(20, 1))
    reason = fields.String(required=True, validate=length(200, 1))


class MeterChangeIn(BaseSchema):
    new_meter_id = fields.Integer(required=True)
    remaining_m3 = fields.Decimal(required=True, places=3, validate=rng(0))
    reason = fields.String(validate=length(300))


class DeskQuoteIn(BaseSchema):
    """The desk's quote form: a volume or an amount."""

    volume_m3 = fields.Decimal(places=3, validate=rng(0))
    amount = fields.Decimal(places=2, validate=rng(0))

    @validates_schema
    def _one(self, data, **kwargs):
        _either_volume_or_amount(data)
