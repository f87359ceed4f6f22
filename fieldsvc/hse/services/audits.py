"""内部审核和管理评审: the audit programme (planned audits by unit and clauses, then conducted with their
findings, each finding raised as one nonconformity through the CAPA service) and the annual management
review (inputs gathered from the records, decisions, the director's approval, the PDF for the file)."""
from datetime import date

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import or_, select

from fieldsvc import audit, clock, pdf
from fieldsvc.errors import Conflict, Duplicate, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.hse import rules_legal as rules
from fieldsvc.hse.labels import UNITS
from fieldsvc.hse.models import HseAudit, HseAuditFinding, LegalEvaluation, ManagementReview, ReviewDecision
from fieldsvc.hse.services import capa, programme
from fieldsvc.hse.services.common import active_user, paged
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require

AUDIT_ENTITY = "hse_audit"
REVIEW_ENTITY = "hse_review"
AUDIT_FIELDS = ("title", "unit", "scope_clauses", "auditor_id", "planned_on")
REVIEW_FIELDS = ("held_on", "participants", "input_notes", "conclusion")


# --- the audit programme ----------------------------------------------------------------------------

def list_audits(actor, year: int | None = None, q: str | None = None, page: int = 1, per_page: int = 50):
    require(actor, P.audits_view)
    stmt = select(HseAudit)
    if year:
        stmt = stmt.where(HseAudit.planned_on >= date(year, 1, 1), HseAudit.planned_on <= date(year, 12, 31))
    if q and q.strip():
        q = q.strip()[:100]
        stmt = stmt.where(or_(*(col.contains(q, autoescape=True)
                                for col in (HseAudit.title, HseAudit.scope_clauses, HseAudit.summary))))
    return paged(stmt, page, per_page, (HseAudit.planned_on, HseAudit.id))


def get_audit(actor, audit_id: int) -> HseAudit:
    require(actor, P.audits_view)
    item = db.session.get(HseAudit, audit_id)
    if item is None:
        raise NotFound(_("No such audit."))
    return item


def _apply_audit(item: HseAudit, data: dict) -> dict:
    changed = {}
    for key in AUDIT_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if value in (None, ""):
            raise Invalid({key: [_("This field is required.")]})
        if key == "unit" and value not in UNITS:
            raise Invalid({"unit": [_("Must be one of: %(values)s.", values=", ".join(UNITS))]})
        if key == "auditor_id":
            value = active_user(value, "auditor_id").id
        if getattr(item, key) != value:
            changed[key] = value
            setattr(item, key, value)
    return changed


def create_audit(actor, data: dict) -> HseAudit:
    """Plan an audit: title, unit, the clauses in scope, the auditor, the planned date."""
    require(actor, P.audits_manage)
    missing = {k: [_("This field is required.")] for k in AUDIT_FIELDS if data.get(k) in (None, "")}
    if missing:
        raise Invalid(missing)
    item = HseAudit(status="planned")
    _apply_audit(item, data)
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "hse_audit.create", AUDIT_ENTITY, item.id, unit=item.unit, planned_on=item.planned_on)
    return item


def update_audit(actor, item: HseAudit, data: dict, version: int | None = None) -> HseAudit:
    require(actor, P.audits_manage)
    if version is not None and version != item.version:
        raise Conflict()
    if item.status != "planned":
        raise Conflict(_("Only a planned audit can be changed."))
    changed = _apply_audit(item, data)
    if changed:
        db.session.flush()
        audit.record(actor, "hse_audit.update", AUDIT_ENTITY, item.id, **changed)
    return item


def conduct(actor, item: HseAudit, conducted_on: date | None, summary: str | None) -> HseAudit:
    """The audit was held: its date and summary; findings are added with add_finding."""
    require(actor, P.audits_manage)
    if item.status != "planned":
        raise Conflict(_("This audit is no longer planned."))
    if conducted_on is None:
        raise Invalid({"conducted_on": [_("This field is required.")]})
    if conducted_on > clock.today():
        raise Invalid({"conducted_on": [_("The date cannot be in the future.")]})
    if not (summary or "").strip():
        raise Invalid({"summary": [_("This field is required.")]})
    item.status, item.conducted_on, item.summary = "conducted", conducted_on, summary.strip()
    db.session.flush()
    audit.record(actor, "hse_audit.conduct", AUDIT_ENTITY, item.id, conducted_on=conducted_on)
    return item


def cancel(actor, item: HseAudit, reason: str) -> HseAudit:
    require(actor, P.audits_manage)
    if item.status != "planned":
        raise Conflict(_("This audit is no longer planned."))
    if not (reason or "").strip():
        raise Invalid({"reason": [_("Give a reason.")]})
    item.status, item.cancel_reason = "cancelled", reason.strip()[:2000]
    db.session.flush()
    audit.record(actor, "hse_audit.cancel", AUDIT_ENTITY, item.id, reason=item.cancel_reason)
    return item


