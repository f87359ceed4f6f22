"""Objectives, targets and programmes (目标、指标和管理方案) with progress, and the departments'
self-inspections (自查) whose findings become nonconformities in one step."""
import re
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import audit
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotFound
from fieldsvc.extensions import db
from fieldsvc.hse import checklists, rules
from fieldsvc.hse.labels import UNITS
from fieldsvc.hse.models import HseObjective, HseObjectiveUpdate, SelfInspection, SelfInspectionItem
from fieldsvc.hse.services import capa, units
from fieldsvc.hse.services.common import active_user
from fieldsvc.permissions import P, can, require

OBJECTIVE_FIELDS = ("year", "unit", "owner_id", "objective", "indicator", "target_value", "measure",
                    "direction", "programme", "due_on")
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


# --- objectives -----------------------------------------------------------------------------------

def progress(objective: HseObjective) -> tuple[Decimal, bool]:
    return rules.progress(objective.target_value, objective.actual_value, objective.direction)


def list_objectives(actor, year: int | None = None, unit: str | None = None) -> list[HseObjective]:
    require(actor, P.hse_view)
    stmt = select(HseObjective)
    if year:
        stmt = stmt.where(HseObjective.year == year)
    if unit:
        stmt = stmt.where(HseObjective.unit == unit)
    return list(db.session.execute(stmt.order_by(HseObjective.year.desc(), HseObjective.unit, HseObjective.id))
                .unique().scalars())


def get_objective(actor, objective_id: int) -> HseObjective:
    require(actor, P.hse_view)
    objective = db.session.get(HseObjective, objective_id)
    if objective is None:
        raise NotFound()
    return objective


def create_objective(actor, data: dict) -> HseObjective:
    require(actor, P.hse_manage)
    if data.get("unit") not in UNITS:
        raise Invalid({"unit": [_("Choose a department.")]})
    if data.get("direction", "at_least") not in rules.TARGET_DIRECTIONS:
        raise Invalid({"direction": [_("Choose at least or at most.")]})
    if data.get("owner_id"):
        active_user(data["owner_id"], "owner_id")
    values = {k: data[k] for k in OBJECTIVE_FIELDS if data.get(k) is not None}
    objective = HseObjective(status="active", **{"direction": "at_least", **values})
    db.session.add(objective)
    db.session.flush()
    audit.record(actor, "hse_objective.create", "hse_objective", objective.id, unit=objective.unit,
                 target=objective.target_value)
    return objective


def report_progress(actor, objective: HseObjective, actual: Decimal, as_of: date, note: str | None) -> HseObjectiveUpdate:
    """The safety office or the person responsible records where the target stands."""
    require(actor, P.hse_view)
    if not (can(actor, P.hse_manage) or objective.owner_id == actor.id):
        raise NotAllowed()
    if objective.status != "active":
        raise Conflict(_("This objective is closed."))
    if actual is None or actual < 0:
        raise Invalid({"actual_value": [_("Must be greater than or equal to 0.")]})
    update = HseObjectiveUpdate(objective=objective, as_of=as_of, actual_value=actual, note=note, by_id=actor.id)
    objective.actual_value = actual
    db.session.add(update)
    db.session.flush()
    pct, achieved = progress(objective)
    audit.record(actor, "hse_objective.progress", "hse_objective", objective.id, actual=actual, pct=pct,
                 achieved=achieved)
    return update


def close_objective(actor, objective: HseObjective) -> None:
    require(actor, P.hse_manage)
    if objective.status != "active":
        raise Conflict(_("This objective is closed."))
    objective.status = "closed"
    db.session.flush()
    pct, achieved = progress(objective)
    audit.record(actor, "hse_objective.close", "hse_objective", objective.id, pct=pct, achieved=achieved)


# --- self-inspections -----------------------------------------------------------------------------

def list_inspections(actor, unit: str | None = None) -> list[SelfInspection]:
    require(actor, P.hse_view)
    stmt = select(SelfInspection)
    if unit:
        stmt = stmt.where(SelfInspection.unit == unit)
    return list(db.session.execute(stmt.order_by(SelfInspection.period.desc(), SelfInspection.unit))
                .unique().scalars())


def get_inspection(actor, inspection_id: int) -> SelfInspection:
    require(actor, P.hse_view)
    inspection = db.session.get(SelfInspection, inspection_id)
    if inspection is None:
        raise NotFound()
    return inspection


