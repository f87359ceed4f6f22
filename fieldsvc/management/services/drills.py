"""Emergency drills (应急演练) held on a plan: the staff who took part (and outside parties), the timings
(started, ended, response time), the evaluation, and its actions — each action raised at once as one HSE
nonconformity (origin "drill", fieldsvc.hse.services.capa.raise_from_field).

Station chiefs record and change the drills of their own district (another district's: 404); the safety
office and the director any drill, including department-wide ones (no district)."""
from flask_babel import gettext as _
from sqlalchemy import or_, select

from fieldsvc import audit, clock
from fieldsvc.customers.models import District
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.management import rules_emergency as rules
from fieldsvc.management.models import DrillAction, DrillParticipant, EmergencyDrill, EmergencyPlan
from fieldsvc.management.services.common import active_user, installed, paged, required
from fieldsvc.permissions import P, can, require

ENTITY = "mgmt_emergency_drill"
ACTION_ENTITY = "mgmt_drill_action"
FIELDS = ("held_on", "started_at", "ended_at", "response_minutes", "exercise", "outside_participants", "evaluation")
NOBODY = -1


def district_scope(actor) -> int | None:
    """None: any district (the plan writers); else the actor's own district."""
    if can(actor, P.emergency_plans_manage):
        return None
    return actor.district_id or NOBODY


def may_manage(actor, drill: EmergencyDrill | None = None) -> bool:
    if not can(actor, P.drills_manage):
        return False
    scope = district_scope(actor)
    return drill is None or scope is None or drill.district_id == scope


def get_drill(actor, drill_id: int) -> EmergencyDrill:
    require(actor, P.emergency_plans_view)
    drill = db.session.get(EmergencyDrill, drill_id)
    if drill is None:
        raise NotFound(_("No such drill."))
    return drill


def list_drills(actor, q: str | None = None, page: int = 1, per_page: int = 50) -> tuple[list[EmergencyDrill], int]:
    """Every drill, latest first; q searches the plan's title, what was practised, the evaluation, outside
    participants."""
    require(actor, P.emergency_plans_view)
    stmt = select(EmergencyDrill)
    if q and q.strip():
        q = q.strip()
        stmt = stmt.join(EmergencyPlan, EmergencyPlan.id == EmergencyDrill.plan_id).where(or_(*(
            col.contains(q, autoescape=True) for col in (EmergencyPlan.title, EmergencyDrill.exercise,
                                                         EmergencyDrill.evaluation,
                                                         EmergencyDrill.outside_participants))))
    return paged(stmt, page, per_page, (EmergencyDrill.held_on.desc(), EmergencyDrill.id.desc()))


def recent(actor, limit: int = 20) -> list[EmergencyDrill]:
    require(actor, P.emergency_plans_view)
    return list(db.session.execute(select(EmergencyDrill).order_by(EmergencyDrill.held_on.desc(),
                                                                   EmergencyDrill.id.desc()).limit(limit)).scalars())


def duration(drill: EmergencyDrill) -> int | None:
    return rules.duration_minutes(drill.started_at, drill.ended_at)


def _check_timings(data: dict) -> None:
    held_on = data["held_on"]
    if held_on > clock.today():
        raise Invalid({"held_on": [_("The date cannot be in the future.")]})
    started = data.get("started_at")
    problem = rules.timing_problem(held_on, started, data.get("ended_at"), data.get("response_minutes"),
                                   clock.business_date(started) if started else None)
    if problem is None:
        return
    field, code = problem
    messages = {"other_day": _("The start must be on the day of the drill."),
                "order": _("The end must come after the start."),
                "too_long": _("A drill lasts at most %(hours)d hours.", hours=rules.MAX_DRILL_HOURS),
                "response": _("The response time must be between 0 and the length of the drill.")}
    raise Invalid({field: [messages[code]]})


def _district(actor, district_id) -> int | None:
    scope = district_scope(actor)
    if scope is not None:
        if district_id and district_id != scope:
            raise Invalid({"district_id": [_("Only drills of your own district can be recorded here.")]})
        return scope
    if district_id and db.session.get(District, district_id) is None:
        raise Invalid({"district_id": [_("Choose the district.")]})
    return district_id or None


