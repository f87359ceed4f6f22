"""Customer change requests (过户, 销户, change of use category): request, approve (applies it), reject.

Nothing changes on the customer while a request waits. Approval applies it in the request's one
transaction: a transfer sets the new name and phone; a closing records the final reading (readings),
blocks the cards (cardsales), shuts the gas off at the customer's request and closes the account; a
category change sets the new category, which prices gas from its effective date on (`category_on`,
used by billing and the card desk). Other domains are reached through their services, never their tables.

Who sees which request: the director and the counter (card clerk) every one; a station chief those of
their own district (another district's → 404, so existence does not leak). A request is approved by the
director or the chief of the customer's district, and never by the one who requested it.
"""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from fieldsvc import audit, clock, uploads
from fieldsvc.customers import rules
from fieldsvc.customers.change_models import CustomerChange
from fieldsvc.customers.models import Customer, Meter
from fieldsvc.customers.services.supply import set_status, set_supply
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, Role, can, require

ENTITY = "customer_change"
MAX_ID = 2**31 - 1
OWN_DISTRICT = frozenset({Role.station_chief})


# --- who sees what -------------------------------------------------------------------------------------

def _district_of(actor) -> int | None:
    """The one district the actor is limited to (a station chief), or None for every district; -1 for a
    chief with no district (sees nothing)."""
    if actor.role in OWN_DISTRICT:
        return actor.district_id if actor.district_id is not None else -1
    return None


def may_see(actor, change: CustomerChange) -> bool:
    if not can(actor, P.customer_changes_view):
        return False
    district = _district_of(actor)
    return district is None or change.customer.district_id == district


def may_see_id(actor, change_id: int) -> bool:
    """For fieldsvc.uploads: the ID document photo is served to whoever may see the request."""
    change = db.session.get(CustomerChange, change_id) if 0 < change_id <= MAX_ID else None
    return change is not None and may_see(actor, change)


def _visible(actor, stmt):
    require(actor, P.customer_changes_view)
    stmt = stmt.join(Customer, Customer.id == CustomerChange.customer_id)
    district = _district_of(actor)
    return stmt if district is None else stmt.where(Customer.district_id == district)


def get_change(actor, change_id: int) -> CustomerChange:
    require(actor, P.customer_changes_view)
    change = db.session.get(CustomerChange, change_id) if 0 < change_id <= MAX_ID else None
    if change is None or not may_see(actor, change):
        raise NotFound(_("No such change request."))
    return change


def _filtered(actor, q: str | None, status: str | None, kind: str | None):
    stmt = _visible(actor, select(CustomerChange))
    if status:
        stmt = stmt.where(CustomerChange.status == status)
    if kind:
        stmt = stmt.where(CustomerChange.kind == kind)
    if q and q.strip():
        text = q.strip()
        stmt = stmt.where(or_(Customer.account_no.startswith(text, autoescape=True),
                              Customer.name.contains(text, autoescape=True),
                              CustomerChange.new_name.contains(text, autoescape=True),
                              Customer.phone.startswith(text, autoescape=True),
                              CustomerChange.new_phone.startswith(text, autoescape=True)))
    return stmt


def list_changes(actor, q: str | None = None, status: str | None = None, kind: str | None = None,
                 page: int = 1, per_page: int = 50) -> tuple[list[CustomerChange], int]:
    """Requests newest first; `q` finds an account number, a name (old or new) or a phone."""
    stmt = _filtered(actor, q, status, kind)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.order_by(CustomerChange.requested_at.desc(), CustomerChange.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).scalars()
    return list(rows), total


def all_changes(actor, q: str | None = None, status: str | None = None, kind: str | None = None,
                limit: int = 10_000) -> list[CustomerChange]:
    stmt = _filtered(actor, q, status, kind)
    return list(db.session.execute(stmt.order_by(CustomerChange.requested_at, CustomerChange.id)
                                   .limit(limit)).scalars())


def pending_for(actor, customer: Customer) -> list[CustomerChange]:
    """The customer's requests waiting for approval, for the customer page (none for those who may not see them)."""
    if not can(actor, P.customer_changes_view):
        return []
    rows = db.session.execute(select(CustomerChange).where(
        CustomerChange.customer_id == customer.id, CustomerChange.status == rules.ChangeStatus.requested)
        .order_by(CustomerChange.id)).scalars()
    return [c for c in rows if may_see(actor, c)]


def available_moves(actor, change: CustomerChange) -> dict:
    """What the request's page offers this user: approve and reject (the same rule)."""
    may = (change.status == rules.ChangeStatus.requested and can(actor, P.customer_changes_approve)
           and may_see(actor, change) and change.requested_by_id != actor.id)
    return {"approve": may, "reject": may}


