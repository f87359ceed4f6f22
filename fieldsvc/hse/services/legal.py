"""法律法规和其他要求: the register (safety officer keeps it, unit heads read it) and the periodic
compliance evaluation with its evidence. A failed evaluation opens exactly one nonconformity through the
CAPA service (capa.raise_from_field: a retried evaluation of the same line finds the open one)."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from fieldsvc import audit, clock, home, uploads
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.hse import rules_legal as rules
from fieldsvc.hse.models import LegalEvaluation, LegalRequirement
from fieldsvc.hse.services import capa
from fieldsvc.hse.services.common import paged
from fieldsvc.permissions import P, can, require

ENTITY = "hse_legal"
EVALUATION_ENTITY = "hse_legal_evaluation"
FIELDS = ("title", "kind", "issuer", "clause", "applies_to", "next_review_on")


def list_requirements(actor, q: str | None = None, due: bool = False, page: int = 1, per_page: int = 50,
                      today: date | None = None, status: str = "active"):
    """Active lines, the next evaluation first; q searches title, issuer, clause and what it applies to."""
    require(actor, P.legal_view)
    stmt = select(LegalRequirement).where(LegalRequirement.status == status)
    if q:
        q = q.strip()[:100]  # autoescape: a "%" typed is looked for as such
        stmt = stmt.where(or_(*(col.contains(q, autoescape=True) for col in (
            LegalRequirement.title, LegalRequirement.issuer, LegalRequirement.clause, LegalRequirement.applies_to))))
    if due:
        limit = (today or clock.today()).toordinal() + rules.DUE_SOON_DAYS
        stmt = stmt.where(LegalRequirement.next_review_on <= date.fromordinal(limit))
    return paged(stmt, page, per_page, (LegalRequirement.next_review_on, LegalRequirement.id))


def get(actor, requirement_id: int) -> LegalRequirement:
    require(actor, P.legal_view)
    item = db.session.get(LegalRequirement, requirement_id)
    if item is None:
        raise NotFound(_("No such requirement."))
    return item


def _apply(item: LegalRequirement, data: dict) -> dict:
    changed = {}
    for key in FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key in ("title", "issuer", "applies_to") and not (value or "").strip():
            raise Invalid({key: [_("This field is required.")]})
        if key == "kind" and value is None:
            value = "law"
        if getattr(item, key) != value:
            changed[key] = value
            setattr(item, key, value)
    return changed


def create(actor, data: dict, example: bool = False) -> LegalRequirement:
    """A line of the register: title, issuer, clause, what it applies to, the next evaluation date."""
    require(actor, P.legal_manage)
    if not data.get("next_review_on"):
        raise Invalid({"next_review_on": [_("This field is required.")]})
    item = LegalRequirement(example=example, status="active", kind="law")
    _apply(item, data)
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "hse_legal.create", ENTITY, item.id, title=item.title, example=example)
    return item


def update(actor, item: LegalRequirement, data: dict, version: int | None = None) -> LegalRequirement:
    require(actor, P.legal_manage)
    if version is not None and version != item.version:
        raise Conflict()
    if item.status != "active":
        raise Conflict(_("This line is retired: it can no longer change."))
    if "next_review_on" in data and not data["next_review_on"]:
        raise Invalid({"next_review_on": [_("This field is required.")]})
    changed = _apply(item, data)
    if changed:
        db.session.flush()
        audit.record(actor, "hse_legal.update", ENTITY, item.id, **changed)
    return item


def retire(actor, item: LegalRequirement, reason: str) -> LegalRequirement:
    """Repealed or no longer applicable: out of the active register, never deleted."""
    require(actor, P.legal_manage)
    if item.status != "active":
        raise Conflict(_("This line is already retired."))
    if not (reason or "").strip():
        raise Invalid({"reason": [_("Give a reason.")]})
    item.status = "retired"
    db.session.flush()
    audit.record(actor, "hse_legal.retire", ENTITY, item.id, reason=reason.strip()[:2000])
    return item


def evaluate(actor, item: LegalRequirement, data: dict, photo: bytes | None = None) -> LegalEvaluation:
    """Record a compliance evaluation (compliant, note, optional photo of the evidence). Not compliant →
    one nonconformity (origin "audit"), linked both ways; the next evaluation date moves on."""
    require(actor, P.legal_manage)
    if item.status != "active":
        raise Conflict(_("This line is retired: it can no longer change."))
    if data.get("compliant") is None:
        raise Invalid({"compliant": [_("This field is required.")]})
    note = (data.get("note") or "").strip()
    if not note:
        raise Invalid({"note": [_("Say what was checked and what was found.")]})
    today = clock.today()
    on = data.get("evaluated_on") or today
    if on > today:
        raise Invalid({"evaluated_on": [_("The date cannot be in the future.")]})
    upload = uploads.save_image(actor, photo, "photo", field="photo") if photo else None
    evaluation = LegalEvaluation(requirement=item, evaluated_on=on, compliant=bool(data["compliant"]), note=note,
                                 evaluator_id=actor.id, upload_id=upload.id if upload else None)
    db.session.add(evaluation)
    db.session.flush()
    if upload is not None:
        uploads.attach([upload], EVALUATION_ENTITY, evaluation.id)
    if not evaluation.compliant:
        nc = capa.raise_from_field(
            actor, "audit", ENTITY, item.id,
            _("Not compliant: %(title)s", title=item.title)[:200],
            _("Compliance evaluation of %(title)s (%(clause)s): %(note)s", title=item.title,
              clause=item.clause or item.issuer, note=note), "office")
        evaluation.nonconformity_id = nc.id
    item.last_evaluated_on, item.last_compliant = on, evaluation.compliant
    item.next_review_on = rules.next_evaluation(on, evaluation.compliant)
    db.session.flush()
    audit.record(actor, "hse_legal.evaluate", ENTITY, item.id, evaluation_id=evaluation.id,
                 compliant=evaluation.compliant, nonconformity_id=evaluation.nonconformity_id)
    return evaluation


def get_evaluation(actor, evaluation_id: int) -> LegalEvaluation:
    require(actor, P.legal_view)
    evaluation = db.session.get(LegalEvaluation, evaluation_id)
    if evaluation is None:
        raise NotFound()
    return evaluation


def evidence_visible(actor, evaluation_id: int) -> bool:
    """Uploads of an evaluation: whoever may read the register."""
    return can(actor, P.legal_view) and db.session.get(LegalEvaluation, evaluation_id) is not None


def due_in_year(actor, year: int) -> list[LegalRequirement]:
    """Active lines whose evaluation falls due in the year (or is overdue before it): the annual plan."""
    require(actor, P.legal_view)
    stmt = (select(LegalRequirement).where(LegalRequirement.status == "active",
                                           LegalRequirement.next_review_on <= date(year, 12, 31))
            .order_by(LegalRequirement.next_review_on, LegalRequirement.id))
    return list(db.session.execute(stmt).scalars())


def due_queries(actor, today: date) -> dict:
    """Figures for a home card, asked with every card's: evaluations overdue and due within the month, lines
    not compliant."""
    require(actor, P.legal_view)
    soon = date.fromordinal(today.toordinal() + rules.DUE_SOON_DAYS)
    base = select(func.count(LegalRequirement.id)).where(LegalRequirement.status == "active")
    return {"overdue": base.where(LegalRequirement.next_review_on < today),
            "due": base.where(LegalRequirement.next_review_on >= today, LegalRequirement.next_review_on <= soon),
            "failing": base.where(LegalRequirement.last_compliant.is_(False))}


def due_counts(actor, today: date) -> dict:
    return home.figures_of(due_queries(actor, today))


def export_rows(actor, today: date) -> tuple[list[str], list[list]]:
    require(actor, P.legal_view)
    from fieldsvc.labels import label
    items, _total = list_requirements(actor, page=1, per_page=100000, today=today)
    header = [_("Title"), _("Kind"), _("Issuer"), _("Clauses"), _("Applies to"), _("Next evaluation"),
              _("Last evaluated"), _("Result"), _("Example")]
    rows = [[i.title, label(i.kind, "hse_legal_kind"), i.issuer, i.clause or "", i.applies_to, i.next_review_on,
             i.last_evaluated_on, "" if i.last_compliant is None else (_("Compliant") if i.last_compliant
                                                                       else _("Not compliant")),
             _("Yes") if i.example else ""] for i in items]
    return header, rows
