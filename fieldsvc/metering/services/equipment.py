"""Bench equipment (标准装置): the register, calibration reminders, the metering head's approval of new
equipment and of every renewed calibration (each certificate kept as a row), and the gate of every test:
the right kind, approved, in use, in calibration."""
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldsvc import audit, clock, uploads
from fieldsvc.errors import Conflict, Duplicate, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.metering import rules
from fieldsvc.metering.models import Equipment, EquipmentCalibration
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require

FIELDS = ("name", "serial_no", "calibration_cert", "calibration_expires_on", "note", "active", "kind")
# What an edit may change directly; the certificate and its due date change only through a renewal.
PLAIN_FIELDS = ("name", "serial_no", "note", "active", "kind")
KINDS = tuple(k.value for k in rules.EquipmentKind)
DEFAULT_WARN_DAYS = 30


def warn_days() -> int:
    """Days before a calibration expiry that the reminder starts (config METERING_EQUIPMENT_WARN_DAYS)."""
    return int(current_app.config.get("METERING_EQUIPMENT_WARN_DAYS", DEFAULT_WARN_DAYS))


def status(equipment: Equipment, on: date | None = None) -> rules.EquipmentStatus:
    return rules.equipment_status(equipment.calibration_expires_on, on or clock.today(), warn_days())


def list_equipment(actor, include_inactive: bool = False, page: int = 1, per_page: int = 50,
                   status: str | None = None, kind: str | None = None,
                   q: str | None = None) -> tuple[list[Equipment], int]:
    """The register, soonest calibration expiry first; filters: approval status, kind, name/serial text."""
    require(actor, P.equipment_view)
    stmt = select(Equipment)
    if not include_inactive:
        stmt = stmt.where(Equipment.active.is_(True))
    if status == rules.Approval.pending:  # new equipment, or a renewed calibration, waiting for the head
        renewed = select(EquipmentCalibration.equipment_id).where(
            EquipmentCalibration.status == rules.Approval.pending)
        stmt = stmt.where((Equipment.status == status) | Equipment.id.in_(renewed))
    elif status:
        stmt = stmt.where(Equipment.status == status)
    if kind:
        stmt = stmt.where(Equipment.kind == kind)
    if q and q.strip():
        like = f"%{q.strip()}%"
        stmt = stmt.where(Equipment.name.ilike(like, escape="\\") | Equipment.serial_no.ilike(like, escape="\\"))
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.order_by(Equipment.calibration_expires_on, Equipment.id)
                              .limit(per_page).offset((page - 1) * per_page)).scalars()
    return list(rows), total


def usable_equipment(actor, kind: str = rules.EquipmentKind.flow_standard) -> list[Equipment]:
    """Approved, active equipment of that kind whose calibration is valid today: the choices of a test form."""
    require(actor, P.meter_tests_record)
    stmt = (select(Equipment).where(Equipment.active.is_(True), Equipment.kind == kind,
                                    Equipment.status == rules.Approval.approved,
                                    Equipment.calibration_expires_on >= clock.today())
            .order_by(Equipment.name))
    return list(db.session.execute(stmt).scalars())


def reminders(actor) -> list[Equipment]:
    """Active approved equipment expired or expiring within the warning period (home page and register)."""
    require(actor, P.equipment_view)
    stmt = select(Equipment).where(*_due_for_calibration()).order_by(Equipment.calibration_expires_on)
    return list(db.session.execute(stmt).scalars())


def _due_for_calibration() -> tuple:
    limit = clock.today() + timedelta(days=warn_days())
    return (Equipment.active.is_(True), Equipment.status == rules.Approval.approved,
            Equipment.calibration_expires_on <= limit)


def reminders_count_query(actor):
    """How many standards reminders() lists, as a scalar SELECT (the home page asks it with every card's)."""
    require(actor, P.equipment_view)
    return select(func.count(Equipment.id)).where(*_due_for_calibration())