def awaiting_figures(actor) -> dict:
    """For the home card of those who decide, asked with every card's figures: requests waiting in their reach
    that someone else made."""
    stmt = _visible(actor, select(func.count(CustomerChange.id))).where(
        CustomerChange.status == rules.ChangeStatus.requested, CustomerChange.requested_by_id != actor.id)
    return {"waiting": stmt}


def awaiting_card(actor, figures: dict) -> dict | None:
    return {"waiting": figures["waiting"]} if figures["waiting"] else None


# --- request ---------------------------------------------------------------------------------------------

def _customer_for_request(actor, customer_id, account_no: str | None = None) -> Customer:
    """The customer by id (API) or account number (the counter's form), in the actor's area."""
    field = "customer_id" if customer_id or not account_no else "account_no"
    if isinstance(customer_id, int) and 0 < customer_id <= MAX_ID:
        customer = db.session.get(Customer, customer_id)
    elif account_no:
        customer = db.session.execute(select(Customer).where(Customer.account_no == account_no)).scalar_one_or_none()
    else:
        customer = None
    district = _district_of(actor)
    if customer is None or (district is not None and customer.district_id != district):
        raise Invalid({field: [_("No such customer in your area.")]})
    if customer.status == rules.CustomerStatus.closed:
        raise Invalid({"customer_id": [_("This account is closed: no further change can be requested.")]})
    return customer


def installed_meters(customer_id: int) -> list[Meter]:
    return list(db.session.execute(select(Meter).where(Meter.customer_id == customer_id,
                                                       Meter.status == "installed")
                                   .order_by(Meter.installed_on, Meter.id)).scalars())


def _check_kind(customer: Customer, kind: str, data: dict, photo: bytes | None) -> None:
    errors = {field: [_("This is needed for this kind of request.")]
              for field in rules.CHANGE_REQUIRES[kind] if data.get(field) in (None, "")}
    if kind == rules.ChangeKind.transfer:
        if not photo:
            errors["id_photo"] = [_("Take a photo of the new owner's ID document.")]
        if data.get("new_name") and data["new_name"] == customer.name and data.get("new_phone") == customer.phone:
            errors["new_name"] = [_("The new owner's name and phone are the same as now.")]
    elif kind == rules.ChangeKind.close:
        if installed_meters(customer.id) and data.get("final_reading") is None:
            errors["final_reading"] = [_("Read the meter: the final reading closes the account's billing.")]
    elif kind == rules.ChangeKind.category_change:
        if data.get("new_category") == customer.category:
            errors["new_category"] = [_("The customer is already in this category.")]
        if data.get("effective_on") is not None and data["effective_on"] < clock.today():
            errors["effective_on"] = [_("A change of category counts from today or a later date, not the past.")]
    if errors:
        raise Invalid(errors)


def _check_none_open(customer: Customer, kind: str) -> None:
    stmt = select(CustomerChange.id).where(CustomerChange.customer_id == customer.id, CustomerChange.kind == kind,
                                           CustomerChange.status == rules.ChangeStatus.requested)
    if db.session.execute(stmt).first() is not None:
        raise Conflict(_("Account %(no)s already has a request of this kind waiting for approval.",
                         no=customer.account_no))


FIELDS = ("new_name", "new_phone", "final_reading", "close_reason", "new_category", "effective_on", "note")


def request_change(actor, data: dict, photo: bytes | None = None) -> CustomerChange:
    """data: customer_id (or account_no), kind, and per kind: transfer new_name, new_phone (+ the ID document photo);
    close close_reason, final_reading (when a meter is installed); category_change new_category,
    effective_on. Nothing on the customer changes until it is approved."""
    require(actor, P.customer_changes_request)
    customer = _customer_for_request(actor, data.get("customer_id"), data.get("account_no"))
    kind = rules.ChangeKind(data["kind"])
    _check_kind(customer, kind, data, photo)
    _check_none_open(customer, kind)
    change = CustomerChange(customer_id=customer.id, kind=kind, status=rules.ChangeStatus.requested,
                            requested_by_id=actor.id, requested_at=utcnow(), before={},
                            **{k: data.get(k) for k in FIELDS if k in rules.CHANGE_FIELDS[kind] or k == "note"})
    db.session.add(change)
    db.session.flush()
    if photo and kind == rules.ChangeKind.transfer:
        change.id_photo_id = uploads.save_image(actor, photo, entity=ENTITY, entity_id=change.id, field="id_photo").id
        db.session.flush()
    audit.record(actor, "customer_change.request", "customer", customer.id, change_id=change.id, kind=kind,
                 **{k: getattr(change, k) for k in rules.CHANGE_FIELDS[kind]})
    return change


