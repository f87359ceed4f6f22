"""Customer change requests on the JSON API (API.md Additions): list, request, read, approve, reject."""
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from fieldsvc.customers import change_schemas as schemas
from fieldsvc.customers.services import changes

blp = Blueprint("customer_changes_api", __name__, url_prefix="/api/v1",
                description="Customer change requests: transfer (过户), closing (销户), category change")


@blp.route("/customer-changes")
class CustomerChanges(MethodView):
    @blp.arguments(schemas.ChangeQuery, location="query")
    @blp.response(200, schemas.ChangePage)
    def get(self, args):
        """Requests newest first (a station chief: their district's). `q`: account no., name or phone."""
        items, total = changes.list_changes(current_user, args.get("q"), args.get("status"), args.get("kind"),
                                            args["page"], args["per_page"])
        return {"items": items, "total": total}

    @blp.arguments(schemas.ChangeIn)
    @blp.response(201, schemas.ChangeOut)
    def post(self, data):
        """Request a change: `transfer` (new_name, new_phone, id_photo as a data URL), `close` (close_reason,
        final_reading), `category_change` (new_category, effective_on). → status "requested"; nothing
        changes before approval. A second open request of the same kind for the customer → 409."""
        photo = schemas.photo_bytes(data.pop("id_photo", None))
        return changes.request_change(current_user, data, photo)


@blp.route("/customer-changes/<int:change_id>")
class CustomerChangeItem(MethodView):
    @blp.response(200, schemas.ChangeOut)
    def get(self, change_id):
        return changes.get_change(current_user, change_id)


@blp.route("/customer-changes/<int:change_id>/approve")
class Approve(MethodView):
    @blp.arguments(schemas.ChangeDecisionIn)
    @blp.response(200, schemas.ChangeOut)
    def post(self, data, change_id):
        """Approve and apply (the director, or the chief of the customer's district; not the requester)."""
        return changes.approve(current_user, change_id, data, data.pop("version", None))


@blp.route("/customer-changes/<int:change_id>/reject")
class Reject(MethodView):
    @blp.arguments(schemas.ChangeRejectIn)
    @blp.response(200, schemas.ChangeOut)
    def post(self, data, change_id):
        """Reject with a `reason`; nothing on the customer changes."""
        return changes.reject(current_user, change_id, data["reason"], data.get("version"))
