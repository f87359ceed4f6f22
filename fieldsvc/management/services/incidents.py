"""Incidents (突发事件 / 事故): the record linked to its emergency work order(s), who was informed and
when, the steps of the response, then the analysis (causes, lessons, responsibility) and the corrective
actions, each run as an HSE nonconformity (origin "incident").

Dispatch is read, never written: an order is linked by id after checking that it exists and is an
emergency, and an order belongs to at most one incident.
"""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select

from fieldsvc import audit, clock
from fieldsvc.customers.models import District
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.management import rules
from fieldsvc.management.models import (
    Incident,
    IncidentAction,
    IncidentNotification,
    IncidentOrder,
    IncidentStep,
)
from fieldsvc.management.services.common import installed, paged, required
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require
from fieldsvc.statemachine import Move, Step, permitted

ENTITY = "mgmt_incident"
ACTION_ENTITY = "mgmt_incident_action"
FACT_FIELDS = ("title", "kind", "severity", "occurred_at", "location", "district_id", "description",
               "people_affected", "injured", "deaths", "property_damage", "immediate_measures", "resources",
               "plan_id")
ANALYSIS_FIELDS = ("causes", "lessons", "responsibility")


# --- reading ----------------------------------------------------------------------------------------

def list_incidents(actor, status: str | None = None, q: str | None = None, page: int = 1,
                   per_page: int = 50) -> tuple[list[Incident], int]:
    require(actor, P.incidents_view)
    stmt = select(Incident)
    if status:
        stmt = stmt.where(Incident.status == status)
    if q and q.strip():
        q = q.strip()  # autoescape: a "%" or "_" typed is looked for as such, not as a wildcard
        stmt = stmt.where(or_(*(col.contains(q, autoescape=True)
                                for col in (Incident.number, Incident.title, Incident.location))))
    return paged(stmt, page, per_page, (Incident.occurred_at.desc(), Incident.id.desc()))


def get_incident(actor, incident_id: int) -> Incident:
    require(actor, P.incidents_view)
    incident = db.session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(_("No such incident."))
    return incident


def unlinked_emergencies(actor, limit: int = 20) -> list[WorkOrder]:
    """Recent emergency orders not yet part of an incident: the ones to pick from."""
    require(actor, P.incidents_manage)
    linked = select(IncidentOrder.work_order_id)
    stmt = (select(WorkOrder).where(WorkOrder.type == "emergency", WorkOrder.id.not_in(linked))
            .order_by(WorkOrder.created_at.desc()).limit(limit))
    return list(db.session.execute(stmt).scalars())


def emergency_order(order_id, field: str = "work_order_id") -> WorkOrder:
    """The work order, which must exist and be an emergency (read-only look-up in dispatch)."""
    order = db.session.get(WorkOrder, order_id) if order_id else None
    if order is None:
        raise Invalid({field: [_("No such work order.")]})
    if order.type != "emergency":
        raise Invalid({field: [_("Work order #%(id)d is not an emergency: only emergencies become incidents.",
                                 id=order.id)]})
    return order


def prefill_from_order(actor, order_id: int) -> dict:
    """Form values for a new incident from its emergency order: when, where, what was reported."""
    require(actor, P.incidents_manage)
    order = emergency_order(order_id)
    when = order.created_at.astimezone(clock.zone())
    return {"work_order_id": order.id, "title": _("Emergency at %(address)s", address=order.address)[:200],
            "kind": "gas_leak", "occurred_at": when.strftime("%Y-%m-%dT%H:%M"), "location": order.address,
            "district_id": order.district_id, "description": order.description}


# --- writing ----------------------------------------------------------------------------------------

def _open(incident: Incident) -> None:
    if incident.status == rules.IncidentStatus.closed:
        raise Conflict(_("This incident is closed: it can no longer change."))


def _not_future(value: datetime, field: str) -> None:
    if value > utcnow():
        raise Invalid({field: [_("The time cannot be in the future.")]})


def _check_facts(data: dict) -> None:
    if data.get("kind") is not None and data["kind"] not in rules.INCIDENT_KINDS:
        raise Invalid({"kind": [_("Must be one of: %(values)s.", values=", ".join(rules.INCIDENT_KINDS))]})
    if data.get("severity") is not None and data["severity"] not in rules.INCIDENT_SEVERITIES:
        raise Invalid({"severity": [_("Must be one of: %(values)s.", values=", ".join(rules.INCIDENT_SEVERITIES))]})
    if data.get("occurred_at") is not None:
        _not_future(data["occurred_at"], "occurred_at")
    if data.get("district_id") and db.session.get(District, data["district_id"]) is None:
        raise Invalid({"district_id": [_("Choose the district.")]})
    if data.get("plan_id"):  # the emergency plan it was handled by
        from fieldsvc.management.services.emergency_plans import check_plan_id
        check_plan_id(data["plan_id"])


