"""JSON API of the IC-card sales desk (API.md: card-sales quote; sales, confirm, reverse).
Handlers: parse → service → respond; the request's unit of work (fieldsvc.web) commits, except the two
phases of the card write (write, confirm), which commit at once. The card bridge flow (docs/CARD_BRIDGE.md) uses
create → write (bridge result) → confirm (bridge read-back)."""
from decimal import Decimal

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from fieldsvc import idempotency
from fieldsvc.cardsales import schemas, writer
from fieldsvc.cardsales.services import cards, days, reversals, sales, writing
from fieldsvc.extensions import db

blp = Blueprint("cardsales_api", __name__, url_prefix="/api/v1", description="IC-card gas sales")


@blp.route("/card-sales/quote")
class Quote(MethodView):
    @blp.arguments(schemas.QuoteIn)
    @blp.response(200, schemas.QuoteOut)
    def post(self, data):
        """The tier split of a purchase by volume (`volume_m3`), or of the most gas an `amount` buys."""
        account = (cards.get_account(current_user, data["account_id"]) if data.get("account_id")
                   else cards.active_account_for_customer(current_user, data["customer_id"]))
        return sales.quote(current_user, account, data.get("volume_m3"),
                           None if data.get("volume_m3") is not None else data.get("amount"))


@blp.route("/card-sales")
class Sales(MethodView):
    @blp.arguments(schemas.SaleQuery, location="query")
    @blp.response(200, schemas.SalePage)
    def get(self, args):
        """Sales, newest first; filters customer_id, meter_id, clerk_id, business_date, status."""
        page, per_page = args.pop("page"), args.pop("per_page")
        items, total = sales.list_sales(current_user, page=page, per_page=per_page, **args)
        return {"items": items, "total": total}

    @blp.arguments(schemas.SaleIn)
    @blp.response(201, schemas.SaleOut)
    @blp.alt_response(200, schema=schemas.SaleOut, description="Repeated client_id: the first sale")
    @blp.alt_response(409, description="The card was just sold to by another clerk, or has an unfinished sale")
    def post(self, data):
        """Take the payment and the meter's next purchase number: the sale is pending until written."""
        return idempotency.respond_created("card_sale", data, lambda d: sales.create_sale(current_user, d),
                                           sales.get_sale)


@blp.route("/card-sales/<int:sale_id>")
class SaleItem(MethodView):
    @blp.response(200, schemas.SaleOut)
    def get(self, sale_id):
        return sales.get_sale(current_user, sale_id)


@blp.route("/card-sales/<int:sale_id>/write")
class Write(MethodView):
    @blp.arguments(schemas.WriteIn)
    @blp.response(200, schemas.SaleOut)
    def post(self, data, sale_id):
        """Write the card (simulated writer: empty body) or report the card bridge's result
        `{"ok", "message", "writer_ref"}`. A failed write leaves the sale pending."""
        sale = sales.get_sale(current_user, sale_id)
        reported = None
        if data.get("ok") is not None:
            reported = writer.WriteResult(data["ok"], data.get("message", ""), data.get("writer_ref"))
        writing.write_card(current_user, sale, reported)
        db.session.commit()  # phase 1 of the card write, durable at once: the card holds the purchase (or failed)
        return sale


@blp.route("/card-sales/<int:sale_id>/confirm")
class Confirm(MethodView):
    @blp.arguments(schemas.ConfirmIn)
    @blp.response(200, schemas.SaleOut)
    def post(self, data, sale_id):
        """Confirm from the card's read-back (simulated: empty body; bridge: card_no, purchase_seq,
        volume_m3 as read). A mismatch → 422."""
        sale = sales.get_sale(current_user, sale_id)
        image = None
        if data.get("card_no") is not None:
            image = writer.CardImage(data["card_no"], data["purchase_seq"], Decimal(data["volume_m3"]))
        writing.confirm(current_user, sale, image)
        db.session.commit()  # phase 2 of the card write, durable at once: the card's read-back made the sale final
        return sale


@blp.route("/card-sales/<int:sale_id>/reverse")
class Reverse(MethodView):
    @blp.arguments(schemas.ReverseIn)
    @blp.response(200, schemas.SaleOut)
    def post(self, data, sale_id):
        """冲正: an unconfirmed sale is reversed at once (bridge: `card_cleared` after clearing a written
        card); a confirmed one gets a reversal request for the station chief."""
        sale = sales.get_sale(current_user, sale_id)
        reversals.reverse(current_user, sale, data["reason"], data.get("card_cleared"))
        return sale


@blp.route("/card-sales/<int:sale_id>/reversal")
class Decision(MethodView):
    @blp.arguments(schemas.DecisionIn)
    @blp.response(200, schemas.SaleOut)
    def post(self, data, sale_id):
        """The station chief approves (`decision: approve`) or rejects the open reversal request."""
        sale = sales.get_sale(current_user, sale_id)
        reversals.decide(current_user, sale, data["decision"] == "approve", data.get("note"))
        return sale


class DayOut(Schema):
    id = fields.Integer()
    clerk_id = fields.Integer()
    outlet_id = fields.Integer()
    business_date = fields.Date()
    expected_cash = fields.Decimal(as_string=False)
    counted_cash = fields.Decimal(as_string=False)
    difference = fields.Decimal(as_string=False)
    net_total = fields.Decimal(as_string=False)
    totals = fields.Dict()
    closed_at = fields.DateTime()


class DayList(Schema):
    items = fields.List(fields.Nested(DayOut))
    total = fields.Integer()


@blp.route("/card-days")
class Days(MethodView):
    @blp.response(200, DayList)
    def get(self):
        """Closed days, newest first (a clerk: their own)."""
        items = days.list_days(current_user)
        return {"items": items, "total": len(items)}

    @blp.arguments(schemas.CloseDayIn)
    @blp.response(201, DayOut)
    def post(self, data):
        """Close the day (default today) at the outlet with the counted cash; refused while sales are
        unfinished or a reversal waits for approval."""
        record = days.close_day(current_user, data.get("outlet_id"), data["counted_cash"], data.get("note"),
                                data.get("business_date"))
        return record