def awaiting_approval_query(actor):
    """New equipment and renewed calibrations waiting for the metering head, as a scalar SELECT."""
    require(actor, P.equipment_view)
    new = select(Equipment.id).where(Equipment.status == rules.Approval.pending)
    renewed = select(EquipmentCalibration.equipment_id).where(EquipmentCalibration.status == rules.Approval.pending)
    return select(func.count(Equipment.id)).where(Equipment.id.in_(new.union(renewed)))


def awaiting_approval_count(actor) -> int:
    return db.session.execute(awaiting_approval_query(actor)).scalar_one()


def get_equipment(actor, equipment_id: int) -> Equipment:
    require(actor, P.equipment_view)
    equipment = db.session.get(Equipment, equipment_id)
    if equipment is None:
        raise NotFound(_("No such equipment."))
    return equipment


def pending_calibration(equipment: Equipment) -> EquipmentCalibration | None:
    return next((c for c in equipment.calibrations if c.status == rules.Approval.pending), None)


def certificate_at(equipment: Equipment, at) -> tuple[str, date]:
    """(certificate number, due date) of the certificate in force at that moment: the last one the head had
    approved by then, so a document printed after a renewal still names the certificate the test was made
    under. Equipment without history rows (registered before it was kept) prints its current certificate."""
    approved = [c for c in equipment.calibrations
                if c.status == rules.Approval.approved and c.decided_at is not None and c.decided_at <= at]
    if not approved:
        return equipment.calibration_cert, equipment.calibration_expires_on
    latest = max(approved, key=lambda c: (c.decided_at, c.id))
    return latest.certificate_no, latest.due_on


def history(actor, equipment: Equipment) -> list[EquipmentCalibration]:
    """Every calibration certificate of the equipment, newest first."""
    require(actor, P.equipment_view)
    return list(equipment.calibrations)


def awaits_approval(equipment: Equipment) -> bool:
    return equipment.status == rules.Approval.pending or pending_calibration(equipment) is not None


def _check_serial_unique(serial_no: str, exclude_id: int | None = None) -> None:
    stmt = select(Equipment.id).where(Equipment.serial_no == serial_no)
    if exclude_id:
        stmt = stmt.where(Equipment.id != exclude_id)
    if db.session.execute(stmt).first():
        raise Duplicate("serial_no", _("This equipment serial number already exists."))


def _check_dates(calibrated_on: date | None, due_on: date) -> None:
    problem = rules.calibration_dates_problem(calibrated_on, due_on, clock.today())
    if problem == "calibrated_on":
        raise Invalid({"calibrated_on": [_("The calibration date cannot be in the future.")]})
    if problem:
        raise Invalid({"calibration_expires_on": [_("The due date must come after the calibration date.")]})


def _certificate_upload(actor, photo: bytes | None, calibration: EquipmentCalibration) -> None:
    if photo:
        upload = uploads.save_image(actor, photo, "certificate", "equipment_calibration", calibration.id,
                                    field="certificate_photo")
        calibration.upload_id = upload.id


def create_equipment(actor, data: dict, photo: bytes | None = None) -> Equipment:
    """data: name, serial_no, calibration_cert, calibration_expires_on, optional kind, calibrated_on, note.
    New equipment is pending until the metering head approves it; its first certificate is kept as a row."""
    require(actor, P.equipment_manage)
    _check_serial_unique(data["serial_no"])
    _check_dates(data.get("calibrated_on"), data["calibration_expires_on"])
    equipment = Equipment(**{k: data[k] for k in FIELDS if data.get(k) is not None})
    equipment.status = rules.Approval.pending.value
    db.session.add(equipment)
    db.session.flush()
    calibration = EquipmentCalibration(equipment_id=equipment.id, certificate_no=equipment.calibration_cert,
                                       calibrated_on=data.get("calibrated_on"),
                                       due_on=equipment.calibration_expires_on, recorded_by_id=actor.id,
                                       status=rules.Approval.pending.value)
    db.session.add(calibration)
    db.session.flush()
    _certificate_upload(actor, photo, calibration)
    audit.record(actor, "equipment.create", "equipment", equipment.id, serial_no=equipment.serial_no,
                 kind=equipment.kind, calibration_cert=equipment.calibration_cert,
                 calibration_expires_on=equipment.calibration_expires_on, status=equipment.status)
    return equipment


