"""Shared by the inspection services: the deployment's tables (config over rules defaults), loading a
customer, who may see an inspection or a hazard."""
import math
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import clock
from fieldsvc.customers.models import Customer
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.errors import NotFound
from fieldsvc.extensions import db
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import Hazard, Inspection
from fieldsvc.permissions import P, can


def cycle_months() -> dict[str, int]:
    return rules.cycle_table(current_app.config.get("INSPECTION_CYCLE_MONTHS"))


def rated_pressures() -> dict:
    return current_app.config.get("INSPECTION_RATED_PRESSURE_PA") or rules.RATED_PRESSURE_PA


def deadline_days() -> dict:
    return current_app.config.get("INSPECTION_DEADLINE_DAYS") or rules.DEADLINE_DAYS


def evaluate(gas: str, static_pa, working_pa) -> rules.PressureResult:
    return rules.evaluate(gas, static_pa, working_pa, rated_pressures())


def bands() -> dict[str, list[int]]:
    """Every gas family's band, for the page's live verdict (the server still decides)."""
    table = rated_pressures()
    # Whole pascals inside the band: rounding the low end down would show 787 Pa as normal on the page
    # when the server, with a 787.5 Pa limit, says low.
    return {gas: [math.ceil(low), math.floor(high)] for gas in table for low, high in [rules.band(gas, table)]}


def end_of_day(day) -> datetime:
    """The hazard deadline as a moment: the end of that business day."""
    return datetime.combine(day, datetime.max.time().replace(microsecond=0), tzinfo=clock.zone())


def customer(customer_id: int) -> Customer:
    row = db.session.get(Customer, customer_id)
    if row is None:
        raise NotFound(_("No such customer."))
    return row


def may_see_inspection(actor, inspection: Inspection) -> bool:
    """Archive readers see every visit; an inspector always sees their own."""
    return can(actor, P.inspections_view) or can(actor, P.hazards_view_all) or (
        can(actor, P.inspections_record) and inspection.inspector_id == getattr(actor, "id", None))


def rectifier_of(actor, hazard: Hazard) -> bool:
    """The pipe fitter whose rectification order it is."""
    if not can(actor, P.hazards_rectify) or hazard.work_order_id is None:
        return False
    assignee = db.session.execute(select(WorkOrder.assignee_id).where(WorkOrder.id == hazard.work_order_id)
                                  ).scalar()
    return assignee == actor.id


def may_see_hazard(actor, hazard: Hazard) -> bool:
    return (can(actor, P.hazards_view_all) or can(actor, P.inspections_view) or can(actor, P.hazards_recheck)
            or rectifier_of(actor, hazard))


def inspection_visible(actor, inspection_id: int) -> bool:
    """For fieldsvc.uploads: item photos and the signature of a visit."""
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None:
        return False
    if may_see_inspection(actor, inspection):
        return True
    # The pipe fitter sees the photos of the findings they are sent to fix.
    return any(rectifier_of(actor, h) for h in inspection.hazards)


def hazard_visible(actor, hazard_id: int) -> bool:
    """For fieldsvc.uploads: before/after and re-check photos."""
    hazard = db.session.get(Hazard, hazard_id)
    return hazard is not None and may_see_hazard(actor, hazard)
