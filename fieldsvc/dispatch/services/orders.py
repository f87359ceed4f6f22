"""Work order use cases: create, read (own orders only for technicians), assign, move through the states.

Every change is one conditional UPDATE … WHERE id = :id AND version = :seen, so the database decides
which of two simultaneous writers wins; the loser gets a Conflict naming who changed the order and when.
"""
from datetime import datetime
from decimal import Decimal

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from fieldsvc import audit, clock
from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer, District
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import WorkOrder, WorkOrderEvent
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require


class StaleOrder(Conflict):
    """Someone else changed the order since the writer read it."""

    def __init__(self, name: str | None, at: datetime | None):
        self.changed_by, self.changed_at = name, at
        when = format_datetime(at, "short") if at else "?"
        super().__init__(_("Changed by %(name)s at %(time)s — reload.", name=name or _("the system"), time=when))


# --- reading ----------------------------------------------------------------------------------------

def may_see(actor, order: WorkOrder) -> bool:
    """Dispatchers see every order; a technician only the orders assigned to them."""
    if can(actor, P.orders_view_all):
        return True
    return can(actor, P.orders_work) and order.assignee_id == actor.id


def may_see_id(actor, order_id: int) -> bool:
    """For fieldsvc.uploads: photos and signatures are served to whoever may see their order."""
    order = db.session.get(WorkOrder, order_id)
    return order is not None and may_see(actor, order)


def get_order(actor, order_id: int) -> WorkOrder:
    """The order, or NotFound when it does not exist or is another technician's (no existence leak)."""
    require(actor, P.orders_view)
    order = db.session.get(WorkOrder, order_id, options=[joinedload(WorkOrder.customer),
                                                         joinedload(WorkOrder.assignee)])
    if order is None or not may_see(actor, order):
        raise NotFound(_("No such work order."))
    return order


