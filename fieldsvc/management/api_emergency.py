"""Emergency plans and drills as JSON (API.md, Additions): GET|POST /api/v1/emergency-plans,
GET /api/v1/emergency-plans/<id>, POST /api/v1/emergency-plans/<id>/drills."""
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from fieldsvc import idempotency
from fieldsvc.management.schemas import emergency as schemas
from fieldsvc.management.services import drills, emergency_plans

blp = Blueprint("emergency_api", __name__, url_prefix="/api/v1", description="Emergency plans and drills")


def _plan(p) -> dict:
    return {**{k: getattr(p, k) for k in ("id", "title", "scenario", "review_on", "scope", "response", "active",
                                          "version")},
            "review_state": emergency_plans.review(p), "call_list": emergency_plans.call_list(p)}


def _drill(d) -> dict:
    return {**{k: getattr(d, k) for k in ("id", "plan_id", "district_id", "held_on", "started_at", "ended_at",
                                          "response_minutes", "outside_participants", "evaluation", "actions",
                                          "version")},
            "participants": [p.user_id for p in d.participants], "duration_minutes": drills.duration(d)}


@blp.route("/emergency-plans")
class Plans(MethodView):
    @blp.arguments(schemas.PlanQuery, location="query")
    @blp.response(200, schemas.PlanPage)
    def get(self, args):
        """The plans in force by scenario, each with its review state and call list."""
        items, total = emergency_plans.list_plans(current_user, args.get("q"), args.get("scenario"),
                                                  page=args["page"], per_page=args["per_page"])
        return {"items": [_plan(p) for p in items], "total": total}

    @blp.arguments(schemas.PlanIn)
    @blp.response(201, schemas.PlanOut)
    @blp.alt_response(200, schema=schemas.PlanOut, description="Repeated client_id: the first record")
    def post(self, data):
        """Write a plan (safety officer, director)."""
        plan, status = idempotency.respond_created(
            "emergency_plan", data, lambda d: emergency_plans.create_plan(current_user, d), emergency_plans.get_plan)
        return _plan(plan), status


@blp.route("/emergency-plans/<int:eplan_id>")
class PlanItem(MethodView):
    @blp.response(200, schemas.PlanOut)
    def get(self, eplan_id):
        return _plan(emergency_plans.get_plan(current_user, eplan_id))


@blp.route("/emergency-plans/<int:eplan_id>/drills")
class Drills(MethodView):
    @blp.arguments(schemas.DrillIn)
    @blp.response(201, schemas.DrillOut)
    @blp.alt_response(200, schema=schemas.DrillOut, description="Repeated client_id: the first record")
    def post(self, data, eplan_id):
        """Record a drill: participants (staff ids), timings, the evaluation and its actions (each → one
        nonconformity). A station chief: their own district's."""
        plan = emergency_plans.get_plan(current_user, eplan_id)
        drill, status = idempotency.respond_created(
            "emergency_drill", data, lambda d: drills.record_drill(current_user, plan, d), drills.get_drill)
        return _drill(drill), status
