"""The closed rectification loop: a finding becomes a hazard, A and B open a rectification order for a
pipe fitter, the order's progress (read from dispatch) moves the hazard, before/after photos and a
re-check close it, and an overdue one escalates to the safety officer."""
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from fieldsvc import audit, clock, uploads
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.dispatch.services import orders as dispatch_orders
from fieldsvc.dispatch.services import steps as dispatch_steps
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import Hazard, HazardEvent, HazardPhoto, Inspection, InspectionResult
from fieldsvc.inspections.services import common
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require

H = rules.HazardStatus
EVIDENCE_STAGES = ("before", "after")


def event(actor, hazard: Hazard, action: str, from_status: str | None, note: str | None = None,
          work_order_id: int | None = None, **data) -> None:
    """The hazard's history line and its audit entry."""
    db.session.add(HazardEvent(hazard_id=hazard.id, action=action, from_status=from_status, to_status=hazard.status,
                               actor_id=getattr(actor, "id", None), work_order_id=work_order_id, note=note))
    db.session.flush()
    audit.record(actor, f"hazard.{action}", "hazard", hazard.id, from_status=from_status, to_status=hazard.status,
                 work_order_id=work_order_id, note=note, **data)


def _label(result: InspectionResult) -> str:
    return result.item.label(str(get_locale() or "zh_CN"))


def _open_order(actor, hazard: Hazard, result: InspectionResult) -> WorkOrder:
    """The pipe fitter's job, due at the end of the hazard's deadline day; urgent for grade A."""
    description = _("Hazard H%(id)d, grade %(grade)s: %(item)s", id=hazard.id, grade=hazard.grade, item=_label(result))
    if result.note:
        description += f" — {result.note}"
    order = dispatch_steps.new_order(actor, {
        "type": "rectification", "customer_id": hazard.customer_id, "description": description,
        "deadline": common.end_of_day(hazard.deadline), "priority": rules.order_priority(hazard.grade)})
    hazard.work_order_id = order.id
    return order


def open_hazards(actor, inspection: Inspection) -> list[Hazard]:
    """Every finding of a completed visit becomes a hazard; A and B get their rectification order."""
    found_on = clock.business_date(inspection.visited_at)
    created = []
    for result in inspection.results:
        if result.ok:
            continue
        grade = result.grade
        hazard = Hazard(inspection_id=inspection.id, customer_id=inspection.customer_id, result_id=result.id,
                        code=result.code, grade=grade, found_on=found_on,
                        deadline=rules.hazard_deadline(grade, found_on, common.deadline_days()),
                        status=H.open if rules.opens_order(grade) else H.advised, escalated=False)
        db.session.add(hazard)
        db.session.flush()
        event(actor, hazard, "found", None, note=result.note, code=hazard.code, grade=grade,
              deadline=hazard.deadline)
        if rules.opens_order(grade):
            order = _open_order(actor, hazard, result)
            event(actor, hazard, "order", hazard.status, work_order_id=order.id)
        created.append(hazard)
    db.session.expire(inspection, ["hazards"])
    return created


# --- reading ------------------------------------------------------------------------------------

def get(actor, hazard_id: int) -> Hazard:
    if not any(can(actor, p) for p in (P.hazards_view_all, P.inspections_view, P.hazards_recheck,
                                       P.hazards_rectify)):
        require(actor, P.hazards_view_all)
    hazard = db.session.get(Hazard, hazard_id)
    if hazard is None or not common.may_see_hazard(actor, hazard):
        raise NotFound(_("No such hazard."))
    return hazard


def photos(hazard: Hazard) -> dict[str, list[HazardPhoto]]:
    out: dict[str, list[HazardPhoto]] = {"before": [], "after": [], "recheck": []}
    for p in hazard.photos:
        out.setdefault(p.stage, []).append(p)
    return out


def _stages(hazard_ids) -> dict[int, set[str]]:
    rows = db.session.execute(select(HazardPhoto.hazard_id, HazardPhoto.stage)
                              .where(HazardPhoto.hazard_id.in_(list(hazard_ids)))).all()
    out: dict[int, set[str]] = {}
    for hazard_id, stage in rows:
        out.setdefault(hazard_id, set()).add(stage)
    return out


def refresh(hazards: list[Hazard] | None = None) -> int:
    """Bring hazards in line with their orders and the calendar (status, escalation). The system is
    the actor. None: every hazard not yet closed. Returns how many changed."""
    stmt = (select(Hazard, WorkOrder.status).outerjoin(WorkOrder, WorkOrder.id == Hazard.work_order_id)
            .where(Hazard.status.in_([H.open, H.rectifying, H.awaiting_recheck])))
    if hazards is not None:
        ids = [h.id for h in hazards if h.status not in rules.TERMINAL]
        if not ids:
            return 0
        stmt = stmt.where(Hazard.id.in_(ids))
    rows = db.session.execute(stmt).all()
    stages = _stages(h.id for h, _s in rows) if rows else {}
    today, changed = clock.today(), 0
    for hazard, order_status in rows:
        have = stages.get(hazard.id, set())
        new = rules.derive_status(hazard.status, order_status, "before" in have, "after" in have)
        if new != hazard.status:
            before, hazard.status, hazard.updated_at = hazard.status, new, utcnow()
            event(None, hazard, "status", before, work_order_id=hazard.work_order_id, order_status=order_status)
            changed += 1
        if not hazard.escalated and rules.is_overdue(hazard.status, hazard.deadline, today):
            hazard.escalated, hazard.escalated_at = True, utcnow()
            event(None, hazard, "escalate", hazard.status, deadline=hazard.deadline)
            changed += 1
    return changed