def list_orders(actor, status=None, type_=None, district_id=None, assignee_id=None, customer_id=None,
                parent_id=None, page: int = 1, per_page: int = 50) -> tuple[list[WorkOrder], int]:
    """Orders newest first; a technician gets only their own whatever the filter says."""
    require(actor, P.orders_view)
    stmt = select(WorkOrder)
    if not can(actor, P.orders_view_all):
        stmt = stmt.where(WorkOrder.assignee_id == actor.id)
    for column, value in ((WorkOrder.status, status), (WorkOrder.type, type_),
                          (WorkOrder.district_id, district_id), (WorkOrder.assignee_id, assignee_id),
                          (WorkOrder.customer_id, customer_id), (WorkOrder.parent_id, parent_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.order_by(WorkOrder.id.desc()).limit(per_page).offset((page - 1) * per_page))
    return list(rows.scalars()), total


def previous_orders(actor, order: WorkOrder, limit: int = 10) -> list[WorkOrder]:
    """What happened at this address before: the customer's (or the same address's) other orders."""
    if not may_see(actor, order):
        raise NotFound()
    same = (WorkOrder.customer_id == order.customer_id if order.customer_id
            else WorkOrder.address == order.address)
    stmt = (select(WorkOrder).where(same, WorkOrder.id != order.id, WorkOrder.created_at <= order.created_at)
            .options(joinedload(WorkOrder.completion), joinedload(WorkOrder.assignee))
            .order_by(WorkOrder.created_at.desc()).limit(limit))
    return list(db.session.execute(stmt).unique().scalars())


def children(actor, order: WorkOrder) -> list[WorkOrder]:
    """The orders this one led to (an emergency's repair, a follow-up call) that the actor may see."""
    if not may_see(actor, order):
        raise NotFound()
    rows = db.session.execute(select(WorkOrder).where(WorkOrder.parent_id == order.id).order_by(WorkOrder.id))
    return [o for o in rows.scalars() if may_see(actor, o)]


def history(actor, order: WorkOrder) -> list[WorkOrderEvent]:
    if not may_see(actor, order):
        raise NotFound()
    stmt = (select(WorkOrderEvent).where(WorkOrderEvent.work_order_id == order.id)
            .options(joinedload(WorkOrderEvent.actor), joinedload(WorkOrderEvent.assignee))
            .order_by(WorkOrderEvent.id))
    return list(db.session.execute(stmt).scalars())


# --- writing: the shared steps ----------------------------------------------------------------------

def _stale(order_id: int) -> StaleOrder:
    row = db.session.execute(
        select(User.name, WorkOrderEvent.at).outerjoin(User, User.id == WorkOrderEvent.actor_id)
        .where(WorkOrderEvent.work_order_id == order_id).order_by(WorkOrderEvent.id.desc()).limit(1)).first()
    return StaleOrder(row.name if row else None, row.at if row else None)


def claim(order: WorkOrder, version: int) -> None:
    """Take the order at the version the writer saw, or raise StaleOrder. The database decides."""
    if version != order.version:
        raise _stale(order.id)
    now = utcnow()
    result = db.session.execute(
        update(WorkOrder).where(WorkOrder.id == order.id, WorkOrder.version == version)
        .values(version=version + 1, updated_at=now).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise _stale(order.id)
    set_committed_value(order, "version", version + 1)
    set_committed_value(order, "updated_at", now)


def record_event(actor, order: WorkOrder, action: str, from_status: str | None, lat: Decimal | None = None,
                 lng: Decimal | None = None, note: str | None = None) -> WorkOrderEvent:
    """The order's own history line and the audit entry (who, when, from, to, where, why)."""
    event = WorkOrderEvent(work_order_id=order.id, action=action, from_status=from_status,
                           to_status=order.status, actor_id=getattr(actor, "id", None),
                           assignee_id=order.assignee_id, lat=lat, lng=lng, note=note)
    db.session.add(event)
    db.session.flush()
    audit.record(actor, f"work_order.{action}", "work_order", order.id, from_status=from_status,
                 to_status=order.status, assignee_id=order.assignee_id, lat=lat, lng=lng, note=note,
                 version=order.version)
    return event


# --- create -----------------------------------------------------------------------------------------

def _place(data: dict) -> tuple[Customer | None, int, str]:
    """The customer (by id or account number) and where the job is; a passer-by's call needs an address."""
    customer = None
    if data.get("customer_id"):
        customer = db.session.get(Customer, data["customer_id"])
        if customer is None:
            raise Invalid({"customer_id": [_("No such customer.")]})
    elif data.get("account_no"):
        customer = db.session.execute(select(Customer).where(Customer.account_no == data["account_no"])
                                      ).scalar_one_or_none()
        if customer is None:
            raise Invalid({"account_no": [_("No customer has this account number.")]})
    if customer is not None:
        return customer, customer.district_id, customer.address
    errors = {}
    if not data.get("address"):
        errors["address"] = [_("Give the customer's account number, or the address of the job.")]
    if not data.get("district_id") or db.session.get(District, data["district_id"]) is None:
        errors["district_id"] = [_("Choose the district.")]
    if errors:
        raise Invalid(errors)
    return None, data["district_id"], data["address"]


def due_for(order_type: str, created_at: datetime, deadline=None) -> datetime:
    table = rules.targets(current_app.config.get("DISPATCH_TARGETS"))
    return rules.due_at(order_type, created_at, clock.zone(), table, deadline)


def new_order(actor, data: dict, parent: WorkOrder | None = None) -> WorkOrder:
    """Insert an order (no permission check: create_order and the follow-up rule call this)."""
    customer, district_id, address = _place(data)
    now = utcnow()
    order = WorkOrder(type=data["type"], status=rules.Status.new, priority=data.get("priority") or "normal",
                      customer_id=customer.id if customer else None, district_id=district_id, address=address,
                      contact_name=data.get("contact_name") or (customer.name if customer else None),
                      contact_phone=data.get("contact_phone") or (customer.phone if customer else None),
                      description=data.get("description") or "", created_by_id=getattr(actor, "id", None),
                      parent_id=parent.id if parent else None, created_at=now, updated_at=now, version=1,
                      due_at=due_for(data["type"], now, data.get("deadline")))
    db.session.add(order)
    db.session.flush()
    record_event(actor, order, "create", None, note=data.get("description"))
    return order


def create_order(actor, data: dict) -> WorkOrder:
    """data: type, customer_id or account_no (else address + district_id), priority, description,
    contact_name/phone, deadline (hazard deadline of a rectification), optional assignee_id."""
    require(actor, P.orders_create)
    if data["type"] == rules.OrderType.followup_visit:
        raise Invalid({"type": [_("Follow-up visits are created when a repair or purge-and-ignite is done.")]})
    if data.get("assignee_id"):
        _check_assignee(data["assignee_id"], data["type"])  # before anything is written
    order = new_order(actor, data)
    if data.get("assignee_id"):
        assign(actor, order.id, data["assignee_id"], order.version)
    return order


# --- assign -----------------------------------------------------------------------------------------

def assignable_staff(actor) -> list[User]:
    """Active staff whose role can take some type of order (the board's pickers filter by type)."""
    require(actor, P.orders_assign)
    stmt = (select(User).where(User.active.is_(True), User.role.in_(list(rules.ROLE_TYPES)))
            .order_by(User.role, User.name))
    return list(db.session.execute(stmt).scalars())


def _check_assignee(assignee_id: int, order_type: str) -> User:
    user = db.session.get(User, assignee_id)
    if user is None or not user.active:
        raise Invalid({"assignee_id": [_("No such active member of staff.")]})
    if not rules.may_assign(user.role, order_type):
        raise Invalid({"assignee_id": [_("%(name)s cannot take a %(type)s order.", name=user.name,
                                         type=label(order_type, "wo_type"))]})
    return user


def assign(actor, order_id: int, assignee_id: int, version: int, note: str | None = None) -> WorkOrder:
    """Assign or reassign to a technician whose role fits the type (rules.ROLE_TYPES)."""
    require(actor, P.orders_assign)
    order = get_order(actor, order_id)
    if order.status not in rules.ASSIGNABLE:
        raise Conflict(_("An order that is %(status)s cannot be assigned.",
                         status=label(order.status, "wo_status")))
    user = _check_assignee(assignee_id, order.type)
    if version == order.version and order.assignee_id == user.id and order.status == rules.Status.assigned:
        return order  # already so: nothing changes, nothing to record
    claim(order, version)
    from_status = order.status
    action = "reassign" if order.assignee_id else "assign"
    order.assignee_id, order.assignee, order.status = user.id, user, rules.Status.assigned
    record_event(actor, order, action, from_status, note=note)
    return order


def cancel_by_rule(actor, order_id: int, note: str) -> WorkOrder | None:
    """Cancel an open order because a rule says so (arrears paid before the shut-off): no permission
    check, the caller's use case was authorised; the reason goes on the order's history. None when the
    order is no longer open (done or already cancelled: nothing to call off)."""
    order = db.session.get(WorkOrder, order_id)
    if order is None or order.status not in rules.OPEN:
        return None
    claim(order, order.version)
    from_status = order.status
    order.status = rules.Status.cancelled
    record_event(actor, order, "cancel", from_status, note=note)
    return order


# --- state changes ----------------------------------------------------------------------------------

def check_move(actor, order: WorkOrder, to: str) -> rules.Move:
    """The move from the order's state to `to`, if legal and this actor may make it."""
    move = rules.move(order.type, order.status, to)
    if move is None:
        raise Conflict(_("An order that is %(from)s cannot become %(to)s.",
                         **{"from": label(order.status, "wo_status"), "to": label(to, "wo_status")}))
    if move.by == rules.By.chief:
        permission = P.followup_record if move.action == "complete" else P.orders_assign
        require(actor, permission)
    else:
        require(actor, P.orders_work)
        if order.assignee_id != actor.id:
            raise NotFound(_("No such work order."))
    return move


def transition(actor, order_id: int, to: str, version: int, lat: Decimal | None = None,
               lng: Decimal | None = None, note: str | None = None, completion: dict | None = None,
               photos: list[bytes] | None = None) -> WorkOrder:
    """Move an order along the state table. Completing goes through completion.complete_order."""
    order = get_order(actor, order_id)
    move = check_move(actor, order, to)
    if move.action == "complete":
        from fieldsvc.dispatch.services.completion import complete_order
        return complete_order(actor, order, version, completion or {}, photos, lat=lat, lng=lng, note=note)
    if move.needs_reason and not (note or "").strip():
        raise Invalid({"note": [_("Please give the reason.")]})
    claim(order, version)
    from_status = order.status
    order.status = to
    if to == rules.Status.on_site:
        order.on_site_at = utcnow()
    if move.action == "reject":  # back to the chief's queue, nobody's job any more
        order.assignee_id, order.assignee = None, None
    record_event(actor, order, move.action, from_status, lat=lat if move.gps else None,
                 lng=lng if move.gps else None, note=note)
    return order