def add_finding(actor, item: HseAudit, clause: str, description: str) -> HseAuditFinding:
    """A nonconformity found in a conducted audit: one nonconformity in the CAPA register, linked here."""
    require(actor, P.audits_manage)
    if item.status != "conducted":
        raise Conflict(_("Record findings once the audit is conducted."))
    errors = {}
    if not (clause or "").strip():
        errors["clause"] = [_("This field is required.")]
    if not (description or "").strip():
        errors["description"] = [_("This field is required.")]
    if errors:
        raise Invalid(errors)
    finding = HseAuditFinding(audit=item, clause=clause.strip()[:60], description=description.strip())
    db.session.add(finding)
    db.session.flush()
    nc = capa.raise_from_field(actor, "audit", "hse_audit_finding", finding.id,
                               _("Audit finding (%(clause)s): %(title)s", clause=finding.clause,
                                 title=item.title)[:200], finding.description, item.unit)
    finding.nonconformity_id = nc.id
    db.session.flush()
    audit.record(actor, "hse_audit.finding", AUDIT_ENTITY, item.id, finding_id=finding.id, nonconformity_id=nc.id)
    return finding


def export_rows(actor, year: int | None) -> tuple[list[str], list[list]]:
    from fieldsvc.labels import label
    items, _total = list_audits(actor, year, page=1, per_page=100000)
    header = [_("Audit"), _("Department"), _("Clauses"), _("Auditor"), _("Planned"), _("Status"), _("Conducted"),
              pgettext("audit", "Findings"), _("Nonconformities")]
    rows = [[a.title, label(a.unit, "hse_unit"), a.scope_clauses, a.auditor.name if a.auditor else "", a.planned_on,
             label(a.status, "hse_audit_state"), a.conducted_on, len(a.findings),
             ", ".join(f.nonconformity.number for f in a.findings if f.nonconformity)] for a in items]
    return header, rows


# --- the management review --------------------------------------------------------------------------

def list_reviews(actor) -> list[ManagementReview]:
    require(actor, P.audits_view)
    return list(db.session.execute(select(ManagementReview).order_by(ManagementReview.year.desc())).scalars())


def get_review(actor, review_id: int) -> ManagementReview:
    require(actor, P.audits_view)
    item = db.session.get(ManagementReview, review_id)
    if item is None:
        raise NotFound(_("No such management review."))
    return item


def create_review(actor, data: dict) -> ManagementReview:
    """The year's review (one a year): date held, participants; the inputs are gathered at once."""
    require(actor, P.audits_manage)
    year = data.get("year")
    errors = {k: [_("This field is required.")] for k in ("year", "held_on", "participants") if not data.get(k)}
    if errors:
        raise Invalid(errors)
    if db.session.execute(select(ManagementReview.id).where(ManagementReview.year == year)).first():
        raise Duplicate("year", _("The management review of %(year)d already exists.", year=year))
    item = ManagementReview(year=year, status="draft", prepared_by=actor.id, inputs={})
    for key in REVIEW_FIELDS:
        if data.get(key) is not None:
            setattr(item, key, data[key])
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "hse_review.create", REVIEW_ENTITY, item.id, year=year)
    gather_inputs(actor, item)
    return item


def _draft(item: ManagementReview) -> None:
    if item.status != "draft":
        raise Conflict(_("The approved review can no longer change."))


def update_review(actor, item: ManagementReview, data: dict, version: int | None = None) -> ManagementReview:
    require(actor, P.audits_manage)
    _draft(item)
    if version is not None and version != item.version:
        raise Conflict()
    changed = {}
    for key in REVIEW_FIELDS:
        if key in data:
            if key in ("held_on", "participants") and not data[key]:
                raise Invalid({key: [_("This field is required.")]})
            if getattr(item, key) != data[key]:
                changed[key] = data[key]
                setattr(item, key, data[key])
    if changed:
        db.session.flush()
        audit.record(actor, "hse_review.update", REVIEW_ENTITY, item.id, **changed)
    return item


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


KPI_KEYS = (("compliance", "rate"), ("emergency", "median_min"), ("inspections", "coverage"),
            ("inspections", "entry_rate"), ("hazards", "rate"), ("readings", "rate"), ("arrears", "rate"),
            ("satisfaction", "mean"), ("complaints", "received"), ("complaints", "on_time_rate"))


def _kpis(year: int, today: date) -> dict:
    # The review reads the department's figures as a whole (no district scope), through the same
    # queries as the KPI dashboard, so the numbers match it.
    from fieldsvc.reports import queries
    end = min(date(year, 12, 31), today)
    figures = queries.all_figures(date(year, 1, 1), end, None)
    out = {}
    for family, key in KPI_KEYS:
        value = (figures.get(family) or {}).get(key)
        out[f"{family}.{key}"] = value
    return {"from": date(year, 1, 1), "to": end, "figures": out}


