"""Nonconformities and their corrective and preventive actions (RULES.md §8).

States follow rules.NC_TRANSITIONS; what blocks a move (no root cause, no actions, open actions, no
effective verdict) is rules.nc_blockers. Closing needs the director's approval (nonconformity_approve).
Complaints, incidents and policy checks raise items in one step through raise_from_field, without HSE
knowing their tables; field hazards (inspections, emergencies) come in as observations, which the
safety officer turns into a nonconformity (observations.raise_nonconformity, through raise_from_field).
"""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import audit, clock
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotFound
from fieldsvc.extensions import db
from fieldsvc.hse import rules
from fieldsvc.hse.models import NcAction, Nonconformity
from fieldsvc.hse.services import units
from fieldsvc.hse.services.common import active_user, default_unit, paged
from fieldsvc.labels import label
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require
from fieldsvc.statemachine import Step, permitted

ENTITY = "hse_nonconformity"
BLOCKER_FIELDS = {"root_cause": "root_cause", "actions": "actions", "actions_open": "actions",
                  "effective": "effective", "reason": "reason"}


def _blocker_messages() -> dict:
    return {
        "root_cause": _("Record the root cause before planning actions."),
        "actions": _("Add at least one action with an owner and a deadline."),
        "actions_open": _("Every action must be done before the effectiveness check."),
        "effective": _("The effectiveness check must find the actions effective."),
        "reason": _("Give a reason."),
    }


def _create(actor, data: dict, source_entity=None, source_id=None) -> Nonconformity:
    if data.get("origin") not in rules.NC_ORIGINS:
        raise Invalid({"origin": [_("Must be one of: %(values)s.", values=", ".join(rules.NC_ORIGINS))]})
    for field in ("title", "description"):
        if not (data.get(field) or "").strip():
            raise Invalid({field: [_("This field is required.")]})
    nc = Nonconformity(title=data["title"].strip()[:200], description=data["description"].strip(),
                       origin=data["origin"], unit=data.get("unit") or default_unit(actor),
                       district_id=data.get("district_id"), source_entity=source_entity, source_id=source_id, raised_by=actor.id, status="draft")
    db.session.add(nc)
    db.session.flush()
    nc.number = f"NC{clock.today().year}-{nc.id:05d}"
    db.session.flush()
    audit.record(actor, "hse_nc.create", ENTITY, nc.id, number=nc.number, origin=nc.origin,
                 source_entity=source_entity, source_id=source_id)
    return nc


def create(actor, data: dict) -> Nonconformity:
    """A nonconformity found by the safety office (optional unit), or by a unit head in their own unit."""
    data = {**data, **units.stamp(actor, data)}
    return _create(actor, data, data.get("source_entity"), data.get("source_id"))


def raise_from_field(actor, origin: str, source_entity: str, source_id: int | None, title: str,
                     description: str, unit: str | None = None) -> Nonconformity:
    """One-step feed from records outside the CAPA workflow: a justified complaint, an incident's
    action, a failed policy check, and the safety officer's one step from a field observation.

    Anyone who may report (every role) can call it with their own actor. A second call for the same
    open source record returns the open nonconformity instead of a duplicate, so a retried or
    re-saved field record does not flood the register.
    """
    require(actor, P.hse_report)
    if not source_entity:
        raise Invalid({"source_entity": [_("This field is required.")]})
    if source_id is not None:
        existing = db.session.execute(select(Nonconformity).where(
            Nonconformity.source_entity == source_entity, Nonconformity.source_id == source_id,
            Nonconformity.origin == origin, Nonconformity.status.in_(rules.NC_OPEN))).scalars().first()
        if existing is not None:
            return existing
    return _create(actor, {"origin": origin, "title": title, "description": description, "unit": unit},
                   source_entity, source_id)


def get(actor, nc_id: int) -> Nonconformity:
    require(actor, P.hse_view)
    nc = db.session.get(Nonconformity, nc_id)
    if nc is None:
        raise NotFound(_("No such nonconformity."))
    return nc


# Raised from other domains (the field), not from HSE's own registers.
FED = (Nonconformity.source_entity.is_not(None), ~Nonconformity.source_entity.like("hse_%"))


