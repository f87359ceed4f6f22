"""The register of policies and procedures (制度) and the life of each version.

A version moves along rules.POLICY_TRANSITIONS (rules.POLICY_MACHINE): the owner drafts and submits, the director approves or
returns, the owner brings the approved version into force (the version it replaces is withdrawn as
superseded), the director withdraws. Nothing reaches `in_force` without the director's approval.
Staff who are not policy owners see only the policies that apply to their role, and only in force.
"""
from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select

from fieldsvc import audit, clock
from fieldsvc.errors import Conflict, Duplicate, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.management import rules
from fieldsvc.management.models import Policy, PolicyVersion
from fieldsvc.management.services.common import active_user, paged, required
from fieldsvc.models import utcnow
from fieldsvc.permissions import ROLE_LABELS, P, can, require
from fieldsvc.statemachine import Move, Step, permitted

ENTITY = "mgmt_policy"
POLICY_FIELDS = ("number", "title")
VERSION_FIELDS = ("summary", "change_note", "effective_on", "review_on")
OWNER_ROLES = ("director", "safety_officer", "metering_head", "station_chief")


def _blocker_messages() -> dict:
    return {
        "reason": ("reason", _("Give a reason.")),
        "document": ("summary", _("Write the text or attach the PDF first.")),
        "effective_on": ("effective_on", _("Set the date it takes effect.")),
        "review_on": ("review_on", _("The review date must come after the effective date.")),
        "approval": ("_schema", _("The director has not approved this version.")),
        "not_yet_effective": ("effective_on", _("It can come into force on its effective date, not before.")),
    }


# --- reading ----------------------------------------------------------------------------------------

def audience_of(roles) -> str:
    roles = sorted({str(r) for r in roles or [] if str(r) in ROLE_LABELS})
    return f",{','.join(roles)}," if roles else ""


def _audience_filter(role: str):
    return or_(Policy.audience == "", Policy.audience.like(f"%,{role},%"))


def _in_force_exists():
    return exists().where(PolicyVersion.policy_id == Policy.id, PolicyVersion.status == rules.PolicyStatus.in_force)


def sees_all(actor) -> bool:
    """Owners and the director see every policy and every version, drafts included."""
    return can(actor, P.policies_manage)


def may_see(actor, policy: Policy) -> bool:
    if sees_all(actor):
        return True
    return rules.applies_to(policy.applies_to, actor.role) and in_force(policy) is not None


def list_policies(actor, q: str | None = None, status: str | None = None, page: int = 1,
                  per_page: int = 50) -> tuple[list[Policy], int]:
    """The register by number; staff see what applies to them and is in force."""
    require(actor, P.policies_view)
    stmt = select(Policy)
    if not sees_all(actor):
        stmt = stmt.where(_audience_filter(actor.role), _in_force_exists())
    if q and q.strip():
        q = q.strip()  # autoescape: a "%" or "_" typed is looked for as such, not as a wildcard
        stmt = stmt.where(or_(Policy.number.contains(q, autoescape=True),
                              Policy.title.contains(q, autoescape=True)))
    if status:
        stmt = stmt.where(exists().where(PolicyVersion.policy_id == Policy.id, PolicyVersion.status == status))
    return paged(stmt, page, per_page, (Policy.number,))


def get_policy(actor, policy_id: int) -> Policy:
    require(actor, P.policies_view)
    policy = db.session.get(Policy, policy_id)
    if policy is None or not may_see(actor, policy):
        raise NotFound(_("No such policy."))
    return policy


def get_version(actor, version_id: int) -> PolicyVersion:
    require(actor, P.policies_view)
    version = db.session.get(PolicyVersion, version_id)
    if version is None or not may_see(actor, version.policy) or \
            (not sees_all(actor) and version.status != rules.PolicyStatus.in_force):
        raise NotFound(_("No such policy."))
    return version


def in_force(policy: Policy) -> PolicyVersion | None:
    return next((v for v in reversed(policy.versions) if v.status == rules.PolicyStatus.in_force), None)


def open_version(policy: Policy) -> PolicyVersion | None:
    """The revision on its way (draft, submitted or approved), if any."""
    return next((v for v in reversed(policy.versions) if v.status in rules.POLICY_OPEN), None)


