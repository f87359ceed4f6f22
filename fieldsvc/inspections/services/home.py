"""Figures of this domain for the role home pages: each key is present only when the user's role may see it,
so a template can test `if figures.x is defined`. The counts are SELECTs that the home page asks together with
every other card's (fieldsvc/home.py); `figures` answers them on their own."""
from sqlalchemy import func, select

from fieldsvc import clock, home
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import Hazard, Inspection
from fieldsvc.inspections.services import hazard_lists, sampling, sampling_review
from fieldsvc.permissions import P, can


def figure_queries(actor) -> dict:
    """The counts the actor's role may see, as scalar SELECTs keyed as `card` reads them."""
    out: dict = {}
    if can(actor, P.hazards_view_all):
        out.update({f"hazards.{key}": query for key, query in hazard_lists.count_queries(actor).items()})
    if can(actor, P.hazards_rectify):
        out["my_rectifications"] = (
            select(func.count(Hazard.id)).join(WorkOrder, WorkOrder.id == Hazard.work_order_id)
            .where(WorkOrder.assignee_id == actor.id, Hazard.status.in_(list(rules.UNRECTIFIED))))
    if can(actor, P.hazards_recheck):
        out["to_recheck"] = select(func.count(Hazard.id)).where(Hazard.status == rules.HazardStatus.awaiting_recheck)
    if can(actor, P.inspections_record):
        mine = Inspection.inspector_id == actor.id
        out["incomplete_visits"] = select(func.count(Inspection.id)).where(mine, Inspection.missing.is_not(None))
        start = clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
        out["visits_today"] = select(func.count(Inspection.id)).where(mine, Inspection.visited_at >= start)
    return out


def card(actor, values: dict) -> dict | None:
    """hazards {open, escalated, awaiting_recheck, closed}; my_rectifications; to_recheck;
    incomplete_visits; visits_today; sampling_anomalies (today). None when the role sees none of them."""
    out: dict = {}
    for key, value in values.items():
        group, _, name = key.partition(".")
        if name:
            out.setdefault(group, {})[name] = value
        else:
            out[key] = value
    if can(actor, P.pressure_sampling):
        out["sampling_anomalies"] = sum(1 for s in sampling.review(actor, clock.today()) if s.anomaly)
        out["sampling_unsigned"] = sampling_review.unsigned_days(actor)  # the past week's days to sign off
    return out or None


def figures(actor) -> dict:
    return card(actor, home.figures_of(figure_queries(actor))) or {}
