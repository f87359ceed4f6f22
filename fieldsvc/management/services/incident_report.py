"""The incident's timeline (the linked orders' history from dispatch, the notifications and the steps,
in time order) and the incident report PDF that carries it."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fieldsvc import clock, pdf
from fieldsvc.dispatch.models import WorkOrderEvent
from fieldsvc.dispatch.services import orders
from fieldsvc.errors import NotFound
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.management.models import Incident
from fieldsvc.management.services import checks
from fieldsvc.permissions import P, require


@dataclass(frozen=True)
class Moment:
    at: datetime
    source: str  # incident | order | notification | step
    text: str
    who: str = ""
    detail: str = ""


def _order_events(actor, order) -> list[WorkOrderEvent]:
    """The order's history through dispatch. The safety officer investigates incidents without seeing
    the dispatch board, so for whoever may not open the order the same history is read here, read-only."""
    try:
        return orders.history(actor, order)
    except NotFound:
        stmt = (select(WorkOrderEvent).where(WorkOrderEvent.work_order_id == order.id)
                .options(joinedload(WorkOrderEvent.actor), joinedload(WorkOrderEvent.assignee))
                .order_by(WorkOrderEvent.id))
        return list(db.session.execute(stmt).scalars())


def _event_text(link, event: WorkOrderEvent) -> Moment:
    text = _("Work order #%(id)d: %(action)s", id=link.work_order_id, action=label(event.action, "wo_action"))
    details = []
    if event.assignee is not None and event.action in ("assign", "reassign"):
        details.append(event.assignee.name)
    if event.note and event.action != "create":
        details.append(event.note)
    if event.lat is not None and event.lng is not None:
        details.append(f"{event.lat}, {event.lng}")
    return Moment(event.at, "order", text, event.actor.name if event.actor else "", " · ".join(details))


def timeline(actor, incident: Incident) -> list[Moment]:
    """Everything that happened, oldest first."""
    require(actor, P.incidents_view)
    moments = [Moment(incident.occurred_at, "incident", _("Incident occurred: %(title)s", title=incident.title),
                      detail=incident.location)]
    for link in incident.orders:
        moments += [_event_text(link, e) for e in _order_events(actor, link.work_order)]
    for n in incident.notifications:
        moments.append(Moment(n.notified_at, "notification",
                              _("Informed %(party)s (%(channel)s)", party=n.party,
                                channel=label(n.channel, "notify_channel")),
                              n.by.name if n.by else "", n.note or ""))
    for s in incident.steps:
        moments.append(Moment(s.at, "step", s.text, s.by.name if s.by else ""))
    return sorted(moments, key=lambda m: m.at)


def report_pdf(actor, incident: Incident) -> bytes:
    """事故（事件）报告: the facts, the timeline, the analysis and the corrective actions."""
    require(actor, P.incidents_view)
    ncs = checks.nonconformities(actor, [a.nonconformity_id for a in incident.actions])
    return pdf.render_pdf("management/pdf/incident.html", incident=incident, moments=timeline(actor, incident),
                          ncs=ncs, zone=clock.zone(), printed=clock.now())