def renew(actor, equipment: Equipment, data: dict, photo: bytes | None = None) -> EquipmentCalibration:
    """Record a new calibration certificate (calibration_cert, calibration_expires_on, optional calibrated_on).

    It is pending until the metering head approves it. Approved equipment stays usable meanwhile on its
    previous approved certificate, up to that certificate's own due date (under the metrology law a standard
    is used only within a confirmed calibration; the new certificate takes over once it is confirmed).
    Rejected equipment goes back to pending with the new certificate."""
    require(actor, P.equipment_manage)
    if pending_calibration(equipment) is not None:
        raise Conflict(_("A calibration of this equipment already waits for the metering head's approval."))
    _check_dates(data.get("calibrated_on"), data["calibration_expires_on"])
    calibration = EquipmentCalibration(equipment_id=equipment.id, certificate_no=data["calibration_cert"],
                                       calibrated_on=data.get("calibrated_on"),
                                       due_on=data["calibration_expires_on"], recorded_by_id=actor.id,
                                       status=rules.Approval.pending.value)
    db.session.add(calibration)
    if equipment.status == rules.Approval.rejected:
        equipment.status = rules.Approval.pending.value
        equipment.calibration_cert = calibration.certificate_no
        equipment.calibration_expires_on = calibration.due_on
    db.session.flush()
    db.session.refresh(equipment, ["calibrations"])
    _certificate_upload(actor, photo, calibration)
    audit.record(actor, "equipment.renew", "equipment", equipment.id, calibration_id=calibration.id,
                 certificate_no=calibration.certificate_no, calibrated_on=calibration.calibrated_on,
                 due_on=calibration.due_on)
    return calibration


def update_equipment(actor, equipment: Equipment, data: dict, version: int | None = None,
                     photo: bytes | None = None) -> Equipment:
    """Change the record. A new certificate number or due date is a renewal (kept, pending approval); a
    change of kind puts approved equipment back to pending: the head approves what it may be cited as."""
    require(actor, P.equipment_manage)
    if version is not None and version != equipment.version:
        raise Conflict()
    if data.get("serial_no") and data["serial_no"] != equipment.serial_no:
        _check_serial_unique(data["serial_no"], equipment.id)
    cert, due = data.get("calibration_cert"), data.get("calibration_expires_on")
    if (cert and cert != equipment.calibration_cert) or (due and due != equipment.calibration_expires_on):
        renew(actor, equipment, {"calibration_cert": cert or equipment.calibration_cert,
                                 "calibration_expires_on": due or equipment.calibration_expires_on,
                                 "calibrated_on": data.get("calibrated_on")}, photo)
    changes = {}
    for key in PLAIN_FIELDS:
        if key in data and data[key] is not None and getattr(equipment, key) != data[key]:
            changes[key] = [getattr(equipment, key), data[key]]
            setattr(equipment, key, data[key])
    if "kind" in changes and equipment.status == rules.Approval.approved:
        equipment.status = rules.Approval.pending.value
        changes["status"] = [rules.Approval.approved.value, equipment.status]
    if changes:
        db.session.flush()
        audit.record(actor, "equipment.update", "equipment", equipment.id, changes=changes)
    return equipment


