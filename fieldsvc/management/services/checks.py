"""Compliance checks of policies in force: who checked, when, where, what was found — and each finding
raised as a nonconformity in HSE in one step (origin "audit": a check against the department's own
rules is an internal audit in the HSE register's words)."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import audit, clock
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.management.models import Policy, PolicyCheck, PolicyFinding, PolicyVersion
from fieldsvc.management.services.common import installed, required
from fieldsvc.management.services.policies import ENTITY, in_force
from fieldsvc.permissions import P, require

NC_ORIGIN = "audit"
FINDING_ENTITY = "mgmt_policy_finding"


def record_check(actor, policy: Policy, data: dict) -> PolicyCheck:
    """data: checked_on, scope, note, findings [text, …], raise_nc (bool). No finding: compliant."""
    require(actor, P.policies_manage)
    current = in_force(policy)
    if current is None:
        raise Conflict(_("Only a policy in force can be checked."))
    required(data, "checked_on", "scope")
    if data["checked_on"] > clock.today():
        raise Invalid({"checked_on": [_("The date cannot be in the future.")]})
    findings = [f.strip() for f in data.get("findings") or [] if f and f.strip()]
    check = PolicyCheck(policy_id=policy.id, version_id=current.id, checked_by=actor.id,
                        checked_on=data["checked_on"], scope=data["scope"], note=data.get("note"),
                        result="findings" if findings else "compliant")
    db.session.add(check)
    db.session.flush()
    for text in findings:
        db.session.add(PolicyFinding(check_id=check.id, description=text))
    db.session.flush()
    audit.record(actor, "policy.check", ENTITY, policy.id, check_id=check.id, checked_on=check.checked_on,
                 scope=check.scope, result=check.result, findings=findings)
    if findings and data.get("raise_nc"):
        for finding in check.findings:
            raise_finding(actor, finding)
    return check


def get_finding(actor, finding_id: int) -> PolicyFinding:
    require(actor, P.policies_manage)
    finding = db.session.get(PolicyFinding, finding_id)
    if finding is None:
        raise NotFound()
    return finding


def raise_finding(actor, finding: PolicyFinding):
    """Raise the finding as an HSE nonconformity (once); returns it."""
    require(actor, P.policies_manage)
    if not installed("hse"):
        raise Conflict(_("The HSE module is not installed."))
    from fieldsvc.hse.services import capa
    if finding.nonconformity_id is not None:
        return capa.get(actor, finding.nonconformity_id)
    check = finding.check
    policy = check.policy
    title = _("%(number)s %(title)s: %(finding)s", number=policy.number, title=policy.title,
              finding=finding.description)[:200]
    description = _("Compliance check of %(date)s (%(scope)s) by %(name)s found: %(finding)s",
                    date=check.checked_on.isoformat(), scope=check.scope, name=check.checker.name,
                    finding=finding.description)
    nc = capa.raise_from_field(actor, NC_ORIGIN, FINDING_ENTITY, finding.id, title, description)
    finding.nonconformity_id = nc.id
    db.session.flush()
    audit.record(actor, "policy.finding_raised", ENTITY, policy.id, finding_id=finding.id,
                 nonconformity_id=nc.id, number=nc.number)
    return nc


def nonconformities(actor, ids: list[int]) -> dict[int, object]:
    """The HSE nonconformities by id (for their number and state), or {} without HSE."""
    ids = [i for i in ids if i]
    if not ids or not installed("hse"):
        return {}
    from fieldsvc.hse.models import Nonconformity
    return {nc.id: nc for nc in db.session.execute(select(Nonconformity).where(Nonconformity.id.in_(ids))).scalars()}


def overdue_reviews(actor, today: date | None = None) -> list:
    """Policies in force whose review date has passed (the owners' reminder)."""
    require(actor, P.policies_manage)
    today = today or clock.today()
    stmt = (select(PolicyVersion).where(PolicyVersion.status == "in_force", PolicyVersion.review_on < today)
            .order_by(PolicyVersion.review_on))
    return list(db.session.execute(stmt).scalars())