def visible_versions(actor, policy: Policy) -> list[PolicyVersion]:
    if sees_all(actor):
        return list(reversed(policy.versions))
    return [v for v in reversed(policy.versions) if v.status == rules.PolicyStatus.in_force]


def may_manage(actor, policy: Policy) -> bool:
    """The policy's owner, or the director, writes its versions."""
    return can(actor, P.policies_manage) and (policy.owner_id == actor.id or can(actor, P.policies_approve))


def require_manage(actor, policy: Policy) -> None:
    """Another owner's policy is an object rule: 404, like a record one may not open."""
    require(actor, P.policies_manage)
    if not may_manage(actor, policy):
        raise NotFound(_("Only the policy's owner or the director can change it."))


# --- writing ----------------------------------------------------------------------------------------

def _check_number(number: str, exclude_id: int | None = None) -> None:
    stmt = select(Policy.id).where(func.upper(Policy.number) == number.upper())
    if exclude_id:
        stmt = stmt.where(Policy.id != exclude_id)
    if db.session.execute(stmt).first():
        raise Duplicate("number", _("This number is already used by another policy."))


def create_policy(actor, data: dict) -> Policy:
    """data: number, title, owner_id (default the actor), applies_to [roles], and the first version's
    summary, effective_on, review_on. The first version starts as a draft."""
    require(actor, P.policies_manage)
    required(data, "number", "title")
    _check_number(data["number"])
    owner = active_user(data.get("owner_id") or actor.id, "owner_id", OWNER_ROLES)
    policy = Policy(number=data["number"], title=data["title"], owner_id=owner.id,
                    audience=audience_of(data.get("applies_to")), created_by=actor.id)
    db.session.add(policy)
    db.session.flush()
    version = PolicyVersion(policy_id=policy.id, revision=1, status=rules.PolicyStatus.draft, created_by=actor.id,
                            **{k: data.get(k) for k in VERSION_FIELDS})
    db.session.add(version)
    db.session.flush()
    _check_dates(version)
    audit.record(actor, "policy.create", ENTITY, policy.id, number=policy.number, title=policy.title,
                 owner_id=owner.id, applies_to=policy.applies_to)
    return policy


def update_policy(actor, policy: Policy, data: dict, lock: int | None = None) -> Policy:
    """Number, title, owner and the roles it applies to."""
    require_manage(actor, policy)
    if lock is not None and lock != policy.version:
        raise Conflict()
    changes = {}
    if data.get("number") and data["number"] != policy.number:
        _check_number(data["number"], policy.id)
    for key in POLICY_FIELDS:
        if data.get(key) and data[key] != getattr(policy, key):
            changes[key] = [getattr(policy, key), data[key]]
            setattr(policy, key, data[key])
    if data.get("owner_id") and data["owner_id"] != policy.owner_id:
        owner = active_user(data["owner_id"], "owner_id", OWNER_ROLES)
        changes["owner_id"] = [policy.owner_id, owner.id]
        policy.owner_id = owner.id
    if "applies_to" in data and audience_of(data["applies_to"]) != policy.audience:
        changes["applies_to"] = [policy.applies_to, data["applies_to"]]
        policy.audience = audience_of(data["applies_to"])
    if changes:
        db.session.flush()
        audit.record(actor, "policy.update", ENTITY, policy.id, changes=changes)
    return policy


def _check_dates(version: PolicyVersion) -> None:
    if version.effective_on and version.review_on and version.review_on <= version.effective_on:
        raise Invalid({"review_on": [_("The review date must come after the effective date.")]})


def update_version(actor, version: PolicyVersion, data: dict, lock: int | None = None) -> PolicyVersion:
    """The text, change note and dates of a draft."""
    require_manage(actor, version.policy)
    if version.status not in rules.POLICY_EDITABLE:
        raise Conflict(_("Only a draft can be changed; start a new version instead."))
    if lock is not None and lock != version.version:
        raise Conflict()
    changes = {}
    for key in VERSION_FIELDS:
        if key in data and data[key] != getattr(version, key):
            changes[key] = [getattr(version, key), data[key]]
            setattr(version, key, data[key])
    _check_dates(version)
    if changes:
        db.session.flush()
        audit.record(actor, "policy.version_update", ENTITY, version.policy_id, revision=version.revision,
                     changes=changes)
    return version