# --- decide ----------------------------------------------------------------------------------------------

def _open_for_decision(actor, change_id: int, version: int | None) -> CustomerChange:
    require(actor, P.customer_changes_approve)
    change = get_change(actor, change_id)
    if version is not None and version != change.version:
        raise Conflict()
    if change.status != rules.ChangeStatus.requested:
        raise Conflict(_("This request was already decided."))
    if change.requested_by_id == actor.id:
        raise Conflict(_("Someone else must approve or reject a request you made."))
    return change


def approve(actor, change_id: int, data: dict | None = None, version: int | None = None) -> CustomerChange:
    """Approve and apply the request in this one transaction. data (closing only, optional): final_reading
    (replaces the one given with the request), confirm and reason (a flagged final reading)."""
    change = _open_for_decision(actor, change_id, version)
    data = data or {}
    customer = change.customer
    if customer.status == rules.CustomerStatus.closed:
        raise Conflict(_("This account is closed: the request can only be rejected."))
    {rules.ChangeKind.transfer: _apply_transfer, rules.ChangeKind.close: _apply_close,
     rules.ChangeKind.category_change: _apply_category}[change.kind](actor, change, customer, data)
    change.status, change.decided_by_id, change.decided_at = rules.ChangeStatus.approved, actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "customer_change.approve", "customer", customer.id, change_id=change.id, kind=change.kind,
                 before=change.before)
    return change


def _changed(actor, customer: Customer, change: CustomerChange, values: dict) -> None:
    change.before = {k: getattr(customer, k) for k in values}
    for key, value in values.items():
        setattr(customer, key, value)
    db.session.flush()
    audit.record(actor, "customer.update", "customer", customer.id, change_id=change.id,
                 changes={k: [change.before[k], v] for k, v in values.items()})


def _apply_transfer(actor, change: CustomerChange, customer: Customer, data: dict) -> None:
    _changed(actor, customer, change, {"name": change.new_name, "phone": change.new_phone})


def _apply_category(actor, change: CustomerChange, customer: Customer, data: dict) -> None:
    # A date that passed while the request waited counts from the approval: bills already issued stand.
    change.effective_on = max(change.effective_on, clock.today())
    _changed(actor, customer, change, {"category": change.new_category})


def _apply_close(actor, change: CustomerChange, customer: Customer, data: dict) -> None:
    from fieldsvc.cardsales.services import cards
    from fieldsvc.readings.services import recording
    change.before = {"status": customer.status, "supply": customer.supply, "supply_reason": customer.supply_reason}
    if data.get("final_reading") is not None:
        change.final_reading = data["final_reading"]
    meters = installed_meters(customer.id)
    if meters and change.final_reading is None:
        raise Invalid({"final_reading": [_("Read the meter: the final reading closes the account's billing.")]})
    if meters:
        reading = recording.record_final(actor, meters[0], change.final_reading, confirm=bool(data.get("confirm")),
                                         reason=data.get("reason"))
        change.before["final_reading_id"] = reading.id
    cards.deactivate_for_closure(actor, customer.id, change.close_reason or _("Account closed"))
    set_supply(actor, customer, rules.Supply.shut_off, rules.SupplyReason.request,
               note=_("Account closed (change request %(id)s)", id=change.id))
    set_status(actor, customer, rules.CustomerStatus.closed)


def reject(actor, change_id: int, reason: str, version: int | None = None) -> CustomerChange:
    """Refuse the request with a reason; nothing on the customer changes."""
    change = _open_for_decision(actor, change_id, version)
    if not (reason or "").strip():
        raise Invalid({"reason": [_("Say why the request is rejected.")]})
    change.status, change.decided_by_id, change.decided_at = rules.ChangeStatus.rejected, actor.id, utcnow()
    change.reject_reason = reason.strip()[:500]
    db.session.flush()
    audit.record(actor, "customer_change.reject", "customer", change.customer_id, change_id=change.id,
                 kind=change.kind, reason=change.reject_reason)
    return change


# --- the category that prices gas on a day ---------------------------------------------------------------

def category_on(customer: Customer, day: date) -> str:
    """The customer's use category on `day`, after the approved category changes (rules.category_on).
    Billing and the card desk price gas with it."""
    rows = db.session.execute(select(CustomerChange.effective_on, CustomerChange.before, CustomerChange.new_category)
                              .where(CustomerChange.customer_id == customer.id,
                                     CustomerChange.kind == rules.ChangeKind.category_change,
                                     CustomerChange.status == rules.ChangeStatus.approved)).all()
    changes = [(on, (before or {}).get("category") or new, new) for on, before, new in rows if on is not None]
    return rules.category_on(customer.category, changes, day)
