"""Bench equipment (标准装置): the register, calibration reminders, and the gate on expired standards."""
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldsvc import audit, clock
from fieldsvc.errors import Conflict, Duplicate, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.metering import rules
from fieldsvc.metering.models import Equipment
from fieldsvc.permissions import P, require

FIELDS = ("name", "serial_no", "calibration_cert", "calibration_expires_on", "note", "active")
DEFAULT_WARN_DAYS = 30


def warn_days() -> int:
    """Days before a calibration expiry that the reminder starts (config METERING_EQUIPMENT_WARN_DAYS)."""
    return int(current_app.config.get("METERING_EQUIPMENT_WARN_DAYS", DEFAULT_WARN_DAYS))


def status(equipment: Equipment, on: date | None = None) -> rules.EquipmentStatus:
    return rules.equipment_status(equipment.calibration_expires_on, on or clock.today(), warn_days())


def list_equipment(actor, include_inactive: bool = False, page: int = 1,
                   per_page: int = 50) -> tuple[list[Equipment], int]:
    """The register, soonest calibration expiry first."""
    require(actor, P.equipment_view)
    stmt = select(Equipment)
    if not include_inactive:
        stmt = stmt.where(Equipment.active.is_(True))
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.order_by(Equipment.calibration_expires_on, Equipment.id)
                              .limit(per_page).offset((page - 1) * per_page)).scalars()
    return list(rows), total


def usable_equipment(actor) -> list[Equipment]:
    """Active standards whose calibration is valid today: the choices of a test form."""
    require(actor, P.meter_tests_record)
    stmt = (select(Equipment).where(Equipment.active.is_(True),
                                    Equipment.calibration_expires_on >= clock.today())
            .order_by(Equipment.name))
    return list(db.session.execute(stmt).scalars())


def reminders(actor) -> list[Equipment]:
    """Active standards expired or expiring within the warning period (the home page and the register)."""
    require(actor, P.equipment_view)
    limit = clock.today() + timedelta(days=warn_days())
    stmt = (select(Equipment).where(Equipment.active.is_(True), Equipment.calibration_expires_on <= limit)
            .order_by(Equipment.calibration_expires_on))
    return list(db.session.execute(stmt).scalars())


def get_equipment(actor, equipment_id: int) -> Equipment:
    require(actor, P.equipment_view)
    equipment = db.session.get(Equipment, equipment_id)
    if equipment is None:
        raise NotFound(_("No such equipment."))
    return equipment


def _check_serial_unique(serial_no: str, exclude_id: int | None = None) -> None:
    stmt = select(Equipment.id).where(Equipment.serial_no == serial_no)
    if exclude_id:
        stmt = stmt.where(Equipment.id != exclude_id)
    if db.session.execute(stmt).first():
        raise Duplicate("serial_no", _("This equipment serial number already exists."))


def create_equipment(actor, data: dict) -> Equipment:
    """data: name, serial_no, calibration_cert, calibration_expires_on, optional note."""
    require(actor, P.equipment_manage)
    _check_serial_unique(data["serial_no"])
    equipment = Equipment(**{k: data[k] for k in FIELDS if data.get(k) is not None})
    db.session.add(equipment)
    db.session.flush()
    audit.record(actor, "equipment.create", "equipment", equipment.id, serial_no=equipment.serial_no,
                 calibration_cert=equipment.calibration_cert,
                 calibration_expires_on=equipment.calibration_expires_on)
    return equipment


def update_equipment(actor, equipment: Equipment, data: dict, version: int | None = None) -> Equipment:
    """Change the record, e.g. a new calibration certificate and expiry after recalibration."""
    require(actor, P.equipment_manage)
    if version is not None and version != equipment.version:
        raise Conflict()
    if data.get("serial_no") and data["serial_no"] != equipment.serial_no:
        _check_serial_unique(data["serial_no"], equipment.id)
    changes = {}
    for key in FIELDS:
        if key in data and data[key] is not None and getattr(equipment, key) != data[key]:
            changes[key] = [getattr(equipment, key), data[key]]
            setattr(equipment, key, data[key])
    if changes:
        db.session.flush()
        audit.record(actor, "equipment.update", "equipment", equipment.id, changes=changes)
    return equipment


def require_usable(equipment: Equipment | None, on: date, field: str = "equipment_id") -> Equipment:
    """The gate of every test: the standard exists, is in use and its calibration is valid on that date."""
    if equipment is None:
        raise Invalid({field: [_("No such equipment.")]})
    if not equipment.active:
        raise Invalid({field: [_("%(name)s (%(serial)s) is no longer in use.", name=equipment.name,
                                 serial=equipment.serial_no)]})
    if equipment.calibration_expires_on < on:
        raise Invalid({field: [_("The calibration of %(name)s (%(serial)s), certificate %(cert)s, expired on "
                                 "%(date)s: it cannot be used for a test until it is recalibrated.",
                                 name=equipment.name, serial=equipment.serial_no,
                                 cert=equipment.calibration_cert,
                                 date=equipment.calibration_expires_on.isoformat())]})
    return equipment