def _incidents(actor, year: int) -> dict | None:
    if not can(actor, P.incidents_view):
        return None
    from fieldsvc.management.services import incidents
    rows, _total = incidents.list_incidents(actor, page=1, per_page=100000)
    zone = clock.zone()
    rows = [r for r in rows if r.occurred_at and r.occurred_at.astimezone(zone).year == year]
    by_kind: dict = {}
    for r in rows:
        by_kind[r.kind] = by_kind.get(r.kind, 0) + 1
    return {"total": len(rows), "by_kind": by_kind, "injured": sum(r.injured or 0 for r in rows),
            "deaths": sum(r.deaths or 0 for r in rows)}


def gather_inputs(actor, item: ManagementReview) -> ManagementReview:
    """Take a snapshot of the inputs: KPIs, HSE targets, incidents, audits, compliance evaluations, open
    nonconformities. Re-gathered on demand while the review is a draft; frozen once approved."""
    require(actor, P.audits_manage)
    _draft(item)
    year, today = item.year, clock.today()
    targets = []
    for o in programme.list_objectives(actor, year):
        pct, achieved = programme.progress(o)
        targets.append({"unit": o.unit, "objective": o.objective, "indicator": o.indicator,
                        "target": o.target_value, "actual": o.actual_value, "measure": o.measure,
                        "progress": pct, "achieved": achieved})
    audits_, _n = list_audits(actor, year, page=1, per_page=100000)
    evaluations = list(db.session.execute(select(LegalEvaluation).where(
        LegalEvaluation.evaluated_on >= date(year, 1, 1), LegalEvaluation.evaluated_on <= date(year, 12, 31)))
        .scalars())
    inputs = {
        "kpis": _kpis(year, today),
        "targets": targets,
        "incidents": _incidents(actor, year),
        "audits": {"planned": len(audits_), "conducted": sum(1 for a in audits_ if a.status == "conducted"),
                   "findings": sum(len(a.findings) for a in audits_)},
        "legal": {"evaluations": len(evaluations), "failed": sum(1 for e in evaluations if not e.compliant)},
        "nonconformities_open": capa.list_ncs(actor, open_only=True, per_page=1)[1],
    }
    item.inputs, item.inputs_at = _jsonable(inputs), utcnow()
    db.session.flush()
    audit.record(actor, "hse_review.inputs", REVIEW_ENTITY, item.id)
    return item


def add_decision(actor, item: ManagementReview, data: dict) -> ReviewDecision:
    """A decision: kind corrective (a nonconformity is raised when the director approves) or a plain
    action; each with its owner and due date."""
    require(actor, P.audits_manage)
    _draft(item)
    errors = {k: [_("This field is required.")] for k in ("kind", "description", "owner_id", "due_on")
              if data.get(k) in (None, "")}
    if errors:
        raise Invalid(errors)
    if data["kind"] not in rules.DECISION_KINDS:
        raise Invalid({"kind": [_("Must be one of: %(values)s.", values=", ".join(rules.DECISION_KINDS))]})
    owner = active_user(data["owner_id"], "owner_id")
    decision = ReviewDecision(review=item, kind=data["kind"], description=data["description"].strip(),
                              owner_id=owner.id, due_on=data["due_on"])
    db.session.add(decision)
    db.session.flush()
    audit.record(actor, "hse_review.decision", REVIEW_ENTITY, item.id, decision_id=decision.id, kind=decision.kind,
                 owner_id=owner.id, due_on=decision.due_on)
    return decision


def may_approve(actor, item: ManagementReview) -> bool:
    return item.status == "draft" and can(actor, P.review_approve)


def approve(actor, item: ManagementReview, version: int | None = None) -> ManagementReview:
    """The director approves the review; each corrective decision then raises its one nonconformity (with
    the decision's owner and due date as its corrective action)."""
    require(actor, P.review_approve)
    _draft(item)
    if version is not None and version != item.version:
        raise Conflict()
    if not (item.conclusion or "").strip():
        raise Invalid({"conclusion": [_("Write the conclusion before approving.")]})
    for decision in item.decisions:
        if decision.kind == "corrective" and decision.nonconformity_id is None:
            nc = capa.raise_from_field(actor, "audit", "hse_review_decision", decision.id,
                                       _("Management review %(year)d: %(text)s", year=item.year,
                                         text=decision.description)[:200], decision.description, "office")
            decision.nonconformity_id = nc.id
            if not nc.actions:
                capa.add_action(actor, nc, {"kind": "corrective", "description": decision.description,
                                            "owner_id": decision.owner_id, "deadline": decision.due_on})
    item.status, item.approved_by, item.approved_at = "approved", actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "hse_review.approve", REVIEW_ENTITY, item.id)
    return item


def review_pdf(actor, item: ManagementReview) -> bytes:
    """管理评审报告 for the file."""
    require(actor, P.audits_view)
    audits_, _n = list_audits(actor, item.year, page=1, per_page=100000)
    return pdf.render_pdf("pdf/management_review.html", review=item, audits=audits_, printed=clock.now(),
                          zone=clock.zone())