def create_incident(actor, data: dict) -> Incident:
    """data: title, kind, severity, occurred_at, location, description and the other facts; optional
    work_order_id of the emergency order it came from."""
    require(actor, P.incidents_manage)
    required(data, "title", "kind", "occurred_at", "location", "description")
    _check_facts(data)
    order = emergency_order(data["work_order_id"]) if data.get("work_order_id") else None
    if order is not None:
        _check_unlinked(order)
    incident = Incident(status=rules.IncidentStatus.open, reported_by=actor.id,
                        **{k: data[k] for k in FACT_FIELDS if data.get(k) is not None})
    if order is not None and not incident.district_id:
        incident.district_id = order.district_id
    db.session.add(incident)
    db.session.flush()
    incident.number = f"SJ{clock.business_date(incident.occurred_at).year}-{incident.id:05d}"
    db.session.flush()
    audit.record(actor, "incident.create", ENTITY, incident.id, number=incident.number, kind=incident.kind,
                 severity=incident.severity, occurred_at=incident.occurred_at)
    if order is not None:
        _link(actor, incident, order)
    return incident


def update_incident(actor, incident: Incident, data: dict, lock: int | None = None) -> Incident:
    require(actor, P.incidents_manage)
    _open(incident)
    if lock is not None and lock != incident.version:
        raise Conflict()
    _check_facts(data)
    changes = {}
    for key in FACT_FIELDS:
        if key in data and data[key] is not None and data[key] != getattr(incident, key):
            changes[key] = [getattr(incident, key), data[key]]
            setattr(incident, key, data[key])
    if changes:
        db.session.flush()
        audit.record(actor, "incident.update", ENTITY, incident.id, changes=changes)
    return incident


def _check_unlinked(order: WorkOrder) -> None:
    other = db.session.execute(select(IncidentOrder).where(IncidentOrder.work_order_id == order.id)).scalar()
    if other is not None:
        raise Invalid({"work_order_id": [_("Work order #%(id)d already belongs to incident %(number)s.",
                                           id=order.id, number=other.incident.number)]})


def _link(actor, incident: Incident, order: WorkOrder) -> IncidentOrder:
    link = IncidentOrder(incident_id=incident.id, work_order_id=order.id, linked_by=actor.id)
    db.session.add(link)
    db.session.flush()
    audit.record(actor, "incident.link_order", ENTITY, incident.id, work_order_id=order.id)
    return link


def link_order(actor, incident: Incident, order_id: int) -> IncidentOrder:
    """Add an emergency order to the incident (e.g. a second crew sent to the same leak)."""
    require(actor, P.incidents_manage)
    _open(incident)
    order = emergency_order(order_id)
    _check_unlinked(order)
    return _link(actor, incident, order)


def add_notification(actor, incident: Incident, data: dict) -> IncidentNotification:
    """Who was informed, when and how (data: party, notified_at, channel, note)."""
    require(actor, P.incidents_manage)
    _open(incident)
    required(data, "party", "notified_at", "channel")
    if data["channel"] not in rules.NOTIFY_CHANNELS:
        raise Invalid({"channel": [_("Must be one of: %(values)s.", values=", ".join(rules.NOTIFY_CHANNELS))]})
    _not_future(data["notified_at"], "notified_at")
    row = IncidentNotification(incident_id=incident.id, party=data["party"], notified_at=data["notified_at"],
                               channel=data["channel"], note=data.get("note"), by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "incident.notify", ENTITY, incident.id, party=row.party, notified_at=row.notified_at,
                 channel=row.channel)
    return row


def add_step(actor, incident: Incident, data: dict) -> IncidentStep:
    """A step of the response at a time (data: at, text)."""
    require(actor, P.incidents_manage)
    _open(incident)
    required(data, "at", "text")
    _not_future(data["at"], "at")
    row = IncidentStep(incident_id=incident.id, at=data["at"], text=data["text"], by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "incident.step", ENTITY, incident.id, at=row.at, text=row.text)
    return row


