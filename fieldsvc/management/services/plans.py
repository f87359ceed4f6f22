"""Annual plans: the safety officer's safety work plan and the metering head's technical, quality,
metering and equipment plan. Items have owners, dates, and progress read from the records where a
metric exists (services.metrics), else reported by hand. The director approves (rules.PLAN_TRANSITIONS).
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldsvc import audit, clock
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotFound
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.management import rules
from fieldsvc.management.models import AnnualPlan, PlanItem
from fieldsvc.management.services import metrics
from fieldsvc.management.services.common import active_user, required
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require
from fieldsvc.statemachine import Move, Step, permitted

ENTITY = "mgmt_plan"
ITEM_FIELDS = ("section", "description", "owner_id", "due_on", "metric", "target")


def list_plans(actor, year: int | None = None) -> list[AnnualPlan]:
    require(actor, P.plans_view)
    stmt = select(AnnualPlan)
    if year:
        stmt = stmt.where(AnnualPlan.year == year)
    return list(db.session.execute(stmt.order_by(AnnualPlan.year.desc(), AnnualPlan.kind)).scalars())


def get_plan(actor, plan_id: int) -> AnnualPlan:
    require(actor, P.plans_view)
    plan = db.session.get(AnnualPlan, plan_id)
    if plan is None:
        raise NotFound(_("No such plan."))
    return plan


def may_author(actor, kind: str) -> bool:
    """The safety officer writes the safety plan, the metering head the technical plan; the director either."""
    return can(actor, P.plans_manage) and (actor.role == rules.PLAN_AUTHOR_ROLES.get(kind)
                                           or can(actor, P.plans_approve))


def may_edit(actor, plan: AnnualPlan) -> bool:
    return may_author(actor, plan.kind) and (plan.author_id == actor.id or can(actor, P.plans_approve))


def require_edit(actor, plan: AnnualPlan) -> None:
    """Another author's plan is an object rule: 404, like a record one may not open."""
    require(actor, P.plans_manage)
    if not may_edit(actor, plan):
        raise NotFound(_("Only the plan's author or the director can change it."))


def _draft(plan: AnnualPlan) -> None:
    if plan.status != rules.PlanStatus.draft:
        raise Conflict(_("The plan is %(state)s: its items no longer change (progress still can).",
                         state=label(plan.status, "annual_plan_status")))


def create_plan(actor, data: dict) -> AnnualPlan:
    """data: year, kind (safety | technical), title. One plan of each kind a year."""
    require(actor, P.plans_manage)
    required(data, "year", "kind")
    if data["kind"] not in rules.PLAN_KINDS:
        raise Invalid({"kind": [_("Must be one of: %(values)s.", values=", ".join(rules.PLAN_KINDS))]})
    if not may_author(actor, data["kind"]):
        raise NotAllowed(_("This plan is written by someone else."))
    if db.session.execute(select(AnnualPlan.id).where(AnnualPlan.year == data["year"],
                                                      AnnualPlan.kind == data["kind"])).first():
        raise Invalid({"year": [_("There is already a plan of this kind for %(year)d.", year=data["year"])]})
    title = data.get("title") or f"{data['year']} {label(data['kind'], 'plan_kind')}"
    plan = AnnualPlan(year=data["year"], kind=data["kind"], title=title[:200], author_id=actor.id,
                      status=rules.PlanStatus.draft)
    db.session.add(plan)
    db.session.flush()
    audit.record(actor, "plan.create", ENTITY, plan.id, year=plan.year, kind=plan.kind)
    return plan


def _check_item(plan: AnnualPlan, data: dict) -> dict:
    if data.get("section") not in rules.PLAN_SECTIONS[plan.kind]:
        raise Invalid({"section": [_("Choose a section of this plan.")]})
    if data.get("metric") and data["metric"] not in metrics.PROVIDERS:
        raise Invalid({"metric": [_("Choose a figure from the list.")]})
    if data.get("metric") and data["metric"] not in metrics.REPORTED_ONLY and not data.get("target"):
        raise Invalid({"target": [_("A measured item needs a target.")]})
    if data.get("owner_id"):
        active_user(data["owner_id"], "owner_id")
    if data.get("due_on") and data["due_on"].year != plan.year:
        raise Invalid({"due_on": [_("The date must fall in %(year)d.", year=plan.year)]})
    return {k: data.get(k) for k in ITEM_FIELDS}


def add_item(actor, plan: AnnualPlan, data: dict) -> PlanItem:
    require_edit(actor, plan)
    _draft(plan)
    required(data, "section", "description")
    values = _check_item(plan, data)
    seq = db.session.execute(select(func.coalesce(func.max(PlanItem.seq), 0)).where(
        PlanItem.plan_id == plan.id)).scalar_one() + 1
    item = PlanItem(plan_id=plan.id, seq=seq, **values)
    db.session.add(item)
    db.session.flush()
    db.session.refresh(plan, ["items"])
    audit.record(actor, "plan.item_add", ENTITY, plan.id, item_id=item.id, **{k: values[k] for k in ITEM_FIELDS})
    return item