# --- evidence, completion, re-check ----------------------------------------------------------------

def _may_add_evidence(actor, hazard: Hazard) -> None:
    if not (common.rectifier_of(actor, hazard) or can(actor, P.hazards_recheck)):
        if not can(actor, P.hazards_rectify):
            require(actor, P.hazards_recheck)
        raise NotFound(_("No such hazard."))
    if hazard.status in rules.TERMINAL:
        raise Conflict(_("This hazard is closed."))


def add_photo(actor, hazard: Hazard, stage: str, data: bytes | None, field: str | None = None) -> HazardPhoto:
    """A before or after photo of the rectification (the pipe fitter, or whoever re-checks)."""
    _may_add_evidence(actor, hazard)
    if stage not in EVIDENCE_STAGES:
        raise Invalid({"stage": [_("Choose before or after.")]})
    if not data:
        raise Invalid({field or "photo": [_("Choose a photo.")]})
    upload = uploads.save_image(actor, data, "photo", "hazard", hazard.id, field=field or f"photo_{stage}")
    photo = HazardPhoto(hazard_id=hazard.id, upload_id=upload.id, stage=stage, by_id=actor.id)
    db.session.add(photo)
    db.session.flush()
    event(actor, hazard, "evidence", hazard.status, note=stage, upload_id=upload.id)
    db.session.expire(hazard, ["photos"])
    refresh([hazard])
    return photo


def complete_rectification(actor, hazard: Hazard, before: bytes | None, after: bytes | None,
                           work_notes: str | None, version: int) -> Hazard:
    """The pipe fitter on site: before and after photos, then their order is completed in dispatch
    (the same state rules as the dispatch page: their own order, on site)."""
    if not common.rectifier_of(actor, hazard):
        require(actor, P.hazards_rectify)
        raise NotFound(_("No such hazard."))
    have = {p.stage for p in hazard.photos}
    errors = {f"photo_{s}": [_("Take this photo.")] for s, data in (("before", before), ("after", after))
              if not data and s not in have}
    if errors:
        raise Invalid(errors)
    order = dispatch_orders.get_order(actor, hazard.work_order_id)
    dispatch_steps.check_move(actor, order, "completed")
    for stage, data in (("before", before), ("after", after)):
        if data:
            add_photo(actor, hazard, stage, data)
    dispatch_orders.transition(actor, order.id, "completed", version,
                               completion={"work_notes": work_notes, "results": {"hazard_fixed": True}})
    refresh([hazard])
    return hazard


def _claim(hazard: Hazard, from_status: str) -> None:
    """Only one re-check wins: the change is conditional on the status the writer saw."""
    result = db.session.execute(update(Hazard).where(Hazard.id == hazard.id, Hazard.status == from_status)
                                .values(updated_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise Conflict()


def recheck(actor, hazard: Hazard, passed: bool, note: str | None, photo: bytes | None = None) -> Hazard:
    """The safety officer or a repair technician re-checks a rectified hazard. Passed: closed, only
    with before and after photos on file. Failed: back to open with a new order and deadline."""
    require(actor, P.hazards_recheck)
    refresh([hazard])
    have = {p.stage for p in hazard.photos}
    if hazard.status != H.awaiting_recheck:
        raise Conflict(_("Only a rectified hazard with before and after photos can be re-checked."))
    if not passed and not (note or "").strip():
        raise Invalid({"note": [_("Say what is still wrong.")]})
    if passed and not rules.may_close(hazard.status, "before" in have, "after" in have):
        raise Conflict(_("Nothing closes without before and after photos."))
    _claim(hazard, H.awaiting_recheck)
    if photo:
        upload = uploads.save_image(actor, photo, "photo", "hazard", hazard.id, field="photo")
        db.session.add(HazardPhoto(hazard_id=hazard.id, upload_id=upload.id, stage="recheck", by_id=actor.id))
    before = hazard.status
    if passed:
        hazard.status, hazard.closed_at, hazard.closed_by_id = H.closed, utcnow(), actor.id
        event(actor, hazard, "recheck_pass", before, note=note, work_order_id=hazard.work_order_id)
        return hazard
    hazard.status = H.open
    hazard.deadline = rules.hazard_deadline(hazard.grade, clock.today(), common.deadline_days())
    event(actor, hazard, "recheck_fail", before, note=note, work_order_id=hazard.work_order_id)
    order = _open_order(actor, hazard, hazard.result)
    event(actor, hazard, "order", hazard.status, work_order_id=order.id, deadline=hazard.deadline)
    return hazard


def reopen_order(actor, hazard: Hazard) -> WorkOrder:
    """The safety officer sends a pipe fitter again after the order was cancelled."""
    require(actor, P.hazards_view_all)
    refresh([hazard])
    status = db.session.execute(select(WorkOrder.status).where(WorkOrder.id == hazard.work_order_id)).scalar()
    if hazard.status != H.open or (status is not None and status != "cancelled"):
        raise Conflict(_("This hazard already has a rectification order in progress."))
    order = _open_order(actor, hazard, hazard.result)
    event(actor, hazard, "order", hazard.status, work_order_id=order.id)
    return order