def list_ncs(actor, status: str | None = None, origin: str | None = None, open_only: bool = False,
             fed_only: bool = False, page: int = 1, per_page: int = 50) -> tuple[list[Nonconformity], int]:
    """fed_only: items raised from other domains (source outside HSE)."""
    require(actor, P.hse_view)
    stmt = select(Nonconformity)
    if status:
        stmt = stmt.where(Nonconformity.status == status)
    if open_only:
        stmt = stmt.where(Nonconformity.status.in_(rules.NC_OPEN))
    if origin:
        stmt = stmt.where(Nonconformity.origin == origin)
    if fed_only:
        stmt = stmt.where(*FED)
    return paged(stmt, page, per_page, (Nonconformity.id.desc(),))


def _editable(nc: Nonconformity) -> None:
    if nc.status not in rules.NC_OPEN:
        raise Conflict(_("This nonconformity is %(state)s: it can no longer change.",
                         state=label(nc.status, "hse_nc_state")))


def record_analysis(actor, nc: Nonconformity, root_cause: str, version: int | None = None) -> Nonconformity:
    units.check(actor, nc, not_found=_("No such nonconformity."))
    _editable(nc)
    if version is not None and version != nc.version:
        raise Conflict()
    if nc.status not in ("draft", "analysis", "action_plan"):
        raise Conflict(_("The root cause is settled once the actions are under way."))
    if not (root_cause or "").strip():
        raise Invalid({"root_cause": [_("This field is required.")]})
    nc.root_cause = root_cause.strip()
    db.session.flush()
    audit.record(actor, "hse_nc.analysis", ENTITY, nc.id, root_cause=nc.root_cause)
    return nc


def add_action(actor, nc: Nonconformity, data: dict) -> NcAction:
    """data: kind, description, owner_id, deadline. Not once the check has started."""
    units.check(actor, nc, not_found=_("No such nonconformity."))
    _editable(nc)
    if nc.status == "effectiveness_check":
        raise Conflict(_("Send it back to the actions to add one."))
    if data.get("kind") not in rules.ACTION_KINDS:
        raise Invalid({"kind": [_("Must be one of: %(values)s.", values=", ".join(rules.ACTION_KINDS))]})
    if not (data.get("description") or "").strip():
        raise Invalid({"description": [_("This field is required.")]})
    if not data.get("deadline"):
        raise Invalid({"deadline": [_("This field is required.")]})
    owner = active_user(data.get("owner_id"), "owner_id")
    action = NcAction(nonconformity=nc, kind=data["kind"], description=data["description"].strip(),
                      owner_id=owner.id, deadline=data["deadline"])
    db.session.add(action)
    db.session.flush()
    audit.record(actor, "hse_nc.action_add", ENTITY, nc.id, action_id=action.id, kind=action.kind,
                 owner_id=owner.id, deadline=action.deadline)
    return action


def get_action(actor, action_id: int) -> NcAction:
    require(actor, P.hse_view)
    action = db.session.get(NcAction, action_id)
    if action is None:
        raise NotFound()
    return action


def complete_action(actor, action: NcAction, done_on: date, note: str | None = None) -> NcAction:
    """The action's owner (or the safety office, or the head of the nonconformity's unit) reports it done."""
    require(actor, P.hse_view)
    if action.owner_id != actor.id and not units.may_write(actor, action.nonconformity):
        raise NotAllowed()
    _editable(action.nonconformity)
    if action.done_on is not None:
        raise Conflict(_("This action is already done."))
    if done_on is None:
        raise Invalid({"done_on": [_("This field is required.")]})
    if done_on > clock.today():
        raise Invalid({"done_on": [_("The date cannot be in the future.")]})
    action.done_on, action.done_note = done_on, (note or "").strip() or None
    db.session.flush()
    audit.record(actor, "hse_nc.action_done", ENTITY, action.nonconformity_id, action_id=action.id,
                 done_on=done_on)
    return action


