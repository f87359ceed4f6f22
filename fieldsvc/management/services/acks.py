"""Acknowledgements of the versions in force, and the PDF attached to a version.

Every active member of staff whose role a policy applies to must acknowledge each version in force.
Acknowledgements belong to a version, so a new version in force asks everyone again; staff who join
later find it on their list too (nothing is pre-generated).
"""
import hashlib
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from fieldsvc import audit, uploads
from fieldsvc.auth.models import User
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.management import rules
from fieldsvc.management.models import Policy, PolicyAck, PolicyVersion
from fieldsvc.management.services.policies import ENTITY, get_version, require_manage, sees_all
from fieldsvc.permissions import P, require

IN_FORCE = rules.PolicyStatus.in_force


def _pending_where(actor) -> tuple:
    acked = select(PolicyAck.id).where(PolicyAck.version_id == PolicyVersion.id, PolicyAck.user_id == actor.id)
    return (PolicyVersion.status == IN_FORCE, ~acked.exists(),
            or_(Policy.audience == "", Policy.audience.like(f"%,{actor.role},%")))


def pending(actor) -> list[PolicyVersion]:
    """The versions in force that apply to the actor and that they have not acknowledged yet."""
    require(actor, P.policies_view)
    stmt = (select(PolicyVersion).join(Policy).where(*_pending_where(actor))
            .order_by(PolicyVersion.in_force_at.desc(), Policy.number))
    return list(db.session.execute(stmt).scalars())


def pending_figures(actor) -> dict:
    """For the home card, asked with every card's figures: how many versions wait."""
    require(actor, P.policies_view)
    return {"pending": select(func.count(PolicyVersion.id)).join(Policy).where(*_pending_where(actor))}


def pending_card(actor, figures: dict) -> dict | None:
    """The home card: None when nothing waits (the usual case costs no statement of its own)."""
    return {"versions": pending(actor)} if figures["pending"] else None


def acknowledged(actor) -> list[PolicyAck]:
    """What the actor has acknowledged, newest first."""
    require(actor, P.policies_view)
    stmt = (select(PolicyAck).where(PolicyAck.user_id == actor.id).join(PolicyVersion)
            .order_by(PolicyAck.at.desc()))
    return list(db.session.execute(stmt).scalars())


def has_acknowledged(actor, version: PolicyVersion) -> bool:
    return db.session.execute(select(PolicyAck.id).where(PolicyAck.version_id == version.id,
                                                         PolicyAck.user_id == actor.id)).first() is not None


def acknowledge(actor, version: PolicyVersion) -> PolicyAck:
    """'I have read and understood it.' Only a version in force that applies to the actor; once."""
    require(actor, P.policies_view)
    if version.status != IN_FORCE:
        raise Conflict(_("Only a version in force is acknowledged."))
    if not rules.applies_to(version.policy.applies_to, actor.role):
        raise NotFound(_("No such policy."))
    existing = db.session.execute(select(PolicyAck).where(PolicyAck.version_id == version.id,
                                                          PolicyAck.user_id == actor.id)).scalar_one_or_none()
    if existing is not None:
        return existing
    ack = PolicyAck(version_id=version.id, user_id=actor.id)
    db.session.add(ack)
    db.session.flush()
    audit.record(actor, "policy.acknowledge", ENTITY, version.policy_id, revision=version.revision)
    return ack


def _affected_filter(policy: Policy):
    stmt = User.active.is_(True)
    return and_(stmt, User.role.in_(policy.applies_to)) if policy.applies_to else stmt


@dataclass(frozen=True)
class AckProgress:
    affected: int
    acknowledged: int
    missing: list  # users still to acknowledge (first few), for the owner


def progress(actor, version: PolicyVersion, show: int = 20) -> AckProgress:
    """How many of the affected active staff acknowledged this version (owners and the director)."""
    require(actor, P.policies_manage)
    where = _affected_filter(version.policy)
    affected = db.session.execute(select(func.count(User.id)).where(where)).scalar_one()
    acked_ids = select(PolicyAck.user_id).where(PolicyAck.version_id == version.id)
    done = db.session.execute(select(func.count(User.id)).where(where, User.id.in_(acked_ids))).scalar_one()
    missing = list(db.session.execute(select(User).where(where, User.id.not_in(acked_ids))
                                      .order_by(User.role, User.name).limit(show)).scalars())
    return AckProgress(affected, done, missing)


# --- the attached PDF -------------------------------------------------------------------------------

def _pdf_message(problem: str) -> str:
    return {
        "empty": _("The file is empty."),
        "too_large": _("The file is larger than %(mb)d MB.", mb=rules.PDF_MAX_BYTES // (1024 * 1024)),
        "not_pdf": _("This file is not a PDF document."),
    }[problem]


def attach_pdf(actor, version: PolicyVersion, data: bytes, filename: str | None) -> PolicyVersion:
    """Check (by its bytes: %PDF-, at most 10 MB) and store the document of a draft under a generated
    name. The file a draft had before stays in storage (records are never deleted) but is no longer used."""
    require_manage(actor, version.policy)
    if version.status not in rules.POLICY_EDITABLE:
        raise Conflict(_("Only a draft can be changed; start a new version instead."))
    problem = rules.pdf_problem(data)
    if problem:
        raise Invalid({"pdf": [_pdf_message(problem)]})
    key = secrets.token_hex(16) + ".pdf"
    uploads.storage().put(key, data)
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or f"{version.policy.number}.pdf"
    version.pdf_key, version.pdf_name, version.pdf_size = key, name, len(data)
    version.pdf_sha256 = hashlib.sha256(data).hexdigest()
    db.session.flush()
    audit.record(actor, "policy.attach_pdf", ENTITY, version.policy_id, revision=version.revision,
                 size=len(data), sha256=version.pdf_sha256)
    return version


def document(actor, version_id: int) -> tuple[PolicyVersion, bytes]:
    """The PDF of a version, for staff the policy applies to (in force) and for owners and the director."""
    version = get_version(actor, version_id)
    if not sees_all(actor) and not rules.applies_to(version.policy.applies_to, actor.role):
        raise NotFound()
    if not version.pdf_key:
        raise NotFound(_("This version has no PDF."))
    try:
        return version, uploads.storage().get(version.pdf_key)
    except FileNotFoundError as exc:
        raise NotFound(_("This version has no PDF.")) from exc