def start_inspection(actor, unit: str, period: str, held_on: date) -> SelfInspection:
    """A new self-inspection of a department for a month, with that department's checklist (a unit head:
    their own unit's, a station chief's for their district)."""
    where = units.stamp(actor, {"unit": unit})
    unit, district_id = where["unit"], where["district_id"]
    if unit not in UNITS:
        raise Invalid({"unit": [_("Choose a department.")]})
    if not PERIOD.match(period or ""):
        raise Invalid({"period": [_("A month as YYYY-MM.")]})
    if db.session.execute(select(SelfInspection.id).where(
            SelfInspection.unit == unit, SelfInspection.period == period,
            SelfInspection.district_id.is_(None) if district_id is None
            else SelfInspection.district_id == district_id)).first():
        raise Invalid({"period": [_("This department already has a self-inspection for this month.")]})
    inspection = SelfInspection(unit=unit, district_id=district_id, period=period, held_on=held_on,
                                inspector_id=actor.id, status="open")
    for seq, text in enumerate(checklists.items_for(unit), start=1):
        inspection.items.append(SelfInspectionItem(seq=seq, text=text))
    db.session.add(inspection)
    db.session.flush()
    audit.record(actor, "hse_self_inspection.start", "hse_self_inspection", inspection.id, unit=unit, period=period)
    return inspection


def record_results(actor, inspection: SelfInspection, results: dict) -> None:
    """results: {item_id: (result or None, note)}; result ok | finding | na. A finding needs a note."""
    units.check(actor, inspection)
    if inspection.status != "open":
        raise Conflict(_("This self-inspection is completed."))
    errors, changes = {}, {}
    by_id = {i.id: i for i in inspection.items}
    for item_id, (result, note) in results.items():
        item = by_id.get(int(item_id))
        if item is None:
            continue
        if result not in (None, "ok", "finding", "na"):
            errors[f"result_{item.id}"] = [_("Choose a result.")]
            continue
        if result == "finding" and not (note or "").strip():
            errors[f"note_{item.id}"] = [_("Describe the finding.")]
            continue
        if item.nonconformity_id and result != "finding":
            errors[f"result_{item.id}"] = [_("A nonconformity was raised from this finding.")]
            continue
        if (item.result, item.note) != (result, (note or "").strip() or None):
            changes[item.seq] = result
            item.result, item.note = result, (note or "").strip() or None
    if errors:
        raise Invalid(errors)
    if changes:
        db.session.flush()
        audit.record(actor, "hse_self_inspection.results", "hse_self_inspection", inspection.id, changes=changes)


def complete_inspection(actor, inspection: SelfInspection) -> None:
    units.check(actor, inspection)
    if inspection.status != "open":
        raise Conflict(_("This self-inspection is completed."))
    unchecked = [i.seq for i in inspection.items if i.result is None]
    if unchecked:
        raise Invalid({"_schema": [_("Items not checked yet: %(items)s.", items=", ".join(map(str, unchecked)))]})
    inspection.status = "completed"
    db.session.flush()
    audit.record(actor, "hse_self_inspection.complete", "hse_self_inspection", inspection.id,
                 findings=sum(1 for i in inspection.items if i.result == "finding"))


def raise_nonconformity(actor, item: SelfInspectionItem):
    """A finding becomes a nonconformity (origin: inspection) in one step, linked both ways; it belongs
    to the self-inspection's unit."""
    units.check(actor, item.inspection)
    if item.result != "finding":
        raise Conflict(_("Only a finding can become a nonconformity."))
    if item.nonconformity_id:
        raise Conflict(_("A nonconformity was raised from this finding."))
    inspection = item.inspection
    nc = capa._create(actor, {"origin": "inspection", "unit": inspection.unit, "district_id": inspection.district_id,
                              "title": item.text[:200],
                              "description": _("Self-inspection %(period)s: %(note)s", period=inspection.period,
                                               note=item.note or item.text)},
                      "hse_self_inspection_item", item.id)
    item.nonconformity_id = nc.id
    db.session.flush()
    return nc


def get_item(actor, item_id: int) -> SelfInspectionItem:
    require(actor, P.hse_view)
    item = db.session.get(SelfInspectionItem, item_id)
    if item is None:
        raise NotFound()
    return item
