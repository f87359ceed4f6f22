"""The hazard and environmental aspect registers: create, change, retire, list, review reminders.

D, grade, colour and significance are always computed here with rules.assess / rules.aspect_score
(never taken from the caller), so a page, the API, an import and the demo can only store what the
rules say.
"""
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import or_, select

from fieldsvc import audit
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.hse import rules
from fieldsvc.hse.models import HseAspect, HseHazard
from fieldsvc.hse.services import units
from fieldsvc.hse.services.common import active_user, default_unit, factor_invalid, paged
from fieldsvc.permissions import P, require

CONTROL_FIELDS = tuple(f"control_{k}" for k in rules.CONTROL_KINDS)
HAZARD_FIELDS = ("unit", "activity", "description", "category", "accident_type", "state", *CONTROL_FIELDS,
                 "owner_id", "review_on")
ASPECT_FIELDS = ("unit", "activity", "aspect", "impact", "kind", "state", "controls", "owner_id", "review_on")
SCORES = ("a", "b", "c", "d", "e", "f", "g")
REVIEW_WARN_DAYS = 30


def _changed(record, field: str, value, changes: dict) -> None:
    old = getattr(record, field)
    if old != value:
        changes[field] = [old, value]
        setattr(record, field, value)


# --- hazards --------------------------------------------------------------------------------------

def _assess(data: dict, record: HseHazard) -> tuple[rules.Assessment, tuple, dict]:
    """The assessment of the factors in data (falling back to the record's), errors naming the field."""
    try:
        criteria = rules.check_criteria(data.get("direct_criteria", record.criteria or ()))
    except ValueError as exc:
        raise Invalid({"direct_criteria": [_("Unknown criterion.")]}) from exc
    try:
        factors = {k: rules.factor(k, data.get(k, getattr(record, k))) for k in ("l", "e", "c")}
    except rules.FactorError as exc:
        raise factor_invalid(exc) from exc
    return rules.assess(factors["l"], factors["e"], factors["c"], criteria), criteria, factors


def _residual(data: dict, d: Decimal) -> tuple:
    """(l, e, c, D, grade) after controls, or all None. All three or none; never above the initial D."""
    given = {k: data.get(f"residual_{k}") for k in ("l", "e", "c")}
    if not any(v is not None for v in given.values()):
        return None, None, None, None, None
    missing = [k for k, v in given.items() if v is None]
    if missing:
        raise Invalid({f"residual_{k}": [_("Give all three residual factors, or none.")] for k in missing})
    try:
        values = {k: rules.factor(k, v) for k, v in given.items()}
    except rules.FactorError as exc:
        raise factor_invalid(exc, f"residual_{exc.field}") from exc
    residual_d = values["l"] * values["e"] * values["c"]
    if residual_d > d:
        raise Invalid({"residual_l": [_("The residual risk cannot be higher than the risk before controls.")]})
    return values["l"], values["e"], values["c"], residual_d, rules.grade_of(residual_d)[0]


def _apply_hazard(actor, hazard: HseHazard, data: dict) -> dict:
    changes: dict = {}
    result, criteria, factors = _assess(data, hazard)
    if data.get("owner_id") is not None:
        active_user(data["owner_id"], "owner_id")
    for field in HAZARD_FIELDS:
        if field in data:
            _changed(hazard, field, data[field], changes)
    for field, value in (*factors.items(), ("d", result.d), ("grade", result.grade), ("colour", result.colour),
                         ("significant", result.significant), ("criteria", list(criteria))):
        _changed(hazard, field, value, changes)
    if any(k in data for k in ("residual_l", "residual_e", "residual_c")) or hazard.id is None:
        residual = _residual(data, result.d)
    else:  # the residual factors stay, but must not exceed a lowered initial risk
        residual = _residual({"residual_l": hazard.residual_l, "residual_e": hazard.residual_e,
                              "residual_c": hazard.residual_c}, result.d)
    for field, value in zip(("residual_l", "residual_e", "residual_c", "residual_d", "residual_grade"),
                            residual, strict=True):
        _changed(hazard, field, value, changes)
    return changes


