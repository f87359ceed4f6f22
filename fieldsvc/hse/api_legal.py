"""HSE system JSON API (API.md "Additions"): the legal register and its compliance evaluations."""
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from fieldsvc import clock, idempotency
from fieldsvc.hse.schemas import legal as schemas
from fieldsvc.hse.services import legal

blp = Blueprint("hse_legal_api", __name__, url_prefix="/api/v1/hse",
                description="Legal and other requirements, compliance evaluations")


@blp.route("/legal")
class LegalList(MethodView):
    @blp.arguments(schemas.LegalQuery, location="query")
    @blp.response(200, schemas.LegalPage)
    def get(self, args):
        """The active register, the next evaluation first; `q` searches, `due` only lines due within a month."""
        items, total = legal.list_requirements(current_user, args.get("q"), bool(args.get("due")), args["page"],
                                               args["per_page"], clock.today())
        return {"items": items, "total": total}

    @blp.arguments(schemas.LegalIn)
    @blp.response(201, schemas.LegalOut)
    @blp.alt_response(200, schema=schemas.LegalOut, description="Repeated client_id: the first record")
    def post(self, data):
        """Add a line (safety officer)."""
        return idempotency.respond_created("hse_legal", data, lambda d: legal.create(current_user, d), legal.get)


@blp.route("/legal/<int:legal_id>/evaluations")
class Evaluations(MethodView):
    @blp.arguments(schemas.EvaluationIn)
    @blp.response(201, schemas.EvaluationOut)
    @blp.alt_response(200, schema=schemas.EvaluationOut, description="Repeated client_id: the first record")
    def post(self, data, legal_id):
        """Record a compliance evaluation (safety officer); not compliant → one nonconformity
        (`nonconformity_id`). The evidence photo: the page form."""
        item = legal.get(current_user, legal_id)
        return idempotency.respond_created("hse_legal_evaluation", data,
                                           lambda d: legal.evaluate(current_user, item, d), legal.get_evaluation)
