"""JSON API of the metering office (API.md): equipment, meter tests, issue, documents."""
from flask import Response
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from fieldsvc import idempotency
from fieldsvc.metering import schemas
from fieldsvc.metering.services import documents, equipment, meter_tests

blp = Blueprint("metering_api", __name__, url_prefix="/api/v1", description="Metering office")


@blp.route("/equipment")
class EquipmentList(MethodView):
    @blp.arguments(schemas.BenchEquipmentQuery, location="query")
    @blp.response(200, schemas.BenchEquipmentPage)
    def get(self, args):
        """The bench equipment register, soonest calibration expiry first."""
        items, total = equipment.list_equipment(current_user, args["include_inactive"], args["page"],
                                                args["per_page"], args.get("status"), args.get("kind"),
                                                args.get("q"))
        return {"items": items, "total": total}

    @blp.arguments(schemas.BenchEquipmentIn)
    @blp.response(201, schemas.BenchEquipmentOut)
    @blp.alt_response(200, schema=schemas.BenchEquipmentOut, description="Repeated client_id: the first record")
    def post(self, data):
        """Register a bench standard with its calibration certificate and expiry."""
        return idempotency.respond_created("equipment", data, lambda d: equipment.create_equipment(current_user, d),
                        equipment.get_equipment)


@blp.route("/equipment/<int:equipment_id>")
class EquipmentItem(MethodView):
    @blp.response(200, schemas.BenchEquipmentOut)
    def get(self, equipment_id):
        return equipment.get_equipment(current_user, equipment_id)

    @blp.arguments(schemas.BenchEquipmentPatch)
    @blp.response(200, schemas.BenchEquipmentOut)
    def patch(self, data, equipment_id):
        """Change a standard (e.g. a new calibration); a stale `version` → 409."""
        item = equipment.get_equipment(current_user, equipment_id)
        equipment.update_equipment(current_user, item, data, data.pop("version", None))
        return item


@blp.route("/equipment/<int:equipment_id>/approve")
class EquipmentApprove(MethodView):
    @blp.response(200, schemas.BenchEquipmentOut)
    def post(self, equipment_id):
        """The metering head approves new equipment and/or its pending calibration (nothing pending → 409)."""
        return equipment.approve(current_user, equipment.get_equipment(current_user, equipment_id))


@blp.route("/equipment/<int:equipment_id>/reject")
class EquipmentReject(MethodView):
    @blp.arguments(schemas.EquipmentRejectIn)
    @blp.response(200, schemas.BenchEquipmentOut)
    def post(self, data, equipment_id):
        """The metering head rejects new equipment or its pending calibration, with a reason."""
        return equipment.reject(current_user, equipment.get_equipment(current_user, equipment_id), data["reason"])


@blp.route("/equipment/<int:equipment_id>/calibrations")
class EquipmentCalibrations(MethodView):
    @blp.response(200, schemas.EquipmentCalibrationOut(many=True))
    def get(self, equipment_id):
        """Every calibration certificate of the equipment, newest first."""
        return equipment.history(current_user, equipment.get_equipment(current_user, equipment_id))

    @blp.arguments(schemas.RenewalIn)
    @blp.response(201, schemas.EquipmentCalibrationOut)
    def post(self, data, equipment_id):
        """Record a renewed calibration: pending until the metering head approves it."""
        return equipment.renew(current_user, equipment.get_equipment(current_user, equipment_id), data)


@blp.route("/meter-tests")
class MeterTests(MethodView):
    @blp.arguments(schemas.MeterTestQuery, location="query")
    @blp.response(200, schemas.MeterTestPage)
    def get(self, args):
        """Tests newest first; `q` meter serial prefix, `state` pending|issued."""
        items, total = meter_tests.list_tests(current_user, args.get("q"), args.get("state"), args["page"],
                                              args["per_page"])
        return {"items": items, "total": total}

    @blp.arguments(schemas.MeterTestIn)
    @blp.response(201, schemas.MeterTestOut)
    @blp.alt_response(200, schema=schemas.MeterTestOut, description="Repeated client_id: the first record")
    def post(self, data):
        """Record a bench test: each point's zone, error and MPE, and the verdict with failure codes."""
        return idempotency.respond_created("meter_test", data, lambda d: meter_tests.record_test(current_user, d),
                        meter_tests.get_test)


@blp.route("/meter-tests/<int:test_id>")
class MeterTestItem(MethodView):
    @blp.response(200, schemas.MeterTestOut)
    def get(self, test_id):
        return meter_tests.get_test(current_user, test_id)


@blp.route("/meter-tests/<int:test_id>/issue")
class Issue(MethodView):
    @blp.arguments(schemas.IssueDocumentIn)
    @blp.response(201, schemas.IssuedDocumentOut)
    def post(self, data, test_id):
        """The metering head approves and issues the certificate (pass) or result notice (fail)."""
        test = meter_tests.get_test(current_user, test_id)
        return documents.issue(current_user, test, data.get("checker_id"))


@blp.route("/documents/<string:number>.pdf")
class DocumentPdf(MethodView):
    @blp.doc(responses={"200": {"description": "The issued PDF, byte for byte as issued",
                                "content": {"application/pdf": {}}}})
    def get(self, number):
        """The stored PDF of an issued certificate or notice."""
        document = documents.get_document(current_user, number, with_pdf=True)  # one query, bytes included
        response = Response(document.pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'inline; filename="{document.number}.pdf"'
        response.headers["ETag"] = f'"{document.sha256}"'
        return response


@blp.route("/documents/<string:number>")
class DocumentItem(MethodView):
    @blp.response(200, schemas.MeteringDocumentOut)
    def get(self, number):
        """An issued document's number, kind, validity, status and SHA-256."""
        return documents.get_document(current_user, number)