def record_analysis(actor, incident: Incident, data: dict) -> Incident:
    """Causes, lessons and responsibility (all three required)."""
    require(actor, P.incidents_manage)
    _open(incident)
    required(data, *ANALYSIS_FIELDS)
    for key in ANALYSIS_FIELDS:
        setattr(incident, key, data[key].strip())
    incident.analysed_by, incident.analysed_at = actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "incident.analysis", ENTITY, incident.id, **{k: data[k] for k in ANALYSIS_FIELDS})
    return incident


def add_action(actor, incident: Incident, data: dict):
    """A corrective (or preventive) action, raised at once as an HSE nonconformity; returns the action."""
    require(actor, P.incidents_manage)
    _open(incident)
    if not (incident.causes or "").strip():
        raise Invalid({"description": [_("Record the causes before deciding the actions.")]})
    required(data, "description")
    kind = data.get("kind") or "corrective"
    if kind not in rules.INCIDENT_ACTION_KINDS:
        raise Invalid({"kind": [_("Must be one of: %(values)s.", values=", ".join(rules.INCIDENT_ACTION_KINDS))]})
    if not installed("hse"):
        raise Conflict(_("The HSE module is not installed."))
    from fieldsvc.hse.services import capa
    action = IncidentAction(incident_id=incident.id, kind=kind, description=data["description"].strip(),
                            created_by=actor.id)
    db.session.add(action)
    db.session.flush()
    title = f"{incident.number} {action.description}"[:200]
    description = _("Incident %(number)s (%(kind)s, %(when)s, %(where)s): %(title)s.\nCauses: %(causes)s\n"
                    "%(action)s action: %(text)s", number=incident.number, kind=label(incident.kind, "incident_kind"),
                    when=incident.occurred_at.astimezone(clock.zone()).strftime("%Y-%m-%d %H:%M"),
                    where=incident.location, title=incident.title, causes=incident.causes,
                    action=label(kind, "action_kind"), text=action.description)
    nc = capa.raise_from_field(actor, "incident", ACTION_ENTITY, action.id, title, description)
    action.nonconformity_id = nc.id
    db.session.flush()
    audit.record(actor, "incident.action", ENTITY, incident.id, action_id=action.id, kind=kind,
                 nonconformity_id=nc.id, number=nc.number)
    return action


def _blocker_messages() -> dict:
    return {
        "causes": ("causes", _("Record the causes.")),
        "lessons": ("lessons", _("Record the lessons learned.")),
        "responsibility": ("responsibility", _("Record who was responsible.")),
        "actions": ("no_action_reason", _("Raise a corrective action, or say why none is needed.")),
    }


def authorise_move(actor, incident: Incident, move: Move | None = None) -> None:
    """Refuse unless this actor handles incidents: every incident move is theirs (rules.By.manager)."""
    require(actor, P.incidents_manage)


def available_moves(actor, incident: Incident) -> list[Step]:
    """What the incident's page offers this actor: exactly the moves transition() would let them make
    (what the analysis or the closing still needs is said when it is tried), in table order."""
    return rules.INCIDENT_MACHINE.allowed(incident.status,
                                          permitted(lambda move: authorise_move(actor, incident, move)))


def transition(actor, incident: Incident, to: str, no_action_reason: str | None = None,
               lock: int | None = None) -> Incident:
    """open → analysed (the analysis is complete) → closed (actions raised, or a reason why none)."""
    move = rules.incident_move(incident.status, to)
    authorise_move(actor, incident, move)  # before the move is judged: a stranger learns nothing of it
    if lock is not None and lock != incident.version:
        raise Conflict()
    if no_action_reason is not None and no_action_reason.strip():
        incident.no_action_reason = no_action_reason.strip()
    facts = rules.IncidentFacts(causes=incident.causes, lessons=incident.lessons,
                                responsibility=incident.responsibility, actions=len(incident.actions),
                                no_action_reason=incident.no_action_reason)
    blockers = rules.incident_blockers(incident.status, to, facts)
    if "illegal" in blockers:
        raise Conflict(_("An incident that is %(a)s cannot become %(b)s.", a=label(incident.status, "incident_status"),
                         b=label(to, "incident_status")))
    if blockers:
        messages, errors = _blocker_messages(), {}
        for code in blockers:
            field, message = messages[code]
            errors.setdefault(field, []).append(message)
        raise Invalid(errors)
    before = incident.status
    incident.status = to
    if to == rules.IncidentStatus.closed:
        incident.closed_by, incident.closed_at = actor.id, utcnow()
    db.session.flush()
    audit.record(actor, f"incident.{move.action}", ENTITY, incident.id,
                 **{"from": before, "to": to}, no_action_reason=incident.no_action_reason)
    return incident