def record_effectiveness(actor, nc: Nonconformity, effective: bool, note: str) -> Nonconformity:
    units.check(actor, nc, not_found=_("No such nonconformity."))
    if nc.status != "effectiveness_check":
        raise Conflict(_("The effectiveness is checked once every action is done."))
    if not (note or "").strip():
        raise Invalid({"effectiveness_note": [_("Say what was checked and what was found.")]})
    nc.effective, nc.effectiveness_note = bool(effective), note.strip()
    nc.checked_by, nc.checked_on = actor.id, clock.today()
    db.session.flush()
    audit.record(actor, "hse_nc.effectiveness", ENTITY, nc.id, effective=nc.effective, note=nc.effectiveness_note)
    return nc


def facts(nc: Nonconformity, reason: str | None = None) -> rules.NcFacts:
    actions = [a for a in nc.actions if a.owner_id and a.deadline]
    return rules.NcFacts(root_cause=nc.root_cause, actions=len(actions),
                         actions_open=sum(1 for a in actions if a.done_on is None),
                         effective=nc.effective, reason=reason)


def _authorise(actor, by: rules.NcBy, nc: Nonconformity | None = None) -> None:
    """Closing: the director. The other moves: the safety office, or the head of the nonconformity's unit."""
    if by == rules.NcBy.approver:
        require(actor, P.nonconformity_approve)
    elif nc is None:
        require(actor, P.hse_manage)
    else:
        units.check(actor, nc, not_found=_("No such nonconformity."))


def available_moves(actor, nc: Nonconformity) -> list[Step]:
    """What the record's page offers this actor: exactly the moves transition() would let them make
    (what still blocks one — a root cause, open actions — is said when it is tried), in the order of the states."""
    steps = rules.NC_MACHINE.allowed(nc.status, permitted(lambda move: _authorise(actor, move.by, nc)))
    return sorted(steps, key=lambda step: rules.NC_STATES.index(step.to))


REASON_MAX = 2000  # as the API's schema (NcTransitionIn): the page posts the same field


def transition(actor, nc: Nonconformity, to: str, version: int | None = None,
               reason: str | None = None) -> Nonconformity:
    """Move along the state table; closing needs the director (nonconformity_approve). An unknown target is
    refused without being repeated: the page flashes the message into the session cookie."""
    _authorise(actor, rules.nc_by(to), nc)
    if version is not None and version != nc.version:
        raise Conflict()
    if to not in rules.NC_STATES:
        raise Conflict(_("A nonconformity cannot go from %(a)s to that status.", a=label(nc.status, "hse_nc_state")))
    if reason is not None and len(reason) > REASON_MAX:
        raise Invalid({"reason": [_("At most %(max)d characters.", max=REASON_MAX)]})
    blockers = rules.nc_blockers(nc.status, to, facts(nc, reason))
    if "illegal" in blockers:
        raise Conflict(_("A nonconformity cannot go from %(a)s to %(b)s.", a=label(nc.status, "hse_nc_state"),
                         b=label(to, "hse_nc_state")))
    if blockers:
        messages = _blocker_messages()
        errors: dict = {}
        for code in blockers:
            errors.setdefault(BLOCKER_FIELDS[code], []).append(messages[code])
        raise Invalid(errors)
    before = nc.status
    nc.status = to
    if to == "closed":
        nc.approved_by, nc.closed_at = actor.id, utcnow()
    elif to == "cancelled":
        nc.cancel_reason = reason.strip()
    elif before == "effectiveness_check":  # not effective: back to the actions, a fresh check later
        nc.effective = None
    db.session.flush()
    audit.record(actor, "hse_nc.transition", ENTITY, nc.id, **{"from": before, "to": to}, reason=reason)
    return nc


def my_open_actions(actor) -> list[NcAction]:
    """The actor's actions not done yet on open nonconformities, earliest deadline first."""
    require(actor, P.hse_view)
    stmt = (select(NcAction).join(Nonconformity)
            .where(NcAction.owner_id == actor.id, NcAction.done_on.is_(None),
                   Nonconformity.status.in_(rules.NC_OPEN)).order_by(NcAction.deadline))
    return list(db.session.execute(stmt).unique().scalars())