def create_hazard(actor, data: dict) -> HseHazard:
    """data: activity, description, accident_type, l, e, c; optional unit (default: the actor's
    department), category, state, direct_criteria, the five controls, owner_id, review_on,
    residual_l/e/c, observation_id (an observation this line registers)."""
    where = units.stamp(actor, data)  # the safety office, or a unit head for their own unit
    hazard = HseHazard(unit=where["unit"] or default_unit(actor), district_id=where["district_id"],
                       state=data.get("state") or "normal", criteria=[], status="active", created_by=actor.id)
    _apply_hazard(actor, hazard, {**data, "unit": data.get("unit") or hazard.unit, "state": hazard.state})
    db.session.add(hazard)
    db.session.flush()
    audit.record(actor, "hse_hazard.create", "hse_hazard", hazard.id, d=hazard.d, grade=hazard.grade,
                 significant=hazard.significant)
    if data.get("observation_id"):
        from fieldsvc.hse.services.observations import mark_registered
        mark_registered(actor, data["observation_id"], hazard=hazard)
    return hazard


def update_hazard(actor, hazard: HseHazard, data: dict, version: int | None = None) -> HseHazard:
    units.check(actor, hazard, data, _("No such hazard source."))
    if version is not None and version != hazard.version:
        raise Conflict()
    changes = _apply_hazard(actor, hazard, data)
    if changes:
        db.session.flush()
        audit.record(actor, "hse_hazard.update", "hse_hazard", hazard.id, changes=changes)
    return hazard


def retire(actor, record: HseHazard | HseAspect, reason: str) -> None:
    """Take a hazard or aspect out of the active register (the activity stopped); kept for the record."""
    units.check(actor, record)
    entity = "hse_hazard" if isinstance(record, HseHazard) else "hse_aspect"
    if record.status != "active":
        raise Conflict(_("This line is already retired."))
    if not (reason or "").strip():
        raise Invalid({"reason": [_("Give a reason.")]})
    record.status = "retired"
    db.session.flush()
    audit.record(actor, f"{entity}.retire", entity, record.id, reason=reason.strip())


def get_hazard(actor, hazard_id: int) -> HseHazard:
    require(actor, P.hse_view)
    hazard = db.session.get(HseHazard, hazard_id)
    if hazard is None:
        raise NotFound(_("No such hazard source."))
    return hazard


def hazard_query(filters: dict, today: date | None = None):
    """Filters come from query strings: values that mean nothing are ignored, never an error."""
    stmt = select(HseHazard).where(HseHazard.status == (filters.get("status") or "active"))
    if str(filters.get("grade") or "") in ("1", "2", "3", "4", "5"):
        stmt = stmt.where(HseHazard.grade == int(filters["grade"]))
    if filters.get("significant"):
        stmt = stmt.where(HseHazard.significant.is_(True))
    if filters.get("unit"):
        stmt = stmt.where(HseHazard.unit == filters["unit"])
    try:
        cell = rules.factor("l", filters["l"]), rules.factor("c", filters["c"])
    except (KeyError, rules.FactorError):
        cell = None
    if cell:
        stmt = stmt.where(HseHazard.l == cell[0], HseHazard.c == cell[1])
    if filters.get("review") and today is not None:
        stmt = stmt.where(HseHazard.review_on <= rules_warn(today))
    if filters.get("q"):
        q = filters["q"]  # autoescape: a "%" or "_" typed is looked for as such, not as a wildcard
        stmt = stmt.where(or_(HseHazard.activity.contains(q, autoescape=True),
                              HseHazard.description.contains(q, autoescape=True)))
    return stmt


def rules_warn(today: date) -> date:
    """The last review date that already needs a reminder today."""
    return today + timedelta(days=REVIEW_WARN_DAYS)


def list_hazards(actor, filters: dict | None = None, page: int = 1, per_page: int = 50,
                 today: date | None = None) -> tuple[list[HseHazard], int]:
    """Active register lines, worst first. filters: grade, significant, unit, l+c, review, q, status."""
    require(actor, P.hse_view)
    return paged(hazard_query(filters or {}, today), page, per_page,
                 (HseHazard.d.desc(), HseHazard.unit, HseHazard.id))


# --- aspects --------------------------------------------------------------------------------------