def new_revision(actor, policy: Policy) -> PolicyVersion:
    """Start the next version as a draft, from the text of the latest one."""
    require_manage(actor, policy)
    if open_version(policy) is not None:
        raise Conflict(_("Version %(v)s is still on its way: finish or abandon it first.",
                         v=open_version(policy).label))
    latest = policy.versions[-1] if policy.versions else None
    version = PolicyVersion(policy_id=policy.id, revision=(latest.revision if latest else 0) + 1,
                            status=rules.PolicyStatus.draft, summary=latest.summary if latest else None,
                            review_on=None, created_by=actor.id)
    db.session.add(version)
    db.session.flush()
    db.session.refresh(policy, ["versions"])
    audit.record(actor, "policy.revise", ENTITY, policy.id, revision=version.revision)
    return version


def _facts(version: PolicyVersion, reason: str | None) -> rules.PolicyFacts:
    return rules.PolicyFacts(approved=version.approved_by is not None and version.approved_at is not None,
                             effective_on=version.effective_on, review_on=version.review_on,
                             has_document=bool(version.pdf_key or (version.summary or "").strip()), reason=reason)


def authorise_move(actor, version: PolicyVersion, move: Move) -> None:
    """Refuse unless this actor may make this move: the director's need policies_approve, the owner's
    the policy's owner (or the director)."""
    if move.by == rules.By.director:
        require(actor, P.policies_approve)
    else:
        require_manage(actor, version.policy)


def available_moves(actor, version: PolicyVersion | None) -> list[Step]:
    """What the policy's page offers this actor on this version: exactly the moves transition() would let
    them make (what still blocks one — the PDF, the dates — is said when it is tried), in table order."""
    if version is None:
        return []
    return rules.POLICY_MACHINE.allowed(version.status, permitted(lambda move: authorise_move(actor, version, move)))


def transition(actor, version: PolicyVersion, to: str, reason: str | None = None,
               lock: int | None = None) -> PolicyVersion:
    """Move a version along the state table; the director approves, returns and withdraws."""
    move = rules.policy_move(version.status, to)
    if move is None:
        raise Conflict(_("A version that is %(a)s cannot become %(b)s.", a=label(version.status, "policy_status"),
                         b=label(to, "policy_status")))
    authorise_move(actor, version, move)
    if lock is not None and lock != version.version:
        raise Conflict()
    blockers = rules.policy_blockers(version.status, to, _facts(version, reason), clock.today())
    if blockers:
        messages, errors = _blocker_messages(), {}
        for code in blockers:
            field, message = messages[code]
            errors.setdefault(field, []).append(message)
        raise Invalid(errors)
    before, now = version.status, utcnow()
    if move.action == "submit":
        version.submitted_by, version.submitted_at, version.returned_reason = actor.id, now, None
    elif move.action == "return":
        version.returned_reason = reason.strip()
    elif move.action == "approve":
        version.approved_by, version.approved_at = actor.id, now
    elif move.action == "bring_into_force":
        _supersede(actor, version, now)
        version.in_force_at = now
    else:  # withdraw, abandon
        version.withdrawn_at, version.withdrawn_reason = now, reason.strip()
    version.status = to
    db.session.flush()
    audit.record(actor, f"policy.{move.action}", ENTITY, version.policy_id, revision=version.revision,
                 **{"from": before, "to": to}, reason=reason)
    return version


def _supersede(actor, version: PolicyVersion, now) -> None:
    """The version in force until now is withdrawn: the new one replaces it."""
    old = in_force(version.policy)
    if old is None or old.id == version.id:
        return
    old.status, old.withdrawn_at = rules.PolicyStatus.withdrawn, now
    old.withdrawn_reason = _("Superseded by %(v)s.", v=version.label)
    audit.record(actor, "policy.supersede", ENTITY, version.policy_id, revision=old.revision,
                 by_revision=version.revision)