def _set_participants(drill: EmergencyDrill, user_ids) -> tuple[list, list]:
    wanted = list(dict.fromkeys(int(u) for u in user_ids or []))
    if not wanted:
        raise Invalid({"participants": [_("Choose who took part.")]})
    for user_id in wanted:
        active_user(user_id, "participants")
    have = {p.user_id: p for p in drill.participants}
    for user_id, row in have.items():
        if user_id not in wanted:
            drill.participants.remove(row)
    for user_id in wanted:
        if user_id not in have:
            drill.participants.append(DrillParticipant(user_id=user_id))
    return sorted(have), wanted


def record_drill(actor, plan: EmergencyPlan, data: dict) -> EmergencyDrill:
    """data: held_on, participants (staff ids); optional district_id, started_at, ended_at, response_minutes,
    exercise, outside_participants, evaluation, actions (texts: each becomes one nonconformity)."""
    require(actor, P.drills_manage)
    required(data, "held_on")
    _check_timings(data)
    drill = EmergencyDrill(plan_id=plan.id, district_id=_district(actor, data.get("district_id")),
                           recorded_by=actor.id, **{k: data.get(k) for k in FIELDS})
    _set_participants(drill, data.get("participants"))
    db.session.add(drill)
    db.session.flush()
    audit.record(actor, "drill.record", ENTITY, drill.id, plan_id=plan.id, held_on=drill.held_on,
                 participants=[p.user_id for p in drill.participants], response_minutes=drill.response_minutes)
    for text in data.get("actions") or []:
        if (text or "").strip():
            add_action(actor, drill, text)
    return drill


def update_drill(actor, drill: EmergencyDrill, data: dict, lock: int | None = None) -> EmergencyDrill:
    require(actor, P.drills_manage)
    if not may_manage(actor, drill):
        raise NotFound(_("No such drill."))
    if lock is not None and lock != drill.version:
        raise Conflict()
    merged = {k: data.get(k, getattr(drill, k)) for k in FIELDS}
    merged["held_on"] = merged["held_on"] or drill.held_on
    _check_timings(merged)
    changes = {k: [getattr(drill, k), v] for k, v in merged.items() if v != getattr(drill, k)}
    for key, (_before, after) in changes.items():
        setattr(drill, key, after)
    if "participants" in data:
        before, after = _set_participants(drill, data["participants"])
        if set(before) != set(after):
            changes["participants"] = [before, after]
    if changes:
        db.session.flush()
        audit.record(actor, "drill.update", ENTITY, drill.id, changes=changes)
    return drill


def add_action(actor, drill: EmergencyDrill, description: str) -> DrillAction:
    """An action decided in the drill's evaluation, raised at once as one HSE nonconformity."""
    require(actor, P.drills_manage)
    if not may_manage(actor, drill):
        raise NotFound(_("No such drill."))
    description = (description or "").strip()
    if not description:
        raise Invalid({"description": [_("This field is required.")]})
    if not (drill.evaluation or "").strip():
        raise Invalid({"description": [_("Record the evaluation before deciding the actions.")]})
    if not installed("hse"):
        raise Conflict(_("The HSE module is not installed."))
    from fieldsvc.hse.services import capa
    action = DrillAction(drill_id=drill.id, description=description, created_by=actor.id)
    db.session.add(action)
    db.session.flush()
    plan = drill.plan
    title = _("Drill %(day)s: %(text)s", day=drill.held_on.isoformat(), text=description)[:200]
    text = _("Emergency drill of %(day)s on the plan “%(plan)s” (%(scenario)s).\nEvaluation: %(evaluation)s\n"
             "Action: %(action)s", day=drill.held_on.isoformat(), plan=plan.title,
             scenario=label(plan.scenario, "emergency_scenario"), evaluation=drill.evaluation, action=description)
    nc = capa.raise_from_field(actor, "drill", ACTION_ENTITY, action.id, title, text)
    action.nonconformity_id = nc.id
    db.session.flush()
    audit.record(actor, "drill.action", ENTITY, drill.id, action_id=action.id, nonconformity_id=nc.id,
                 number=nc.number)
    return action

