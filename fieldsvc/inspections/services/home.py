"""Figures of this domain for the role home pages (the lead's templates): each key is present only
when the user's role may see it, so a template can test `if figures.x is defined`."""
from sqlalchemy import func, select

from fieldsvc import clock
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.extensions import db
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import Hazard, Inspection
from fieldsvc.inspections.services import hazard_lists, sampling
from fieldsvc.permissions import P, can


def figures(actor) -> dict:
    """hazards {open, escalated, awaiting_recheck, closed}; my_rectifications; to_recheck;
    incomplete_visits; visits_today; sampling_anomalies (today)."""
    out: dict = {}
    if can(actor, P.hazards_view_all):
        out["hazards"] = hazard_lists.counts(actor)
    if can(actor, P.hazards_rectify):
        out["my_rectifications"] = db.session.execute(
            select(func.count(Hazard.id)).join(WorkOrder, WorkOrder.id == Hazard.work_order_id)
            .where(WorkOrder.assignee_id == actor.id, Hazard.status.in_(list(rules.UNRECTIFIED)))).scalar_one()
    if can(actor, P.hazards_recheck):
        out["to_recheck"] = db.session.execute(select(func.count(Hazard.id)).where(
            Hazard.status == rules.HazardStatus.awaiting_recheck)).scalar_one()
    if can(actor, P.inspections_record):
        mine = Inspection.inspector_id == actor.id
        out["incomplete_visits"] = db.session.execute(select(func.count(Inspection.id)).where(
            mine, Inspection.missing.is_not(None))).scalar_one()
        start = clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
        out["visits_today"] = db.session.execute(select(func.count(Inspection.id)).where(
            mine, Inspection.visited_at >= start)).scalar_one()
    if can(actor, P.pressure_sampling):
        out["sampling_anomalies"] = sum(1 for s in sampling.review(actor, clock.today()) if s.anomaly)
    return out
