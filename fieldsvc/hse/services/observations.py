"""Observations: anyone reports a hazard or an environmental aspect from the phone, with a photo,
and field jobs feed the hazards they find (from_field: a household inspection with a grade A
finding, an emergency with a leak found), linked to the inspection or order. The safety officer
reviews each into the register (the form comes pre-filled), raises a nonconformity from it in one
step, or closes it."""
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import audit, clock, uploads
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.hse import rules
from fieldsvc.hse.labels import ROLE_UNIT
from fieldsvc.hse.models import HseObservation, Nonconformity
from fieldsvc.hse.services import capa
from fieldsvc.hse.services.common import paged
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require

ENTITY = "hse_observation"


def report(actor, data: dict, photo: bytes | None = None) -> HseObservation:
    """data: kind (hazard|aspect), description, optional location, activity. The photo is checked
    and re-encoded by uploads.save_image (refused files raise Invalid naming 'photo')."""
    require(actor, P.hse_report)
    if data.get("kind") not in rules.OBSERVATION_KINDS:
        raise Invalid({"kind": [_("Choose what you saw.")]})
    if not (data.get("description") or "").strip():
        raise Invalid({"description": [_("Describe what you saw.")]})
    observation = HseObservation(kind=data["kind"], description=data["description"].strip(),
                              location=data.get("location"), activity=data.get("activity"),
                              reported_by=actor.id, status="open")
    db.session.add(observation)
    db.session.flush()
    if photo:
        upload = uploads.save_image(actor, photo, "photo", entity=ENTITY, entity_id=observation.id, field="photo")
        observation.photo_id = upload.id
    audit.record(actor, "hse_observation.report", ENTITY, observation.id, kind=observation.kind,
                 photo=bool(photo))
    return observation


def from_field(actor, *, description: str, location: str | None = None, activity: str | None = None,
               work_order_id: int | None = None, inspection_id: int | None = None) -> HseObservation:
    """A hazard found on a field job, in the safety officer's inbox in the same transaction: kind
    hazard, open, reported by the actor, linked to the work order or inspection that found it.

    No permission check: the caller is another domain's use case already authorised in this
    transaction (an inspection recorded, an emergency completed). The same text for the same link
    is one observation, so a record saved twice does not report twice.
    """
    text = (description or "").strip()
    if not text:
        raise Invalid({"description": [_("Describe what you saw.")]})
    if work_order_id is not None or inspection_id is not None:
        existing = db.session.execute(select(HseObservation).where(
            _same(HseObservation.work_order_id, work_order_id), _same(HseObservation.inspection_id, inspection_id),
            HseObservation.description == text)).scalars().first()
        if existing is not None:
            return existing
    observation = HseObservation(kind="hazard", description=text, location=_short(location),
                                 activity=_short(activity), reported_by=actor.id, status="open",
                                 work_order_id=work_order_id, inspection_id=inspection_id)
    db.session.add(observation)
    db.session.flush()
    audit.record(actor, "hse_observation.from_field", ENTITY, observation.id, kind=observation.kind,
                 work_order_id=work_order_id, inspection_id=inspection_id)
    return observation


def _same(column, value):
    return column.is_(None) if value is None else column == value


def _short(text: str | None, size: int = 200) -> str | None:
    text = (text or "").strip()
    return text[:size] or None


def may_see(actor, observation: HseObservation) -> bool:
    """The reporter and the safety office; nobody else (the photo may show a customer's home)."""
    return can(actor, P.hse_manage) or (can(actor, P.hse_report) and observation.reported_by == actor.id)


def get(actor, observation_id: int) -> HseObservation:
    require(actor, P.hse_report)
    observation = db.session.get(HseObservation, observation_id)
    if observation is None or not may_see(actor, observation):
        raise NotFound(_("No such observation."))
    return observation


def photo_visible(actor, observation_id: int) -> bool:
    observation = db.session.get(HseObservation, observation_id)
    return observation is not None and may_see(actor, observation)


def list_observations(actor, status: str | None = "open", page: int = 1,
                      per_page: int = 50) -> tuple[list[HseObservation], int]:
    """The safety office sees every report; anyone else only their own."""
    require(actor, P.hse_report)
    stmt = select(HseObservation)
    if not can(actor, P.hse_manage):
        stmt = stmt.where(HseObservation.reported_by == actor.id)
    if status:
        stmt = stmt.where(HseObservation.status == status)
    return paged(stmt, page, per_page, (HseObservation.id.desc(),))