def _score(data: dict, aspect: HseAspect) -> tuple[int, bool, dict]:
    kind = data.get("kind", aspect.kind)
    if kind not in rules.ASPECT_KINDS:
        raise Invalid({"kind": [_("Must be one of: %(values)s.", values=", ".join(rules.ASPECT_KINDS))]})
    scale = rules.ASPECT_SCALES[kind]
    scores = {k: data.get(k, getattr(aspect, k)) for k in scale}
    try:
        total, significant = rules.aspect_score(kind, scores)
    except rules.FactorError as exc:
        raise factor_invalid(exc) from exc
    # Scores of the other kind are cleared: a line is scored one way only.
    values = {k: (int(scores[k]) if k in scale else None) for k in SCORES}
    return total, significant, values


def _apply_aspect(aspect: HseAspect, data: dict) -> dict:
    changes: dict = {}
    total, significant, scores = _score(data, aspect)
    if data.get("owner_id") is not None:
        active_user(data["owner_id"], "owner_id")
    for field in ASPECT_FIELDS:
        if field in data:
            _changed(aspect, field, data[field], changes)
    for field, value in (*scores.items(), ("total", total), ("significant", significant)):
        _changed(aspect, field, value, changes)
    return changes


def create_aspect(actor, data: dict) -> HseAspect:
    """data: activity, aspect, impact, kind (pollution|resource) and its scores (a–e or f, g)."""
    where = units.stamp(actor, data)
    aspect = HseAspect(unit=where["unit"] or default_unit(actor), district_id=where["district_id"],
                       state=data.get("state") or "normal", status="active", created_by=actor.id)
    _apply_aspect(aspect, {**data, "unit": aspect.unit, "state": aspect.state})
    db.session.add(aspect)
    db.session.flush()
    audit.record(actor, "hse_aspect.create", "hse_aspect", aspect.id, total=aspect.total,
                 significant=aspect.significant)
    if data.get("observation_id"):
        from fieldsvc.hse.services.observations import mark_registered
        mark_registered(actor, data["observation_id"], aspect=aspect)
    return aspect


def update_aspect(actor, aspect: HseAspect, data: dict, version: int | None = None) -> HseAspect:
    units.check(actor, aspect, data, _("No such environmental aspect."))
    if version is not None and version != aspect.version:
        raise Conflict()
    changes = _apply_aspect(aspect, data)
    if changes:
        db.session.flush()
        audit.record(actor, "hse_aspect.update", "hse_aspect", aspect.id, changes=changes)
    return aspect


def get_aspect(actor, aspect_id: int) -> HseAspect:
    require(actor, P.hse_view)
    aspect = db.session.get(HseAspect, aspect_id)
    if aspect is None:
        raise NotFound(_("No such environmental aspect."))
    return aspect


def aspect_query(filters: dict, today: date | None = None):
    stmt = select(HseAspect).where(HseAspect.status == (filters.get("status") or "active"))
    if filters.get("kind"):
        stmt = stmt.where(HseAspect.kind == filters["kind"])
    if filters.get("significant"):
        stmt = stmt.where(HseAspect.significant.is_(True))
    if filters.get("unit"):
        stmt = stmt.where(HseAspect.unit == filters["unit"])
    if filters.get("review") and today is not None:
        stmt = stmt.where(HseAspect.review_on <= rules_warn(today))
    if filters.get("q"):
        q = filters["q"]  # autoescape: a "%" or "_" typed is looked for as such, not as a wildcard
        stmt = stmt.where(or_(HseAspect.activity.contains(q, autoescape=True),
                              HseAspect.aspect.contains(q, autoescape=True)))
    return stmt


def list_aspects(actor, filters: dict | None = None, page: int = 1, per_page: int = 50,
                 today: date | None = None) -> tuple[list[HseAspect], int]:
    require(actor, P.hse_view)
    return paged(aspect_query(filters or {}, today), page, per_page,
                 (HseAspect.significant.desc(), HseAspect.total.desc(), HseAspect.id))


def review_reminders(actor, today: date) -> list[tuple[str, object, str]]:
    """Active lines whose review date has passed or falls within 30 days: (kind, record, status)."""
    require(actor, P.hse_view)
    limit = rules_warn(today)
    out = []
    for kind, model in (("hazard", HseHazard), ("aspect", HseAspect)):
        stmt = select(model).where(model.status == "active", model.review_on.is_not(None),
                                   model.review_on <= limit).order_by(model.review_on)
        for record in db.session.execute(stmt).unique().scalars():
            out.append((kind, record, rules.review_status(record.review_on, today, REVIEW_WARN_DAYS)))
    return sorted(out, key=lambda row: row[1].review_on)
