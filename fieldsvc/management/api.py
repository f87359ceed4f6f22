"""The registers as JSON (list and read): policies, incidents, vehicles."""
from flask import url_for
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from fieldsvc.management import schemas
from fieldsvc.management.services import incidents, policies, vehicles

blp = Blueprint("management_api", __name__, url_prefix="/api/v1",
                description="Department management: policies, incidents, vehicles")


def _version(v) -> dict:
    return {**{k: getattr(v, k) for k in ("id", "revision", "label", "status", "summary", "change_note",
                                          "effective_on", "review_on", "approved_by", "approved_at",
                                          "in_force_at", "withdrawn_at")},
            "pdf_url": url_for("management.policy_pdf", version_id=v.id) if v.pdf_key else None}


def _policy(actor, p) -> dict:
    current = policies.in_force(p)
    shown = policies.visible_versions(actor, p)
    latest = shown[0] if shown else None
    return {"id": p.id, "number": p.number, "title": p.title, "owner": p.owner, "applies_to": p.applies_to,
            "status": (current or latest).status if (current or latest) else None,
            "in_force": _version(current) if current else None, "versions": [_version(v) for v in shown],
            "version": p.version}


def _incident(i) -> dict:
    return {**{k: getattr(i, k) for k in schemas.IncidentOut._declared_fields
               if k not in ("work_order_ids", "report_url")},
            "work_order_ids": [link.work_order_id for link in i.orders],
            "report_url": url_for("management.incident_pdf", incident_id=i.id)}


def _vehicle(actor, v) -> dict:
    checks = vehicles.recent_checks(actor, v, limit=1)
    return {**{k: getattr(v, k) for k in ("id", "plate", "model", "status", "driver", "odometer_km",
                                          "next_service_on", "next_service_km", "version")},
            "maintenance": vehicles.maintenance(v), "last_check": checks[0] if checks else None}


@blp.route("/policies")
class Policies(MethodView):
    @blp.arguments(schemas.PolicyQuery, location="query")
    @blp.response(200, schemas.PolicyPage)
    def get(self, args):
        """The register of policies: staff see those in force that apply to their role."""
        items, total = policies.list_policies(current_user, args.get("q"), args.get("status"), args["page"],
                                              args["per_page"])
        return {"items": [_policy(current_user, p) for p in items], "total": total}


@blp.route("/policies/<int:policy_id>")
class PolicyItem(MethodView):
    @blp.response(200, schemas.PolicyOut)
    def get(self, policy_id):
        return _policy(current_user, policies.get_policy(current_user, policy_id))


@blp.route("/incidents")
class Incidents(MethodView):
    @blp.arguments(schemas.IncidentQuery, location="query")
    @blp.response(200, schemas.IncidentPage)
    def get(self, args):
        """Incidents, latest first."""
        items, total = incidents.list_incidents(current_user, args.get("status"), args.get("q"), args["page"],
                                                args["per_page"])
        return {"items": [_incident(i) for i in items], "total": total}


@blp.route("/incidents/<int:incident_id>")
class IncidentItem(MethodView):
    @blp.response(200, schemas.IncidentOut)
    def get(self, incident_id):
        return _incident(incidents.get_incident(current_user, incident_id))


@blp.route("/vehicles")
class Vehicles(MethodView):
    @blp.arguments(schemas.VehicleQuery, location="query")
    @blp.response(200, schemas.VehiclePage)
    def get(self, args):
        """The fleet with each vehicle's driver and maintenance state (ok, due_soon, overdue)."""
        items, total = vehicles.list_vehicles(current_user, args.get("q"), args.get("status"), args["page"],
                                              args["per_page"])
        return {"items": [_vehicle(current_user, v) for v in items], "total": total}


@blp.route("/vehicles/<int:vehicle_id>")
class VehicleItem(MethodView):
    @blp.response(200, schemas.VehicleOut)
    def get(self, vehicle_id):
        return _vehicle(current_user, vehicles.get_vehicle(current_user, vehicle_id))
