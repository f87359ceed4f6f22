"""JSON API of inspections (API.md): record a visit, judge a pressure, list and read hazards."""
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from fieldsvc import idempotency
from fieldsvc.inspections import sampling_schemas, schemas
from fieldsvc.inspections.services import common, hazard_lists, hazards, recording, sampling_review

blp = Blueprint("inspections_api", __name__, url_prefix="/api/v1", description="Safety inspections and hazards")


@blp.route("/inspections")
class Inspections(MethodView):
    @blp.arguments(schemas.SafetyInspectionIn)
    @blp.response(201, schemas.SafetyInspectionOut)
    @blp.alt_response(200, schema=schemas.SafetyInspectionOut, description="Repeated client_id: the first record")
    def post(self, data):
        """Record a visit: completed (checklist items, pressure), refused or nobody_home.

        Findings become hazards (grade A and B open a rectification order). Fields RULES.md §6 asks
        for that are not sent (shut-off, signature, who refused, door-gap check) are listed in
        `missing` and can be completed on the inspection page.
        """
        return idempotency.respond_created("inspection", data,
                                           lambda d: recording.record(current_user, d, strict=False), recording.get)


@blp.route("/inspections/<int:inspection_id>")
class InspectionItem(MethodView):
    @blp.response(200, schemas.SafetyInspectionOut)
    def get(self, inspection_id):
        return recording.get(current_user, inspection_id)


@blp.route("/pressure/evaluate")
class PressureEvaluate(MethodView):
    @blp.arguments(schemas.PressureEvaluateIn)
    @blp.response(200, schemas.PressureEvaluateOut)
    def post(self, data):
        """The verdict on a stove-front measurement: low/normal/high from the working pressure against
        the gas family's band (ends included), and restriction when (static − working)/static > 0.25."""
        # Any logged-in user may ask (a calculator: it reads and writes nothing).
        result = common.evaluate(data["gas"], data.get("static_pa"), data["working_pa"])
        return {"verdict": result.verdict.value, "band_pa": [int(v) for v in result.band],
                "restriction": result.restriction}


@blp.route("/hazards")
class Hazards(MethodView):
    @blp.arguments(schemas.SafetyHazardQuery, location="query")
    @blp.response(200, schemas.SafetyHazardPage)
    def get(self, args):
        """Hazards: `view` all / escalated (overdue) / mine (a pipe fitter's) / recheck (awaiting re-check)."""
        items, total = hazard_lists.list_hazards(current_user, args["view"], args.get("status"), args.get("grade"),
                                                 args.get("district_id"), args.get("customer_id"),
                                                 args["page"], args["per_page"])  # brings statuses up to date
        return {"items": items, "total": total}


@blp.route("/hazards/<int:hazard_id>")
class HazardItem(MethodView):
    @blp.response(200, schemas.SafetyHazardOut)
    def get(self, hazard_id):
        hazard = hazards.get(current_user, hazard_id)
        hazards.refresh([hazard])  # its status read from the order, kept by the request's commit
        return hazard


@blp.route("/pressure-samples")
class PressureSamples(MethodView):
    @blp.arguments(sampling_schemas.SamplingReportQuery, location="query")
    @blp.response(200, sampling_schemas.SamplingReportOut)
    def get(self, args):
        """The end-of-line sampling report to the dispatch centre: points, readings and verdicts, anomalies,
        the follow-up orders opened and the chief's sign-offs of `from`…`to` (default: this week)."""
        return sampling_review.report(current_user, args.get("from_"), args.get("to"))
