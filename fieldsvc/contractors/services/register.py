"""The contractor register (相关方名录): licence and its expiry, scope, contact, the staff who supervise
them. An expired licence blocks any work given to the contractor: assert_assignable() is the one check,
used by permits here and by any other domain that gives a contractor work."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from fieldsvc import audit, clock
from fieldsvc.auth.models import User
from fieldsvc.contractors import rules
from fieldsvc.contractors.models import Contractor, ContractorSupervisor
from fieldsvc.contractors.services.common import active_user, paged, required
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.permissions import P, require

ENTITY = "contractor"
FIELDS = ("name", "licence_no", "licence_expires_on", "scope", "contact_name", "contact_phone", "note")


def licence(contractor: Contractor, today: date | None = None) -> str:
    return rules.licence_state(contractor.licence_expires_on, today or clock.today())


def list_contractors(actor, q: str | None = None, state: str | None = None, retired: bool = False,
                     page: int = 1, per_page: int = 50) -> tuple[list[Contractor], int]:
    """The register, by name; `state`: 'expired' or 'expiring' licences only; retired ones only when asked."""
    require(actor, P.contractors_view)
    stmt = select(Contractor)
    if not retired:
        stmt = stmt.where(Contractor.active.is_(True))
    if q and q.strip():
        q = q.strip()  # autoescape: "%" and "_" are looked for as typed
        stmt = stmt.where(or_(*(col.contains(q, autoescape=True) for col in (
            Contractor.name, Contractor.licence_no, Contractor.scope, Contractor.contact_name))))
    today = clock.today()
    if state == "expired":
        stmt = stmt.where(Contractor.licence_expires_on < today)
    elif state == "expiring":
        stmt = stmt.where(Contractor.licence_expires_on >= today,
                          Contractor.licence_expires_on <= date.fromordinal(today.toordinal() + rules.EXPIRING_DAYS))
    return paged(stmt, page, per_page, (Contractor.name,))


def all_active(actor) -> list[Contractor]:
    """Every contractor in the register (for a picker), by name."""
    require(actor, P.contractors_view)
    return list(db.session.execute(select(Contractor).where(Contractor.active.is_(True))
                                   .order_by(Contractor.name)).scalars())


def get_contractor(actor, contractor_id: int) -> Contractor:
    require(actor, P.contractors_view)
    contractor = db.session.get(Contractor, contractor_id)
    if contractor is None:
        raise NotFound(_("No such contractor."))
    return contractor


def find(contractor_id) -> Contractor | None:
    """The contractor by id, without a permission check: for other domains' services that were handed an
    id by their own (already checked) actor, e.g. an external trainee's employer."""
    return db.session.get(Contractor, contractor_id) if contractor_id else None


def choices() -> list[tuple[int, str]]:
    """(id, name) of the contractors in the register, without a permission check: for other domains'
    pickers (an HSE session's external attendees)."""
    rows = db.session.execute(select(Contractor.id, Contractor.name).where(Contractor.active.is_(True))
                              .order_by(Contractor.name))
    return [(i, n) for i, n in rows]


def supervisor_choices() -> list[User]:
    return list(db.session.execute(select(User).where(User.active.is_(True)).order_by(User.role, User.name))
                .scalars())


# --- the one check before any work is given -----------------------------------------------------------

def assert_assignable(contractor: Contractor, valid_from: date, valid_to: date,
                      field: str = "contractor_id", today: date | None = None) -> None:
    """Invalid (naming `field`, or valid_to for a period problem) unless the contractor may work from
    valid_from to valid_to: in the register, with a licence valid today, at the start and to the end."""
    blocker = rules.assignment_blocker(contractor.active, contractor.licence_expires_on, valid_from, valid_to,
                                       today or clock.today())
    if blocker == "inactive":
        raise Invalid({field: [_("%(name)s is no longer in the register.", name=contractor.name)]})
    if blocker == "expired":
        raise Invalid({field: [_("The licence of %(name)s (%(no)s) expired on %(day)s: it cannot be given work.",
                                 name=contractor.name, no=contractor.licence_no,
                                 day=contractor.licence_expires_on.isoformat())]})
    if blocker == "period":
        raise Invalid({"valid_to": [_("The end is before the start.")]})
    if blocker == "outlasts":
        raise Invalid({"valid_to": [_("The licence of %(name)s expires on %(day)s: the work must end by then.",
                                      name=contractor.name, day=contractor.licence_expires_on.isoformat())]})


