"""GET|POST /api/v1/contractors, GET /api/v1/contractors/<id> (API.md, Additions)."""
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from fieldsvc import idempotency
from fieldsvc.contractors import schemas
from fieldsvc.contractors.services import register

blp = Blueprint("contractors_api", __name__, url_prefix="/api/v1", description="Contractors (相关方)")


def _out(c) -> dict:
    return {**{k: getattr(c, k) for k in ("id", "name", "licence_no", "licence_expires_on", "scope", "contact_name",
                                          "contact_phone", "note", "active", "supervisors", "version")},
            "licence_state": register.licence(c)}


@blp.route("/contractors")
class Contractors(MethodView):
    @blp.arguments(schemas.ContractorQuery, location="query")
    @blp.response(200, schemas.ContractorPage)
    def get(self, args):
        """The contractor register by name, each with its licence state (valid, expiring, expired)."""
        items, total = register.list_contractors(current_user, args.get("q"), args.get("state"),
                                                 page=args["page"], per_page=args["per_page"])
        return {"items": [_out(c) for c in items], "total": total}

    @blp.arguments(schemas.ContractorIn)
    @blp.response(201, schemas.ContractorOut)
    @blp.alt_response(200, schema=schemas.ContractorOut, description="Repeated client_id: the first record")
    def post(self, data):
        """Register a contractor (safety officer, director)."""
        body, status = idempotency.respond_created(
            "contractor", data, lambda d: register.create_contractor(current_user, d), register.get_contractor)
        return _out(body), status


@blp.route("/contractors/<int:contractor_id>")
class ContractorItem(MethodView):
    @blp.response(200, schemas.ContractorOut)
    def get(self, contractor_id):
        return _out(register.get_contractor(current_user, contractor_id))
