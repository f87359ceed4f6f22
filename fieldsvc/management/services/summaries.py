"""The year-end summary of an approved plan: generated from the same figures as the plan's progress,
one editable text per section (prefilled from those figures), printed as a PDF, approved by the director.
The figures are taken when the summary is generated (again on request while it is a draft) and frozen
once it is approved, so the printed summary does not drift as records change later."""
from decimal import Decimal

from flask_babel import gettext as _

from fieldsvc import audit, clock, pdf
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.management import rules
from fieldsvc.management.models import AnnualPlan, AnnualSummary
from fieldsvc.management.services import plans
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require
from fieldsvc.statemachine import Step, permitted

ENTITY = plans.ENTITY
OVERALL = "overall"
MAX_TEXT = 20000


def sections(plan: AnnualPlan) -> list[str]:
    return [*rules.PLAN_SECTIONS[plan.kind], OVERALL]


def _num(value) -> str | None:
    """A figure as text without trailing zeros (95.00 → "95", 22.50 → "22.5")."""
    if value is None:
        return None
    if isinstance(value, int):
        return str(value)
    return format(Decimal(value).normalize(), "f")


def figures(plan: AnnualPlan) -> dict:
    """The plan's progress as plain JSON (the snapshot a summary keeps)."""
    rows = plans.progress(plan)
    items = [{"seq": r.item.seq, "section": r.item.section, "description": r.item.description,
              "owner": r.item.owner.name if r.item.owner else None,
              "due_on": r.item.due_on.isoformat() if r.item.due_on else None, "metric": r.item.metric,
              "target": _num(r.item.target), "actual": _num(r.actual), "progress": _num(r.progress),
              "state": r.state, "done_on": r.item.done_on.isoformat() if r.item.done_on else None,
              "note": r.item.progress_note} for r in rows]
    counts = {"total": len(items), **{s: sum(1 for i in items if i["state"] == s)
                                      for s in ("done", "overdue", "on_track", "not_started")}}
    return {"year": plan.year, "as_of": clock.today().isoformat(), "items": items, "counts": counts}


def _item_line(i: dict) -> str:
    if i["metric"] and i["actual"] is not None:
        measured = label(i["metric"], "plan_metric")
        if i["target"] is not None:
            line = _("%(what)s: %(metric)s %(actual)s against a target of %(target)s.", what=i["description"],
                     metric=measured, actual=i["actual"], target=i["target"])
        else:
            line = _("%(what)s: %(metric)s %(actual)s.", what=i["description"], metric=measured, actual=i["actual"])
    elif i["progress"] is not None:
        line = _("%(what)s: %(pct)s %% done.", what=i["description"], pct=i["progress"])
    else:
        line = _("%(what)s: no progress reported.", what=i["description"])
    state = label(i["state"], "item_state")
    note = f" {i['note']}" if i.get("note") else ""
    return f"- {line} ({state}){note}"


def prefill(plan: AnnualPlan, snapshot: dict) -> dict[str, str]:
    """A first text for each section from the figures, for the author to edit."""
    texts = {}
    for section in rules.PLAN_SECTIONS[plan.kind]:
        items = [i for i in snapshot["items"] if i["section"] == section]
        if not items:
            texts[section] = _("Nothing was planned in this section.")
            continue
        done = sum(1 for i in items if i["state"] == "done")
        head = _("%(done)d of %(total)d planned items done.", done=done, total=len(items))
        texts[section] = "\n".join([head, *(_item_line(i) for i in items)])
    c = snapshot["counts"]
    texts[OVERALL] = _("In %(year)d, %(done)d of %(total)d items of the plan were done; items overdue: %(overdue)d.",
                       year=plan.year, done=c["done"], total=c["total"], overdue=c["overdue"])
    return texts


def get_summary(actor, plan: AnnualPlan) -> AnnualSummary:
    require(actor, P.plans_view)
    if plan.summary is None:
        raise NotFound(_("No summary yet."))
    return plan.summary


