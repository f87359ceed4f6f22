"""Unit HSE: a unit head (station chief, metering head: hse_unit) keeps the hazards, aspects, training,
self-inspections and nonconformities of their own unit; the safety office (hse_manage) keeps the whole
department's. Everyone reads every register (hse_view): a head writes only their own unit's lines.

A record's unit is its `unit` department code (labels hse_unit) and, for a service station, the
`district_id` of the station chief's district (None: the whole department's unit). A station chief's
unit is ("station", their district); the metering head's ("metering_office", None).
"""
from dataclasses import dataclass

from flask_babel import gettext as _

from fieldsvc.errors import Invalid, NotAllowed, NotFound
from fieldsvc.hse.labels import ROLE_UNIT
from fieldsvc.hse.services.common import require_any
from fieldsvc.permissions import P, can, require


@dataclass(frozen=True)
class Unit:
    unit: str
    district_id: int | None = None


def scope(actor) -> Unit | None:
    """None: the whole department (the safety office). A unit head: their unit. Others: NotAllowed."""
    require_any(actor, P.hse_manage, P.hse_unit)
    if can(actor, P.hse_manage):
        return None
    return head_unit(actor)


def head_unit(actor) -> Unit:
    """The unit a unit head (hse_unit) answers for."""
    require(actor, P.hse_unit)
    unit = ROLE_UNIT.get(actor.role)
    if unit == "station":
        if getattr(actor, "district_id", None) is None:
            raise NotAllowed(_("A station chief without a district has no unit to keep."))
        return Unit(unit, actor.district_id)
    return Unit(unit)


def covers(unit: Unit | None, record) -> bool:
    if unit is None:
        return True
    return record.unit == unit.unit and (unit.district_id is None
                                         or getattr(record, "district_id", None) == unit.district_id)


def check(actor, record, data: dict | None = None, not_found: str | None = None) -> Unit | None:
    """The actor may write this record (the safety office: any; a unit head: their unit's), else a 404;
    a unit head cannot move it to another unit (data's unit, refused naming the field)."""
    unit = scope(actor)
    if not covers(unit, record):
        raise NotFound(not_found)
    if unit is not None and data and data.get("unit") not in (None, unit.unit):
        raise Invalid({"unit": [_("You record for your own unit only.")]})
    return unit


def stamp(actor, data: dict, field: str = "unit") -> dict:
    """The unit a new record belongs to: a unit head's own (choosing another unit is refused, naming the
    field); the safety office's choice (a station's district only when given)."""
    unit = scope(actor)
    if unit is None:
        return {"unit": data.get("unit"), "district_id": data.get("district_id")}
    if data.get("unit") and data["unit"] != unit.unit:
        raise Invalid({field: [_("You record for your own unit only.")]})
    return {"unit": unit.unit, "district_id": unit.district_id}


def training_scope(actor, session=None) -> Unit | None:
    """Training: the organiser (training_manage) keeps every session; a unit head holds and scores their
    own unit's (another unit's session: 404)."""
    if can(actor, P.training_manage):
        return None
    unit = head_unit(actor)
    if session is not None and not covers(unit, session):
        raise NotFound()
    return unit


def may_write(actor, record) -> bool:
    """For pages: whether the edit buttons are offered."""
    if can(actor, P.hse_manage):
        return True
    if not can(actor, P.hse_unit):
        return False
    try:
        return covers(scope(actor), record)
    except NotAllowed:
        return False
