"""The inspections' lines on a customer's timeline: visits with their stove-front pressure, and hazard
milestones (status-only steps stay on the hazard page; the orders are dispatch's own lines)."""
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import aliased

from fieldsvc.auth.models import User
from fieldsvc.customers.services import TimelineEvent, TimelineSource, add_timeline_source
from fieldsvc.customers.services.timeline import line
from fieldsvc.inspections.models import ChecklistItem, Hazard, HazardEvent, Inspection, InspectionResult
from fieldsvc.inspections.services.archive import (
    hazard_detail,
    hazard_kind,
    inspection_text,
    locale,
    pressure_text,
)
from fieldsvc.labels import label

ITEM, FIELD = "\x1e", "\x1f"  # separators no checklist label contains


def _item_label():
    return ChecklistItem.label_zh if locale().startswith("zh") else ChecklistItem.label_en


def _visits(customer_id):
    # The hazards found, as "position␟grade␟label" joined by ␞: one column, put in checklist order here.
    found = (select(func.aggregate_strings(
        cast(InspectionResult.position, Text) + FIELD + func.coalesce(InspectionResult.grade, "") + FIELD
        + _item_label(), ITEM))
        .select_from(InspectionResult).join(ChecklistItem, ChecklistItem.id == InspectionResult.item_id)
        .where(InspectionResult.inspection_id == Inspection.id, InspectionResult.ok.is_(False))
        .scalar_subquery())
    return (select(*line(at=Inspection.visited_at, ref=Inspection.id, flag=Inspection.card_left,
                         s=(Inspection.outcome, Inspection.scope, User.name, Inspection.refused_by,
                            Inspection.door_gap_check, Inspection.gas, found),
                         n=(Inspection.static_pa, Inspection.working_pa)))
            .select_from(Inspection).join(User, User.id == Inspection.inspector_id)
            .where(Inspection.customer_id == customer_id))


def _visit_events(row):
    found = sorted((int(p), g, text) for p, g, text in (i.split(FIELD, 2) for i in row.s7.split(ITEM))) \
        if row.s7 else []
    url = url_for("inspections.show", inspection_id=row.ref)
    title, detail, _tone = inspection_text(row.s1, row.s2, row.s3, [f"{text} ({g})" for _p, g, text in found],
                                           any(g == "A" for _p, g, _t in found), row.s4, row.flag, row.s5)
    yield TimelineEvent(row.at, "inspection.inspection", title, detail, url)
    if row.n2 is not None:
        static = None if row.n1 is None else int(row.n1)
        text, _tone = pressure_text(row.s6, static, int(row.n2))
        yield TimelineEvent(row.at, "inspection.pressure", _("Stove-front pressure"), text, url)


def _hazard_steps(customer_id):
    actor = aliased(User)
    return (select(*line(at=HazardEvent.at, ref=Hazard.id, ref2=HazardEvent.work_order_id,
                         s=(HazardEvent.action, HazardEvent.to_status, HazardEvent.note, actor.name,
                            _item_label(), Hazard.grade)))
            .select_from(HazardEvent).join(Hazard, Hazard.id == HazardEvent.hazard_id)
            .join(InspectionResult, InspectionResult.id == Hazard.result_id)
            .join(ChecklistItem, ChecklistItem.id == InspectionResult.item_id)
            .outerjoin(actor, actor.id == HazardEvent.actor_id)
            .where(Hazard.customer_id == customer_id, HazardEvent.action != "status"))


def _hazard_events(row):
    detail = hazard_detail(f"{row.s5} ({row.s6})", row.s1, row.s2, row.ref2, row.s3, row.s4)
    yield TimelineEvent(row.at, f"inspection.{hazard_kind(row.s1)}", label(row.s1, "hazard_action"), detail,
                        url_for("inspections.hazard", hazard_id=row.ref))


def register(app) -> None:
    add_timeline_source(app, TimelineSource("inspection", _visits, _visit_events),
                        TimelineSource("hazard", _hazard_steps, _hazard_events))
