from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from fieldsvc.schemas import BaseSchema
from fieldsvc.sync import batch

blp = Blueprint("sync_api", __name__, url_prefix="/api/v1", description="Offline sync")
MAX_ITEMS = 200


class SyncItem(BaseSchema):
    client_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.Length(max=40))  # unknown kinds: a 422 result each
    data = fields.Dict(required=True)


class SyncIn(BaseSchema):
    items = fields.List(fields.Nested(SyncItem), required=True, validate=validate.Length(
        min=1, max=MAX_ITEMS, error=_l("Send between {min} and {max} records at a time.")))


class SyncResult(Schema):
    client_id = fields.String()
    status = fields.Integer()
    id = fields.Integer()
    errors = fields.Dict()
    error = fields.String()


class SyncOut(Schema):
    results = fields.List(fields.Nested(SyncResult))


@blp.route("/sync")
class Sync(MethodView):
    @blp.arguments(SyncIn)
    @blp.response(200, SyncOut)
    def post(self, body):
        """Apply queued records from a phone; each gets its own status (201 new, 200 repeat, 409, 422…)."""
        items = [{"client_id": str(i["client_id"]), "kind": i["kind"], "data": i["data"]} for i in body["items"]]
        results = batch.apply_batch(current_user, items)
        return {"results": results}
