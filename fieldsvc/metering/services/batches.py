"""Batch tests of new meters before installation: one bench session (standard, ambient, tester),
many meters, each with its own test and verdict; a batch report PDF; the head issues them at once."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldsvc import audit, clock, pdf
from fieldsvc.customers.models import Meter
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotFound
from fieldsvc.extensions import db
from fieldsvc.metering import rules
from fieldsvc.metering.models import BatchSession, Equipment, MeteringDocument, MeterTest
from fieldsvc.metering.services import documents, meter_tests
from fieldsvc.metering.services import equipment as equipment_services
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require

BATCH_VERIFICATIONS = (rules.Verification.initial, rules.Verification.subsequent)


def open_batch(actor, data: dict) -> BatchSession:
    """data: reference, verification (initial|subsequent), equipment_id (a flow standard), optional
    leak_equipment_id (a leak bench), temperature_c, humidity_pct."""
    require(actor, P.meter_tests_record)
    today = clock.today()
    meter_tests.require_licence(actor, today)
    if data["verification"] not in BATCH_VERIFICATIONS:
        raise Invalid({"verification": [_("A batch tests meters before installation: initial or subsequent.")]})
    equipment = equipment_services.require_usable(db.session.get(Equipment, data["equipment_id"]), today)
    leak_id = data.get("leak_equipment_id")
    if leak_id is not None:
        equipment_services.require_usable(db.session.get(Equipment, leak_id), today, "leak_equipment_id",
                                          rules.EquipmentKind.leak_bench)
    batch = BatchSession(reference=data["reference"], verification=data["verification"], equipment_id=equipment.id,
                         leak_equipment_id=leak_id,
                         tester_id=actor.id, tested_on=today, temperature_c=data["temperature_c"],
                         humidity_pct=data["humidity_pct"])
    db.session.add(batch)
    db.session.flush()
    audit.record(actor, "batch.open", "batch", batch.id, reference=batch.reference, equipment_id=equipment.id)
    return batch


def get_batch(actor, batch_id: int) -> BatchSession:
    require(actor, P.meter_tests_view)
    batch = db.session.get(BatchSession, batch_id)
    if batch is None:
        raise NotFound(_("No such batch session."))
    return batch


def list_batches(actor, page: int = 1, per_page: int = 30) -> tuple[list[BatchSession], int]:
    require(actor, P.meter_tests_view)
    total = db.session.execute(select(func.count(BatchSession.id))).scalar_one()
    rows = db.session.execute(select(BatchSession).order_by(BatchSession.id.desc()).limit(per_page)
                              .offset((page - 1) * per_page)).scalars()
    return list(rows), total


def check_open(actor, batch: BatchSession) -> None:
    """Only the session's tester adds to it, only while open and on its day."""
    require(actor, P.meter_tests_record)
    if batch.tester_id != actor.id:
        raise NotAllowed(_("Only the tester of this session (%(name)s) records in it.", name=batch.tester.name))
    if batch.closed_at is not None:
        raise Conflict(_("This session is closed."))
    if batch.tested_on != clock.today():
        raise Conflict(_("A session covers one day: open a new session for today."))


def meter_for_batch(actor, batch: BatchSession, serial_no: str) -> Meter:
    """The next meter of the session: a meter in stock, not yet tested in this session."""
    check_open(actor, batch)
    meter = meter_tests.get_meter_by_serial(actor, serial_no)
    if meter.status != "in_stock":
        raise Invalid({"serial_no": [_("Meter %(serial)s is not in stock: a batch is for meters before "
                                       "installation.", serial=meter.serial_no)]})
    if any(t.meter_id == meter.id for t in batch.tests):
        raise Invalid({"serial_no": [_("Meter %(serial)s is already in this session.", serial=meter.serial_no)]})
    return meter


def add_test(actor, batch: BatchSession, meter: Meter, data: dict) -> MeterTest:
    """data: leak_test_ok, pressure_loss_pa, points, optional note — the session supplies the rest."""
    meter_for_batch(actor, batch, meter.serial_no)
    shared = {"meter_id": meter.id, "verification": batch.verification, "equipment_id": batch.equipment_id,
              "leak_equipment_id": batch.leak_equipment_id,
              "temperature_c": batch.temperature_c, "humidity_pct": batch.humidity_pct}
    return meter_tests.record_test(actor, {**data, **shared}, batch=batch)


def close_batch(actor, batch: BatchSession) -> BatchSession:
    require(actor, P.meter_tests_record)
    if batch.tester_id != actor.id:
        raise NotAllowed(_("Only the tester of this session (%(name)s) records in it.", name=batch.tester.name))
    if batch.closed_at is None:
        batch.closed_at = utcnow()
        audit.record(actor, "batch.close", "batch", batch.id, tests=len(batch.tests))
    return batch


def current_tests(batch: BatchSession) -> list[MeterTest]:
    """The latest version of each meter's test (a corrected test is replaced by its correction)."""
    corrected = {t.corrects_id for t in batch.tests if t.corrects_id}
    return [t for t in batch.tests if t.id not in corrected]


def issue_batch(actor, batch: BatchSession, checker_id: int | None) -> list[MeteringDocument]:
    """The head issues every pending document of the session (certificates and notices) in one go."""
    require(actor, P.documents_issue)
    pending = [t for t in current_tests(batch) if t.document is None]
    if not pending:
        raise Conflict(_("Every test of this session already has its document."))
    return [documents.issue(actor, t, checker_id if t.checker_id is None else None) for t in pending]


def summary(batch: BatchSession) -> dict:
    tests = current_tests(batch)
    passed = sum(1 for t in tests if t.ok)
    return {"tests": tests, "total": len(tests), "passed": passed, "failed": len(tests) - passed,
            "issued": sum(1 for t in tests if t.document is not None)}


def report_pdf(actor, batch: BatchSession) -> bytes:
    """The batch report: the session's conditions and every meter's errors and verdict (A4, Chinese)."""
    require(actor, P.meter_tests_view)
    return pdf.render_pdf("pdf/batch_report.html", batch=batch, org=documents.org_name(), printed_at=clock.now(),
                          regulation=rules.REGULATION, failure_zh=documents.failure_zh, **summary(batch))