def _open(actor, observation_id: int) -> HseObservation:
    require(actor, P.hse_manage)
    observation = get(actor, observation_id)
    if observation.status != "open":
        raise Conflict(_("This observation has already been reviewed."))
    return observation


def close(actor, observation_id: int, reason: str) -> HseObservation:
    """Close without a register line (duplicate, already controlled, not a hazard…), with the reason."""
    observation = _open(actor, observation_id)
    if not (reason or "").strip():
        raise Invalid({"reason": [_("Give a reason.")]})
    observation.status, observation.close_reason = "closed", reason.strip()
    observation.reviewed_by, observation.reviewed_at = actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "hse_observation.close", ENTITY, observation.id, reason=observation.close_reason)
    return observation


def mark_registered(actor, observation_id: int, hazard=None, aspect=None) -> HseObservation:
    """Called by the register services in the same transaction as the new line."""
    observation = _open(actor, observation_id)
    observation.status = "registered"
    observation.hazard_id = hazard.id if hazard is not None else None
    observation.aspect_id = aspect.id if aspect is not None else None
    observation.reviewed_by, observation.reviewed_at = actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "hse_observation.register", ENTITY, observation.id,
                 hazard_id=observation.hazard_id, aspect_id=observation.aspect_id)
    return observation


def fed_by_order(actor, order_id: int) -> bool:
    """May the safety office read this work order (dispatch's order view rule asks)? Yes for whoever manages
    HSE when a field job fed an observation from it (an emergency with a leak found): the inbox and the
    nonconformity raised from it link to the order. Only from_field sets work_order_id, and a nonconformity
    points at an order only through such an observation, so nothing typed can widen this."""
    if not can(actor, P.hse_manage):
        return False
    return db.session.execute(select(HseObservation.id).where(HseObservation.work_order_id == order_id)
                              .limit(1)).first() is not None


def source_of(observation: HseObservation) -> tuple[str, int]:
    """What a nonconformity raised from the observation points at: the field record that found the
    hazard (the register lists those as fed from other domains), or the observation itself."""
    if observation.inspection_id is not None:
        return "inspection", observation.inspection_id
    if observation.work_order_id is not None:
        return "work_order", observation.work_order_id
    return ENTITY, observation.id


def _nc_text(observation: HseObservation) -> tuple[str, str]:
    first = observation.description.splitlines()[0].strip()
    title = first if len(first) <= 120 else first[:119] + "…"
    lines = [observation.description]
    if observation.location:
        lines.append(_("Where: %(place)s", place=observation.location))
    if observation.activity:
        lines.append(_("Work: %(activity)s", activity=observation.activity))
    lines.append(_("Reported by %(name)s on %(day)s", name=observation.reporter.name,
                   day=clock.business_date(observation.created_at).isoformat()))
    return title, "\n".join(lines)


def raise_nonconformity(actor, observation_id: int) -> Nonconformity:
    """One step from the inbox: a nonconformity (origin field hazard) with the observation's text and
    source, made by the CAPA service; the observation is then registered and linked to it. An open
    nonconformity already raised for the same inspection or order is reused, not duplicated."""
    observation = _open(actor, observation_id)
    title, description = _nc_text(observation)
    source_entity, source_id = source_of(observation)
    nc = capa.raise_from_field(actor, "field_hazard", source_entity, source_id, title, description,
                               unit=ROLE_UNIT.get(observation.reporter.role))
    observation.status, observation.nonconformity_id = "registered", nc.id
    observation.reviewed_by, observation.reviewed_at = actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "hse_observation.nonconformity", ENTITY, observation.id, nonconformity_id=nc.id,
                 number=nc.number)
    return nc


def prefill(actor, observation_id: int) -> dict:
    """Register form values taken from the observation (the safety officer completes the rest)."""
    observation = _open(actor, observation_id)
    text = observation.description
    if observation.location:
        text = f"{text} ({observation.location})"
    values = {"observation_id": observation.id, "activity": observation.activity or "",
              "unit": ROLE_UNIT.get(observation.reporter.role, "office")}
    values["description" if observation.kind == "hazard" else "aspect"] = text
    return values
