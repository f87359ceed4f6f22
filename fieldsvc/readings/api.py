"""JSON API of readings, routes, tariffs and bills (API.md). Handlers: parse → service → respond; the request's
unit of work (fieldsvc.web) commits."""
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from fieldsvc import idempotency
from fieldsvc.extensions import db
from fieldsvc.readings import schemas
from fieldsvc.readings.models import Reading
from fieldsvc.readings.services import billing, recording, routes
from fieldsvc.readings.services.review import approve, send_back

blp = Blueprint("readings_api", __name__, url_prefix="/api/v1", description="Meter readings, routes, tariffs, bills")


@blp.route("/readings")
class Readings(MethodView):
    @blp.arguments(schemas.ReadingIn)
    @blp.response(201, schemas.ReadingCreated)
    @blp.alt_response(200, schema=schemas.ReadingCreated, description="Repeated client_id: the first reading")
    @blp.alt_response(422, description="Refused: errors name the anomaly code (e.g. 'spike: …')")
    @blp.alt_response(409, description="The meter already has its actual/estimated/self reading of that month")
    def post(self, data):
        """Record a reading. A refused reading → 422; spike and negative pass with confirm and a reason.
        A second actual, estimated or self reading of the meter in one month → 409 {"error"}."""
        return idempotency.respond_created("reading", data, lambda d: create_reading(current_user, d),
                                           lambda _actor, reading_id: db.session.get(Reading, reading_id))


def create_reading(actor, data: dict) -> Reading:
    """A reading sent by a program or the phone's batch sync (kind "reading" of POST /api/v1/sync)."""
    return recording.record_reading(actor, data["meter_id"], {**data, "source": "api"})


@blp.route("/meters/<int:meter_id>/readings")
class MeterReadings(MethodView):
    @blp.arguments(schemas.ReadingQuery, location="query")
    @blp.response(200, schemas.ReadingPage)
    def get(self, args, meter_id):
        """The meter's readings, newest first (readers: meters on their own routes)."""
        items, total = recording.meter_readings(current_user, meter_id, args["page"], args["per_page"])
        return {"items": items, "total": total}


@blp.route("/readings/<int:reading_id>/approve")
class ApproveReading(MethodView):
    @blp.arguments(schemas.NoteIn)
    @blp.response(200, schemas.ReadingOut)
    def post(self, data, reading_id):
        """The chief approves a flagged reading (it is billed)."""
        reading = approve(current_user, reading_id, data.get("note"))
        return reading


@blp.route("/readings/<int:reading_id>/send-back")
class SendBackReading(MethodView):
    @blp.arguments(schemas.NoteIn)
    @blp.response(200, schemas.ReadingOut)
    def post(self, data, reading_id):
        """The chief sends a flagged reading back: the meter is read again."""
        reading = send_back(current_user, reading_id, data.get("note"))
        return reading


@blp.route("/routes")
class Routes(MethodView):
    @blp.response(200, schemas.RouteList)
    def get(self):
        """Every route (chief); a meter reader's own routes."""
        items = routes.list_routes(current_user)
        return {"items": items, "total": len(items)}

    @blp.arguments(schemas.RouteIn)
    @blp.response(201, schemas.RouteDetail)
    def post(self, data):
        """Create a route (station chief)."""
        route = routes.create_route(current_user, data)
        return route


@blp.route("/routes/<int:route_id>")
class RouteItem(MethodView):
    @blp.response(200, schemas.RouteDetail)
    def get(self, route_id):
        """The route with its stops in walking order."""
        return routes.get_route(current_user, route_id)

    @blp.arguments(schemas.RoutePatch)
    @blp.response(200, schemas.RouteDetail)
    def patch(self, data, route_id):
        """Rename, assign a reader, deactivate; a stale `version` → 409."""
        route = routes.get_route(current_user, route_id)
        routes.update_route(current_user, route, data, data.pop("version", None))
        return route


@blp.route("/tariffs")
class Tariffs(MethodView):
    @blp.response(200, schemas.TariffList)
    def get(self):
        """Tariffs with their tiers, newest first per category."""
        items = billing.list_tariffs(current_user)
        return {"items": items, "total": len(items)}

    @blp.arguments(schemas.TariffIn)
    @blp.response(201, schemas.TariffOut)
    def post(self, data):
        """A new tariff version from `valid_from` (director)."""
        tariff = billing.create_tariff(current_user, data)
        return tariff


@blp.route("/bills")
class Bills(MethodView):
    @blp.arguments(schemas.BillQuery, location="query")
    @blp.response(200, schemas.BillPage)
    def get(self, args):
        """Bills, newest first; filters customer_id, status, cycle."""
        items, total = billing.list_bills(current_user, args.get("customer_id"), args.get("status"),
                                          args.get("cycle"), args["page"], args["per_page"])
        return {"items": items, "total": total}


@blp.route("/bills/<int:bill_id>")
class BillItem(MethodView):
    @blp.response(200, schemas.BillOut)
    def get(self, bill_id):
        """One bill with its tier lines."""
        return billing.get_bill(current_user, bill_id)
