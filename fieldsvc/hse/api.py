"""HSE JSON API (API.md): the registers, observations and nonconformities."""
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from fieldsvc import clock, idempotency
from fieldsvc.hse import schemas
from fieldsvc.hse.services import capa, observations, registers

blp = Blueprint("hse_api", __name__, url_prefix="/api/v1/hse", description="HSE registers and nonconformities")


@blp.route("/hazards")
class Hazards(MethodView):
    @blp.arguments(schemas.HseHazardQuery, location="query")
    @blp.response(200, schemas.HseHazardPage)
    def get(self, args):
        """The active hazard register, highest D first."""
        items, total = registers.list_hazards(current_user, args, args["page"], args["per_page"], clock.today())
        return {"items": items, "total": total}

    @blp.arguments(schemas.HseHazardIn)
    @blp.response(201, schemas.HseHazardOut)
    @blp.alt_response(200, schema=schemas.HseHazardOut, description="Repeated client_id: the first record")
    def post(self, data):
        """Add a hazard assessed by LEC → D, grade, colour, significant (safety officer, director)."""
        return idempotency.respond_created("hse_hazard", data, lambda d: registers.create_hazard(current_user, d), registers.get_hazard)


@blp.route("/hazards/<int:hazard_id>")
class HazardItem(MethodView):
    @blp.response(200, schemas.HseHazardOut)
    def get(self, hazard_id):
        return registers.get_hazard(current_user, hazard_id)

    @blp.arguments(schemas.HseHazardPatch)
    @blp.response(200, schemas.HseHazardOut)
    def patch(self, data, hazard_id):
        """Change a line (re-assessed); a stale `version` → 409."""
        hazard = registers.get_hazard(current_user, hazard_id)
        registers.update_hazard(current_user, hazard, data, data.pop("version", None))
        return hazard


@blp.route("/aspects")
class Aspects(MethodView):
    @blp.arguments(schemas.HseAspectQuery, location="query")
    @blp.response(200, schemas.HseAspectPage)
    def get(self, args):
        items, total = registers.list_aspects(current_user, args, args["page"], args["per_page"], clock.today())
        return {"items": items, "total": total}

    @blp.arguments(schemas.HseAspectIn)
    @blp.response(201, schemas.HseAspectOut)
    @blp.alt_response(200, schema=schemas.HseAspectOut, description="Repeated client_id: the first record")
    def post(self, data):
        """Add an environmental aspect → total, significant (safety officer, director)."""
        return idempotency.respond_created("hse_aspect", data, lambda d: registers.create_aspect(current_user, d), registers.get_aspect)


@blp.route("/aspects/<int:aspect_id>")
class AspectItem(MethodView):
    @blp.response(200, schemas.HseAspectOut)
    def get(self, aspect_id):
        return registers.get_aspect(current_user, aspect_id)


@blp.route("/observations")
class Observations(MethodView):
    @blp.arguments(schemas.HseObservationQuery, location="query")
    @blp.response(200, schemas.HseObservationPage)
    def get(self, args):
        """Reports awaiting review (the safety office sees all, anyone else their own)."""
        items, total = observations.list_observations(current_user, args.get("status"), args["page"],
                                                      args["per_page"])
        return {"items": items, "total": total}

    @blp.arguments(schemas.HseObservationIn)
    @blp.response(201, schemas.HseObservationOut)
    @blp.alt_response(200, schema=schemas.HseObservationOut, description="Repeated client_id: the first record")
    def post(self, data):
        """Report a hazard or environmental aspect seen in the field (anyone). Photos: the page form."""
        return idempotency.respond_created("hse_observation", data, lambda d: observations.report(current_user, d), observations.get)


@blp.route("/nonconformities")
class Nonconformities(MethodView):
    @blp.arguments(schemas.NcQuery, location="query")
    @blp.response(200, schemas.NcPage)
    def get(self, args):
        items, total = capa.list_ncs(current_user, args.get("status"), args.get("origin"), page=args["page"],
                                     per_page=args["per_page"])
        return {"items": items, "total": total}

    @blp.arguments(schemas.NcIn)
    @blp.response(201, schemas.NcOut)
    @blp.alt_response(200, schema=schemas.NcOut, description="Repeated client_id: the first record")
    def post(self, data):
        return idempotency.respond_created("hse_nc", data, lambda d: capa.create(current_user, d), capa.get)


@blp.route("/nonconformities/<int:nc_id>")
class NonconformityItem(MethodView):
    @blp.response(200, schemas.NcOut)
    def get(self, nc_id):
        return capa.get(current_user, nc_id)


@blp.route("/nonconformities/<int:nc_id>/transition")
class NonconformityTransition(MethodView):
    @blp.arguments(schemas.NcTransitionIn)
    @blp.response(200, schemas.NcOut)
    def post(self, data, nc_id):
        """Move along the state table; an illegal move → 409; closing → director only (403)."""
        nc = capa.get(current_user, nc_id)
        capa.transition(current_user, nc, data["to"], data.get("version"), data.get("reason"))
        return nc
