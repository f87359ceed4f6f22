"""Penalties on the person responsible for a complaint (处罚责任者): a fine and/or a measure, who decided
and when. Only the director records and sees them: the complaint page shows the section only when
`may_see` says so, the complaint's API output never carries them, and the ledger adds its column only
for the director. Penalties are never deleted (the audit trail keeps each one)."""
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fieldsvc import audit, clock
from fieldsvc.complaints.models import Complaint, ComplaintPenalty
from fieldsvc.complaints.services import access
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.permissions import P, can, require


def may_see(actor) -> bool:
    return can(actor, P.complaint_penalties)


def visible_for(actor, complaint: Complaint) -> list[ComplaintPenalty] | None:
    """The complaint's penalties for the director; None for everyone else (the page shows no section)."""
    if not may_see(actor):
        return None
    return list_for(actor, complaint.id)


def list_for(actor, complaint_id: int) -> list[ComplaintPenalty]:
    require(actor, P.complaint_penalties)
    access.get_complaint(actor, complaint_id)
    stmt = (select(ComplaintPenalty).where(ComplaintPenalty.complaint_id == complaint_id)
            .options(joinedload(ComplaintPenalty.person), joinedload(ComplaintPenalty.decided_by))
            .order_by(ComplaintPenalty.decided_on, ComplaintPenalty.id))
    return list(db.session.execute(stmt).scalars())


def by_complaint(actor, complaint_ids: list[int]) -> dict[int, list[ComplaintPenalty]]:
    """For the ledger: every penalty of these complaints (an empty dict for those who may not see them)."""
    if not may_see(actor) or not complaint_ids:
        return {}
    out: dict[int, list[ComplaintPenalty]] = {}
    stmt = (select(ComplaintPenalty).where(ComplaintPenalty.complaint_id.in_(complaint_ids))
            .options(joinedload(ComplaintPenalty.person)).order_by(ComplaintPenalty.id))
    for p in db.session.execute(stmt).scalars():
        out.setdefault(p.complaint_id, []).append(p)
    return out


def record(actor, complaint_id: int, data: dict) -> ComplaintPenalty:
    """data: amount (yuan) and/or measure, decided_on (default today, not in the future), note. The person
    is the complaint's responsible person (recorded with the findings); `person_id`, when given, must be them."""
    require(actor, P.complaint_penalties)
    complaint = access.get_complaint(actor, complaint_id)
    errors = {}
    if complaint.responsible_id is None:
        errors["person_id"] = [_("Record the responsible person with the findings first.")]
    elif data.get("person_id") is not None and data["person_id"] != complaint.responsible_id:
        errors["person_id"] = [_("A penalty is recorded against the complaint's responsible person.")]
    amount = None if data.get("amount") is None else Decimal(str(data["amount"]))
    measure = (data.get("measure") or "").strip() or None
    if amount is None and measure is None:
        errors["amount"] = [_("Give a fine, a measure, or both.")]
    elif amount is not None and amount <= 0:
        errors["amount"] = [_("A fine is more than 0 yuan.")]
    decided_on: date = data.get("decided_on") or clock.today()
    if decided_on > clock.today():
        errors["decided_on"] = [_("The decision date cannot be in the future.")]
    if errors:
        raise Invalid(errors)
    penalty = ComplaintPenalty(complaint_id=complaint.id, person_id=complaint.responsible_id, amount=amount,
                               measure=measure, decided_by_id=actor.id, decided_on=decided_on,
                               note=(data.get("note") or None))
    db.session.add(penalty)
    db.session.flush()
    audit.record(actor, "complaint.penalty", "complaint", complaint.id, penalty_id=penalty.id,
                 person_id=penalty.person_id, amount=amount, measure=measure, decided_on=decided_on)
    return penalty
