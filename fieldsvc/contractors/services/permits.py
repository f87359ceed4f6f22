"""Permits for a contractor's work on customer premises: the contractor, the customer or address, the
work, valid from–to, who issued it, its status (issued → work finished | cancelled).

Issuing or changing a permit runs register.assert_assignable: an expired licence (or one that runs out
before the work ends) is refused with 422 naming the field. A station chief issues and sees permits of
their own district only (404 for another's); the safety office and the director see every district."""
from flask_babel import gettext as _
from sqlalchemy import or_, select

from fieldsvc import audit, clock
from fieldsvc.contractors import rules
from fieldsvc.contractors.models import Contractor, Permit
from fieldsvc.contractors.services import register
from fieldsvc.contractors.services.common import active_user, paged, required
from fieldsvc.customers.models import Customer, District
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require

ENTITY = "contractor_permit"
FIELDS = ("address", "work", "valid_from", "valid_to", "supervisor_id")
NOBODY = -1  # a chief with no district sees no permits


def district_scope(actor) -> int | None:
    """None: every district (whoever keeps the register); else the one district the actor works in."""
    if can(actor, P.contractors_manage):
        return None
    return actor.district_id or NOBODY


def list_permits(actor, q: str | None = None, status: str | None = None, contractor_id: int | None = None,
                 page: int = 1, per_page: int = 50) -> tuple[list[Permit], int]:
    require(actor, P.contractors_view)
    stmt = select(Permit)
    scope = district_scope(actor)
    if scope is not None:
        stmt = stmt.where(Permit.district_id == scope)
    if status in rules.PERMIT_STATUSES:
        stmt = stmt.where(Permit.status == status)
    if contractor_id:
        stmt = stmt.where(Permit.contractor_id == contractor_id)
    if q and q.strip():
        q = q.strip()
        stmt = stmt.join(Contractor, Contractor.id == Permit.contractor_id).where(or_(*(
            col.contains(q, autoescape=True) for col in (Permit.number, Permit.address, Permit.work, Contractor.name))))
    return paged(stmt, page, per_page, (Permit.valid_from.desc(), Permit.id.desc()))


def get_permit(actor, permit_id: int) -> Permit:
    require(actor, P.contractors_view)
    permit = db.session.get(Permit, permit_id)
    scope = district_scope(actor)
    if permit is None or (scope is not None and permit.district_id != scope):
        raise NotFound(_("No such permit."))
    return permit


def may_manage(actor, permit: Permit | None = None) -> bool:
    """What the pages offer: issue a permit, or change and close this one."""
    if not can(actor, P.permits_manage):
        return False
    scope = district_scope(actor)
    return permit is None or scope is None or permit.district_id == scope


def _where(actor, data: dict, permit: Permit | None) -> tuple[int | None, str, int | None]:
    """(customer_id, address, district_id): the customer's address and district when a customer is given;
    a chief's permit is always in the chief's district."""
    customer_id = data.get("customer_id", permit.customer_id if permit else None)
    address = data.get("address") or (permit.address if permit else None)
    district_id = data.get("district_id") or (permit.district_id if permit else None)
    if customer_id:
        customer = db.session.get(Customer, customer_id)
        if customer is None:
            raise Invalid({"customer_id": [_("No such customer.")]})
        address = data.get("address") or customer.address
        district_id = customer.district_id
    scope = district_scope(actor)
    if scope is not None:
        if district_id and district_id != scope:
            raise Invalid({"customer_id" if customer_id else "district_id":
                           [_("Only work in your own district can be permitted here.")]})
        district_id = scope
    if not address:
        raise Invalid({"address": [_("Give the customer or the address.")]})
    if not district_id or db.session.get(District, district_id) is None:
        raise Invalid({"district_id": [_("Choose the district.")]})
    return customer_id or None, address, district_id


def _check_supervisor(data: dict) -> None:
    if data.get("supervisor_id"):
        active_user(data["supervisor_id"], "supervisor_id")


def issue_permit(actor, data: dict) -> Permit:
    """data: contractor_id, customer_id or address (+ district_id), work, valid_from, valid_to, optional
    supervisor_id (default: the contractor's first supervisor)."""
    require(actor, P.permits_manage)
    required(data, "contractor_id", "work", "valid_from", "valid_to")
    contractor = register.find(data["contractor_id"])
    if contractor is None:
        raise Invalid({"contractor_id": [_("No such contractor.")]})
    register.assert_assignable(contractor, data["valid_from"], data["valid_to"])
    customer_id, address, district_id = _where(actor, data, None)
    _check_supervisor(data)
    supervisor_id = data.get("supervisor_id") or (contractor.supervisors[0].user_id if contractor.supervisors else None)
    permit = Permit(contractor_id=contractor.id, customer_id=customer_id, address=address, district_id=district_id,
                    work=data["work"], valid_from=data["valid_from"], valid_to=data["valid_to"],
                    supervisor_id=supervisor_id, status="issued", issued_by=actor.id, issued_at=utcnow())
    db.session.add(permit)
    db.session.flush()
    permit.number = f"XK{clock.today().year}-{permit.id:05d}"
    db.session.flush()
    audit.record(actor, "permit.issue", ENTITY, permit.id, number=permit.number, contractor_id=contractor.id,
                 customer_id=customer_id, address=address, valid_from=permit.valid_from, valid_to=permit.valid_to)
    return permit


def _editable(actor, permit: Permit, lock: int | None) -> None:
    require(actor, P.permits_manage)
    if not may_manage(actor, permit):
        raise NotFound(_("No such permit."))
    if lock is not None and lock != permit.version:
        raise Conflict()
    if permit.status != "issued":
        raise Conflict(_("This permit is closed: it can no longer change."))


def update_permit(actor, permit: Permit, data: dict, lock: int | None = None) -> Permit:
    """Change the work, the place or the period (the licence is checked again for the new period)."""
    _editable(actor, permit, lock)
    valid_from = data.get("valid_from") or permit.valid_from
    valid_to = data.get("valid_to") or permit.valid_to
    if (valid_from, valid_to) != (permit.valid_from, permit.valid_to):
        register.assert_assignable(permit.contractor, valid_from, valid_to)
    customer_id, address, district_id = _where(actor, data, permit)
    _check_supervisor(data)
    new = {"customer_id": customer_id, "address": address, "district_id": district_id, "valid_from": valid_from,
           "valid_to": valid_to, "work": data.get("work") or permit.work,
           "supervisor_id": data.get("supervisor_id", permit.supervisor_id)}
    changes = {k: [getattr(permit, k), v] for k, v in new.items() if v != getattr(permit, k)}
    for key, (_before, after) in changes.items():
        setattr(permit, key, after)
    if changes:
        db.session.flush()
        audit.record(actor, "permit.update", ENTITY, permit.id, changes=changes)
    return permit


def finish(actor, permit: Permit, to: str, note: str | None, lock: int | None = None) -> Permit:
    """issued → closed (the work is finished) or cancelled (a reason is required)."""
    _editable(actor, permit, lock)
    if to not in ("closed", "cancelled"):
        raise Invalid({"to": [_("Must be one of: %(values)s.", values="closed, cancelled")]})
    note = (note or "").strip() or None
    if to == "cancelled" and not note:
        raise Invalid({"note": [_("Give a reason.")]})
    permit.status, permit.close_note, permit.closed_by, permit.closed_at = to, note, actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "permit.close" if to == "closed" else "permit.cancel", ENTITY, permit.id, note=note)
    return permit
