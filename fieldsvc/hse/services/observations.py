"""Observations: anyone reports a hazard or an environmental aspect from the phone, with a photo;
the safety officer reviews each into the register (the form comes pre-filled) or closes it."""
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import audit, uploads
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.hse.labels import ROLE_UNIT
from fieldsvc.hse.models import HseObservation
from fieldsvc.hse.services.common import paged
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require

ENTITY = "hse_observation"
KINDS = ("hazard", "aspect")


def report(actor, data: dict, photo: bytes | None = None) -> HseObservation:
    """data: kind (hazard|aspect), description, optional location, activity. The photo is checked
    and re-encoded by uploads.save_image (refused files raise Invalid naming 'photo')."""
    require(actor, P.hse_report)
    if data.get("kind") not in KINDS:
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
