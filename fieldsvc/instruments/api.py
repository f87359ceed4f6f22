"""Instruments on the JSON API (API.md "Additions"): list, register (idempotent), read, record a check."""
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from fieldsvc import idempotency
from fieldsvc.instruments import schemas, services

blp = Blueprint("instruments_api", __name__, url_prefix="/api/v1",
                description="Instruments: gas detectors, manometers, leak detectors and their checks")


@blp.route("/instruments")
class Instruments(MethodView):
    @blp.arguments(schemas.InstrumentQuery, location="query")
    @blp.response(200, schemas.InstrumentPage)
    def get(self, args):
        """The register, soonest calibration due first; a holder sees the instruments they hold."""
        items, total = services.list_instruments(current_user, args.get("q"), args.get("kind"), args["page"],
                                                 args["per_page"])
        return {"items": items, "total": total}

    @blp.arguments(schemas.InstrumentIn)
    @blp.response(201, schemas.InstrumentOut)
    @blp.alt_response(200, schema=schemas.InstrumentOut, description="Repeated client_id: the first record")
    def post(self, data):
        """Register an instrument (station chiefs, the director, the safety officer). Without
        calibration_due, the due date follows from calibrated_on and the kind's interval."""
        return idempotency.respond_created("instrument", data,
                                           lambda d: services.create_instrument(current_user, d),
                                           services.get_instrument)


@blp.route("/instruments/<int:instrument_id>")
class InstrumentItem(MethodView):
    @blp.response(200, schemas.InstrumentOut)
    def get(self, instrument_id):
        """One instrument with its checks, newest first (another holder's instrument: 404)."""
        return services.get_instrument(current_user, instrument_id)


@blp.route("/instruments/<int:instrument_id>/checks")
class Checks(MethodView):
    @blp.arguments(schemas.InstrumentCheckIn)
    @blp.response(201, schemas.InstrumentCheckOut)
    @blp.alt_response(200, schema=schemas.InstrumentCheckOut, description="Repeated client_id: the first record")
    def post(self, data, instrument_id):
        """Record a check: calibration (ok moves calibrated_on and calibration_due forward), bump_test,
        damage or loss (out of use). A holder records bump tests, damage and loss of their own instrument."""
        instrument = services.get_instrument(current_user, instrument_id)
        return idempotency.respond_created("instrument_check", data,
                                           lambda d: services.record_check(current_user, instrument, d),
                                           services.get_check)