def generate(actor, plan: AnnualPlan, refill: bool = False) -> AnnualSummary:
    """Create the summary of an approved plan, or take the figures again for a draft summary (the texts
    are kept unless refill asks to start them over from the figures)."""
    plans.require_edit(actor, plan)
    if plan.status != rules.PlanStatus.approved:
        raise Conflict(_("The summary is written once the director has approved the plan."))
    summary = plan.summary
    if summary is not None and summary.status != rules.PlanStatus.draft:
        raise Conflict(_("The summary is %(state)s: it no longer changes.", state=label(summary.status, "annual_plan_status")))
    snapshot = figures(plan)
    if summary is None:
        summary = AnnualSummary(plan_id=plan.id, status=rules.PlanStatus.draft, figures=snapshot,
                                texts=prefill(plan, snapshot), generated_at=utcnow())
        db.session.add(summary)
        action = "plan.summary_generate"
    else:
        summary.figures, summary.generated_at = snapshot, utcnow()
        if refill:
            summary.texts = prefill(plan, snapshot)
        action = "plan.summary_refresh"
    db.session.flush()
    db.session.refresh(plan, ["summary"])
    audit.record(actor, action, ENTITY, plan.id, summary_id=summary.id, counts=snapshot["counts"], refill=refill)
    return summary


def update_texts(actor, summary: AnnualSummary, texts: dict, lock: int | None = None) -> AnnualSummary:
    """The author's words, section by section (only the plan's sections; each at most 20,000 characters)."""
    plans.require_edit(actor, summary.plan)
    if summary.status != rules.PlanStatus.draft:
        raise Conflict(_("The summary is %(state)s: it no longer changes.", state=label(summary.status, "annual_plan_status")))
    if lock is not None and lock != summary.version:
        raise Conflict()
    allowed = sections(summary.plan)
    errors = {f"text_{k}": [_("At most %(max)d characters.", max=MAX_TEXT)]
              for k, v in texts.items() if k in allowed and len(v or "") > MAX_TEXT}
    if errors:
        raise Invalid(errors)
    new = {k: (texts.get(k) if k in texts else summary.texts.get(k)) or "" for k in allowed}
    changed = sorted(k for k in allowed if new[k] != summary.texts.get(k, ""))
    if changed:
        summary.texts = new
        db.session.flush()
        audit.record(actor, "plan.summary_edit", ENTITY, summary.plan_id, sections=changed)
    return summary


def transition(actor, summary: AnnualSummary, to: str, reason: str | None = None,
               lock: int | None = None) -> AnnualSummary:
    """The same table as the plan's (rules.PLAN_MACHINE): the author submits, the director approves or returns."""
    move = rules.plan_move(summary.status, to)
    if move is None:
        raise Conflict(_("A summary that is %(a)s cannot become %(b)s.", a=label(summary.status, "annual_plan_status"),
                         b=label(to, "annual_plan_status")))
    plans.authorise_move(actor, summary.plan, move)
    if lock is not None and lock != summary.version:
        raise Conflict()
    blockers = rules.plan_blockers(summary.status, to, 1, reason)
    if blockers:
        raise Invalid({"reason": [_("Give a reason.")]})
    before = summary.status
    summary.status = to
    if move.action == "approve":
        summary.approved_by, summary.approved_at = actor.id, utcnow()
    summary.returned_reason = reason.strip() if move.action == "return" else None
    db.session.flush()
    audit.record(actor, f"plan.summary_{move.action}", ENTITY, summary.plan_id, **{"from": before, "to": to},
                 reason=reason)
    return summary


def available_moves(actor, summary: AnnualSummary) -> list[Step]:
    """What the summary's page offers this actor: exactly the moves transition() would let them make."""
    return rules.PLAN_MACHINE.allowed(summary.status,
                                      permitted(lambda move: plans.authorise_move(actor, summary.plan, move)))


def summary_pdf(actor, summary: AnnualSummary) -> bytes:
    require(actor, P.plans_view)
    plan = summary.plan
    return pdf.render_pdf("management/pdf/summary.html", plan=plan, summary=summary, sections=sections(plan),
                          overall=OVERALL, printed=clock.now())
