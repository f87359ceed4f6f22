"""Emergency plans (应急预案) by scenario: what they cover, the response steps, the next review date and
the call list (staff — with their phone — and outside numbers, in calling order). The safety officer and
the director write them; everyone with field duties reads them (the call list is what they need)."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from fieldsvc import audit, clock
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.management import rules_emergency as rules
from fieldsvc.management.models import EmergencyContact, EmergencyPlan
from fieldsvc.management.services.common import active_user, paged, required
from fieldsvc.permissions import P, require

ENTITY = "mgmt_emergency_plan"
FIELDS = ("title", "scenario", "review_on", "scope", "response")


def review(plan: EmergencyPlan, today: date | None = None) -> str:
    return rules.review_state(plan.review_on, today or clock.today())


def list_plans(actor, q: str | None = None, scenario: str | None = None, withdrawn: bool = False,
               page: int = 1, per_page: int = 50) -> tuple[list[EmergencyPlan], int]:
    require(actor, P.emergency_plans_view)
    stmt = select(EmergencyPlan).where(EmergencyPlan.active.is_(not withdrawn))
    if scenario in rules.SCENARIOS:
        stmt = stmt.where(EmergencyPlan.scenario == scenario)
    if q and q.strip():
        q = q.strip()
        stmt = stmt.where(or_(*(col.contains(q, autoescape=True) for col in (
            EmergencyPlan.title, EmergencyPlan.scope, EmergencyPlan.response))))
    return paged(stmt, page, per_page, (EmergencyPlan.scenario, EmergencyPlan.title))


def choices(actor) -> list[tuple[str, str]]:
    """(id, title) of the plans in force, for the incident form."""
    require(actor, P.emergency_plans_view)
    rows = db.session.execute(select(EmergencyPlan.id, EmergencyPlan.title).where(EmergencyPlan.active.is_(True))
                              .order_by(EmergencyPlan.scenario, EmergencyPlan.title))
    return [(str(i), t) for i, t in rows]


def check_plan_id(plan_id, field: str = "plan_id") -> EmergencyPlan:
    """The plan an incident says it used: must exist (read by the incident service)."""
    plan = db.session.get(EmergencyPlan, plan_id) if plan_id else None
    if plan is None:
        raise Invalid({field: [_("Choose an emergency plan.")]})
    return plan


def get_plan(actor, plan_id: int) -> EmergencyPlan:
    require(actor, P.emergency_plans_view)
    plan = db.session.get(EmergencyPlan, plan_id)
    if plan is None:
        raise NotFound(_("No such emergency plan."))
    return plan


def reviews_due(actor, today: date | None = None) -> list[EmergencyPlan]:
    """Plans in force whose review is overdue or due within a month, soonest first."""
    require(actor, P.emergency_plans_view)
    today = today or clock.today()
    limit = date.fromordinal(today.toordinal() + rules.REVIEW_SOON_DAYS)
    return list(db.session.execute(select(EmergencyPlan).where(
        EmergencyPlan.active.is_(True), EmergencyPlan.review_on <= limit).order_by(EmergencyPlan.review_on)).scalars())


def call_list(plan: EmergencyPlan) -> list[dict]:
    """The lines to call, in order: {"id", "name", "phone", "duty", "staff"} (a staff member's own phone
    unless the line gives another)."""
    out = []
    for c in plan.contacts:
        if not c.active:
            continue
        name = c.user.name if c.user is not None else c.name
        phone = c.phone or (c.user.phone if c.user is not None else None)
        out.append({"id": c.id, "name": name, "phone": phone, "duty": c.duty, "staff": c.user is not None,
                    "tel": "".join(ch for ch in (phone or "") if ch.isdigit() or ch == "+")})
    return out


# --- writing ------------------------------------------------------------------------------------------

def _check(data: dict) -> None:
    if data.get("scenario") is not None and data["scenario"] not in rules.SCENARIOS:
        raise Invalid({"scenario": [_("Must be one of: %(values)s.", values=", ".join(rules.SCENARIOS))]})


def create_plan(actor, data: dict) -> EmergencyPlan:
    """data: title, scenario, review_on; optional scope, response."""
    require(actor, P.emergency_plans_manage)
    required(data, "title", "scenario", "review_on")
    _check(data)
    plan = EmergencyPlan(active=True, **{k: data.get(k) for k in FIELDS})
    db.session.add(plan)
    db.session.flush()
    audit.record(actor, "eplan.create", ENTITY, plan.id, title=plan.title, scenario=plan.scenario,
                 review_on=plan.review_on)
    return plan


def update_plan(actor, plan: EmergencyPlan, data: dict, lock: int | None = None) -> EmergencyPlan:
    require(actor, P.emergency_plans_manage)
    if lock is not None and lock != plan.version:
        raise Conflict()
    _check(data)
    changes = {}
    for key in FIELDS:
        if key in data and data[key] != getattr(plan, key) and (data[key] is not None or key in ("scope", "response")):
            changes[key] = [getattr(plan, key), data[key]]
            setattr(plan, key, data[key])
    if "active" in data and data["active"] is not None and bool(data["active"]) != plan.active:
        changes["active"] = [plan.active, bool(data["active"])]
        plan.active = bool(data["active"])
    if changes:
        db.session.flush()
        audit.record(actor, "eplan.update", ENTITY, plan.id, changes=changes)
    return plan


def add_contact(actor, plan: EmergencyPlan, data: dict) -> EmergencyContact:
    """A line of the call list: user_id (staff) or name and phone (outside); optional duty, position."""
    require(actor, P.emergency_plans_manage)
    user = active_user(data["user_id"], "user_id") if data.get("user_id") else None
    if user is None:
        required(data, "name", "phone")
    elif not (data.get("phone") or user.phone):
        raise Invalid({"phone": [_("%(name)s has no phone on record: give the number.", name=user.name)]})
    position = data.get("position")
    if position is None:
        position = (db.session.execute(select(func.max(EmergencyContact.position))
                                       .where(EmergencyContact.plan_id == plan.id)).scalar() or 0) + 1
    contact = EmergencyContact(plan_id=plan.id, position=position, user_id=user.id if user else None,
                               name=None if user else data["name"], phone=data.get("phone"), duty=data.get("duty"))
    db.session.add(contact)
    db.session.flush()
    db.session.refresh(plan, ["contacts"])
    audit.record(actor, "eplan.contact_add", ENTITY, plan.id, contact_id=contact.id,
                 name=user.name if user else contact.name, phone=contact.phone, duty=contact.duty)
    return contact


def remove_contact(actor, plan: EmergencyPlan, contact_id: int) -> None:
    """Take a line off the call list (kept, inactive, for the history)."""
    require(actor, P.emergency_plans_manage)
    contact = db.session.get(EmergencyContact, contact_id)
    if contact is None or contact.plan_id != plan.id or not contact.active:
        raise NotFound()
    contact.active = False
    db.session.flush()
    audit.record(actor, "eplan.contact_remove", ENTITY, plan.id, contact_id=contact.id,
                 name=contact.user.name if contact.user else contact.name)