# --- writing ------------------------------------------------------------------------------------------

def _check_name(name: str, exclude_id: int | None = None) -> None:
    stmt = select(Contractor.id).where(Contractor.name == name)
    if exclude_id:
        stmt = stmt.where(Contractor.id != exclude_id)
    if db.session.execute(stmt).first():
        raise Invalid({"name": [_("A contractor of this name is already registered.")]})


def create_contractor(actor, data: dict) -> Contractor:
    """data: name, licence_no, licence_expires_on, scope; optional contact_name, contact_phone, note,
    supervisor_ids."""
    require(actor, P.contractors_manage)
    required(data, "name", "licence_no", "licence_expires_on", "scope")
    data = {**data, "name": data["name"].strip()}
    _check_name(data["name"])
    contractor = Contractor(active=True, **{k: data.get(k) for k in FIELDS})
    db.session.add(contractor)
    db.session.flush()
    audit.record(actor, "contractor.create", ENTITY, contractor.id, name=contractor.name,
                 licence_no=contractor.licence_no, licence_expires_on=contractor.licence_expires_on)
    if data.get("supervisor_ids"):
        set_supervisors(actor, contractor, data["supervisor_ids"])
    return contractor


def update_contractor(actor, contractor: Contractor, data: dict, lock: int | None = None) -> Contractor:
    require(actor, P.contractors_manage)
    if lock is not None and lock != contractor.version:
        raise Conflict()
    if data.get("name"):
        data = {**data, "name": data["name"].strip()}
        _check_name(data["name"], contractor.id)
    changes = {}
    for key in FIELDS:
        if key not in data:
            continue
        value = data[key]
        if value is None and key in ("name", "licence_no", "licence_expires_on", "scope"):
            continue  # required: left as it was
        if value != getattr(contractor, key):
            changes[key] = [getattr(contractor, key), value]
            setattr(contractor, key, value)
    if changes:
        db.session.flush()
        audit.record(actor, "contractor.update", ENTITY, contractor.id, changes=changes)
    if "supervisor_ids" in data:
        set_supervisors(actor, contractor, data["supervisor_ids"] or [])
    return contractor


def set_supervisors(actor, contractor: Contractor, user_ids) -> None:
    """The staff who supervise this contractor's work (replaces the list)."""
    require(actor, P.contractors_manage)
    wanted = list(dict.fromkeys(int(u) for u in user_ids))
    for user_id in wanted:
        active_user(user_id, "supervisor_ids")
    have = {s.user_id: s for s in contractor.supervisors}
    if set(wanted) == set(have):
        return
    for user_id, row in have.items():
        if user_id not in wanted:
            contractor.supervisors.remove(row)
    for user_id in wanted:
        if user_id not in have:
            contractor.supervisors.append(ContractorSupervisor(user_id=user_id))
    db.session.flush()
    audit.record(actor, "contractor.supervisors", ENTITY, contractor.id, **{"from": sorted(have), "to": wanted})


def set_active(actor, contractor: Contractor, active: bool, lock: int | None = None) -> Contractor:
    """Retire a contractor from the register (kept with its history and permits) or reinstate it."""
    require(actor, P.contractors_manage)
    if lock is not None and lock != contractor.version:
        raise Conflict()
    if contractor.active == active:
        return contractor
    contractor.active = active
    db.session.flush()
    audit.record(actor, "contractor.reinstate" if active else "contractor.retire", ENTITY, contractor.id)
    return contractor