def approve(actor, equipment: Equipment) -> Equipment:
    """The metering head approves new equipment and/or its pending calibration, which then comes into force."""
    require(actor, P.equipment_approve)
    calibration = pending_calibration(equipment)
    if equipment.status != rules.Approval.pending and calibration is None:
        raise Conflict(_("Nothing of this equipment waits for approval."))
    now = utcnow()
    if calibration is not None:
        calibration.status, calibration.decided_by_id, calibration.decided_at = "approved", actor.id, now
        equipment.calibration_cert = calibration.certificate_no
        equipment.calibration_expires_on = calibration.due_on
    if equipment.status == rules.Approval.pending:
        equipment.status, equipment.approved_by_id, equipment.approved_at = "approved", actor.id, now
    db.session.flush()
    audit.record(actor, "equipment.approve", "equipment", equipment.id,
                 calibration_id=calibration.id if calibration else None,
                 calibration_cert=equipment.calibration_cert,
                 calibration_expires_on=equipment.calibration_expires_on)
    return equipment


def reject(actor, equipment: Equipment, reason: str) -> Equipment:
    """The head refuses: a pending renewal is rejected (the previous certificate stays in force); new
    equipment is rejected and cannot be cited until a new certificate is recorded and approved."""
    require(actor, P.equipment_approve)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": [_("Say why it is rejected.")]})
    calibration = pending_calibration(equipment)
    if equipment.status != rules.Approval.pending and calibration is None:
        raise Conflict(_("Nothing of this equipment waits for approval."))
    now = utcnow()
    if calibration is not None:
        calibration.status, calibration.decided_by_id, calibration.decided_at = "rejected", actor.id, now
        calibration.reject_reason = reason
    if equipment.status == rules.Approval.pending:
        equipment.status = rules.Approval.rejected.value
    db.session.flush()
    audit.record(actor, "equipment.reject", "equipment", equipment.id,
                 calibration_id=calibration.id if calibration else None, reason=reason)
    return equipment


def _refusal_message(equipment: Equipment, refusal: rules.Refusal, required_kind: str) -> str:
    name, serial = equipment.name, equipment.serial_no
    if refusal == rules.Refusal.wrong_kind:
        return _("%(name)s (%(serial)s) is a %(kind)s: this needs a %(required)s.", name=name, serial=serial,
                 kind=label(equipment.kind, "equipment_kind"), required=label(required_kind, "equipment_kind"))
    if refusal == rules.Refusal.pending:
        return _("%(name)s (%(serial)s) waits for the metering head's approval: it cannot be used for a test yet.",
                 name=name, serial=serial)
    if refusal == rules.Refusal.rejected:
        return _("%(name)s (%(serial)s) was not approved by the metering head: it cannot be used for a test.",
                 name=name, serial=serial)
    if refusal == rules.Refusal.retired:
        return _("%(name)s (%(serial)s) is no longer in use.", name=name, serial=serial)
    return _("The calibration of %(name)s (%(serial)s), certificate %(cert)s, expired on "
             "%(date)s: it cannot be used for a test until it is recalibrated.",
             name=name, serial=serial, cert=equipment.calibration_cert,
             date=equipment.calibration_expires_on.isoformat())


def require_usable(equipment: Equipment | None, on: date, field: str = "equipment_id",
                   kind: str = rules.EquipmentKind.flow_standard) -> Equipment:
    """The gate of every test: the equipment exists, is of the kind the test needs, approved, in use and
    its calibration is valid on that date."""
    if equipment is None:
        raise Invalid({field: [_("No such equipment.")]})
    refusal = rules.equipment_refusal(kind, equipment.kind, equipment.status, equipment.active,
                                      equipment.calibration_expires_on, on)
    if refusal is not None:
        raise Invalid({field: [_refusal_message(equipment, refusal, kind)]})
    return equipment


def may_see_certificate(actor, calibration_id: int) -> bool:
    """Upload visibility of a certificate scan: whoever may see the equipment register."""
    return can(actor, P.equipment_view) and db.session.get(EquipmentCalibration, calibration_id) is not None
