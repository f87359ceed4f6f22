"""Work orders on the JSON API (API.md): list, create (idempotent), read, assign, transition, suggestions."""
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from fieldsvc import idempotency
from fieldsvc.dispatch import schemas
from fieldsvc.dispatch.services import orders, suggestions

blp = Blueprint("dispatch_api", __name__, url_prefix="/api/v1", description="Work orders")


@blp.route("/work-orders")
class WorkOrders(MethodView):
    @blp.arguments(schemas.WorkOrderQuery, location="query")
    @blp.response(200, schemas.WorkOrderPage)
    def get(self, args):
        """Orders newest first; a technician sees only their own."""
        filters = {k: args.get(k) for k in ("status", "district_id", "assignee_id", "customer_id", "parent_id")}
        items, total = orders.list_orders(current_user, type_=args.get("type"), page=args["page"],
                                          per_page=args["per_page"], **filters)
        return {"items": items, "total": total}

    @blp.arguments(schemas.WorkOrderIn)
    @blp.response(201, schemas.WorkOrderOut)
    @blp.alt_response(200, schema=schemas.WorkOrderOut, description="Repeated client_id: the first record")
    def post(self, data):
        """Create an order; due_at follows from the type's target. Optional assignee_id assigns at once."""
        return idempotency.respond_created("work_order", data, lambda d: orders.create_order(current_user, d),
                                           orders.get_order)


@blp.route("/work-orders/<int:order_id>")
class WorkOrderItem(MethodView):
    @blp.response(200, schemas.WorkOrderOut)
    def get(self, order_id):
        """One order; another technician's order is 404."""
        return orders.get_order(current_user, order_id)


@blp.route("/work-orders/<int:order_id>/assign")
class Assign(MethodView):
    @blp.arguments(schemas.WorkOrderAssignIn)
    @blp.response(200, schemas.WorkOrderOut)
    def post(self, data, order_id):
        """Assign or reassign; the assignee's role must fit the type. A stale version → 409. helper_ids (field
        staff, not the assignee) replaces the order's helpers; left out, they stay."""
        order = orders.assign(current_user, order_id, data["assignee_id"], data["version"], data.get("note"),
                              helper_ids=data.get("helper_ids"))
        return order


class SuggestionOut(Schema):
    user_id = fields.Integer()
    score = fields.Float()
    reasons = fields.List(fields.String())


class SuggestionList(Schema):
    items = fields.List(fields.Nested(SuggestionOut))


@blp.route("/work-orders/<int:order_id>/suggestions")
class Suggestions(MethodView):
    @blp.response(200, SuggestionList)
    def get(self, order_id):
        """Who to send, best first: staff whose role may do the type and whose licence is valid, ranked by
        open jobs, distance and whether they are out today; reasons in the caller's language. Dispatchers only."""
        ranked = suggestions.for_order(current_user, order_id)
        return {"items": [{"user_id": r.user.id, "score": r.suggestion.score, "reasons": r.reasons}
                          for r in ranked]}


@blp.route("/work-orders/<int:order_id>/transition")
class Transition(MethodView):
    @blp.arguments(schemas.WorkOrderTransitionIn)
    @blp.response(200, schemas.WorkOrderOut)
    def post(self, data, order_id):
        """Move the order (accept, reject → new, en_route, on_site, completed, closed, cancelled).
        Completing takes work_notes, results, parts and signature or no_signature_reason."""
        completion = {k: data[k] for k in ("work_notes", "parts", "signature", "no_signature_reason", "results")
                      if k in data}
        order = orders.transition(current_user, order_id, data["to"], data["version"], data.get("lat"),
                                  data.get("lng"), data.get("note"), completion)
        return order