def get_item(actor, item_id: int) -> PlanItem:
    require(actor, P.plans_view)
    item = db.session.get(PlanItem, item_id)
    if item is None:
        raise NotFound()
    return item


def remove_item(actor, item: PlanItem) -> None:
    """A draft's line can be taken out (the plan is not approved yet: nothing is lost)."""
    plan = item.plan
    require_edit(actor, plan)
    _draft(plan)
    audit.record(actor, "plan.item_remove", ENTITY, plan.id, item_id=item.id, description=item.description)
    db.session.delete(item)
    db.session.flush()
    db.session.refresh(plan, ["items"])


def require_progress(actor, item: PlanItem) -> None:
    """An item's progress is reported by its owner or the plan's author (or the director); 404 for others."""
    require(actor, P.plans_view)
    if item.owner_id != actor.id and not may_edit(actor, item.plan):
        raise NotFound(_("Only the item's owner or the plan's author reports its progress."))


def report_progress(actor, item: PlanItem, data: dict) -> PlanItem:
    """The owner (or the author) reports progress: % for an item without a figure, a note, the day done."""
    require_progress(actor, item)
    if item.plan.status != rules.PlanStatus.approved:
        raise Conflict(_("Progress is reported once the director has approved the plan."))
    pct = data.get("progress_pct")
    if pct is not None and not (Decimal(0) <= pct <= Decimal(100)):
        raise Invalid({"progress_pct": [_("Must be between 0 and 100.")]})
    if data.get("done_on") and data["done_on"] > clock.today():
        raise Invalid({"done_on": [_("The date cannot be in the future.")]})
    changes = {}
    for key in ("progress_pct", "progress_note", "done_on"):
        if key in data and data[key] != getattr(item, key):
            changes[key] = [getattr(item, key), data[key]]
            setattr(item, key, data[key])
    if changes:
        db.session.flush()
        audit.record(actor, "plan.progress", ENTITY, item.plan_id, item_id=item.id, changes=changes)
    return item


def authorise_move(actor, plan: AnnualPlan, move: Move) -> None:
    """Refuse unless this actor may make this move: the director's need plans_approve, the author's the
    plan's author (or the director). A plan's summary moves by the same rule."""
    if move.by == rules.By.director:
        require(actor, P.plans_approve)
    else:
        require_edit(actor, plan)


def available_moves(actor, plan: AnnualPlan) -> list[Step]:
    """What the plan's page offers this actor: exactly the moves transition() would let them make."""
    return rules.PLAN_MACHINE.allowed(plan.status, permitted(lambda move: authorise_move(actor, plan, move)))


def transition(actor, plan: AnnualPlan, to: str, reason: str | None = None, lock: int | None = None) -> AnnualPlan:
    move = rules.plan_move(plan.status, to)
    if move is None:
        raise Conflict(_("A plan that is %(a)s cannot become %(b)s.", a=label(plan.status, "annual_plan_status"),
                         b=label(to, "annual_plan_status")))
    authorise_move(actor, plan, move)
    if lock is not None and lock != plan.version:
        raise Conflict()
    blockers = rules.plan_blockers(plan.status, to, len(plan.items), reason)
    if blockers:
        messages = {"reason": ("reason", _("Give a reason.")), "items": ("_schema", _("Add at least one item."))}
        raise Invalid({messages[c][0]: [messages[c][1]] for c in blockers})
    before = plan.status
    plan.status = to
    if move.action == "approve":
        plan.approved_by, plan.approved_at = actor.id, utcnow()
    plan.returned_reason = reason.strip() if move.action == "return" else None
    db.session.flush()
    audit.record(actor, f"plan.{move.action}", ENTITY, plan.id, **{"from": before, "to": to}, reason=reason)
    return plan


@dataclass(frozen=True)
class ItemProgress:
    item: PlanItem
    actual: object  # the measured figure, or None
    progress: Decimal | None
    state: str


def progress(plan: AnnualPlan, today: date | None = None) -> list[ItemProgress]:
    """Every item with its figure (each metric read once), progress % and state, in plan order."""
    today = today or clock.today()
    figures = {m: metrics.value(m, plan.year, today) for m in {i.metric for i in plan.items if i.metric}}
    rows = []
    for item in plan.items:
        actual = figures.get(item.metric) if item.metric else None
        target = None if item.metric in metrics.REPORTED_ONLY else item.target
        pct = rules.item_progress(actual, target, item.progress_pct)
        rows.append(ItemProgress(item, actual, pct, rules.item_state(pct, item.due_on, item.done_on, today)))
    return rows


def my_items(actor) -> list[ItemProgress]:
    """The actor's items on approved plans not done yet (their own progress to report)."""
    require(actor, P.plans_view)
    stmt = (select(AnnualPlan).join(PlanItem).where(PlanItem.owner_id == actor.id,
                                                    AnnualPlan.status == rules.PlanStatus.approved).distinct())
    rows = []
    for plan in db.session.execute(stmt).scalars():
        rows += [p for p in progress(plan) if p.item.owner_id == actor.id and p.state != "done"]
    return rows
