"""Work order use cases: create, read (own orders only for technicians), assign, move through the states.

Every change is one conditional UPDATE … WHERE id = :id AND version = :seen, so the database decides
which of two simultaneous writers wins; the loser gets a Conflict naming who changed the order and when.
"""
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import WorkOrder, WorkOrderEvent
from fieldsvc.dispatch.services import helpers, steps
from fieldsvc.dispatch.services.completion import complete_order
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.hse.services import observations
from fieldsvc.labels import label
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require
from fieldsvc.statemachine import Step

# --- reading ----------------------------------------------------------------------------------------

def may_see(actor, order: WorkOrder) -> bool:
    """Dispatchers see every order; a technician only the orders assigned to them, and field staff those they
    help on (read only: helpers have none of the moves); the safety office (read only: it has none of the
    moves) the orders that fed an HSE record, which its inbox links to."""
    if can(actor, P.orders_view_all):
        return True
    if can(actor, P.orders_work) and order.assignee_id == actor.id:
        return True
    if can(actor, P.orders_help) and helpers.is_helper(order.id, actor.id):
        return True
    return observations.fed_by_order(actor, order.id)  # HSE owns that rule: its records link here


def may_see_id(actor, order_id: int) -> bool:
    """For fieldsvc.uploads: photos and signatures are served to whoever may see their order."""
    order = db.session.get(WorkOrder, order_id)
    return order is not None and may_see(actor, order)


def get_order(actor, order_id: int) -> WorkOrder:
    """The order, or NotFound when it does not exist or is another technician's (no existence leak).
    Without the orders permission, the safety office may read an order that fed an HSE record (may_see)."""
    if not can(actor, P.orders_view):
        require(actor, P.hse_manage)
    order = db.session.get(WorkOrder, order_id, options=[joinedload(WorkOrder.customer),
                                                         joinedload(WorkOrder.assignee)])
    if order is None or not may_see(actor, order):
        raise NotFound(_("No such work order."))
    return order


def list_orders(actor, status=None, type_=None, district_id=None, assignee_id=None, customer_id=None,
                parent_id=None, page: int = 1, per_page: int = 50) -> tuple[list[WorkOrder], int]:
    """Orders newest first; a technician gets only their own (and those they help on) whatever the filter says."""
    require(actor, P.orders_view)
    stmt = select(WorkOrder)
    if not can(actor, P.orders_view_all):
        stmt = stmt.where(or_(WorkOrder.assignee_id == actor.id, WorkOrder.id.in_(helpers.helping(actor.id))))
    for column, value in ((WorkOrder.status, status), (WorkOrder.type, type_),
                          (WorkOrder.district_id, district_id), (WorkOrder.assignee_id, assignee_id),
                          (WorkOrder.customer_id, customer_id), (WorkOrder.parent_id, parent_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.options(selectinload(WorkOrder.helper_links)).order_by(WorkOrder.id.desc())
                              .limit(per_page).offset((page - 1) * per_page))
    return list(rows.scalars()), total


def previous_orders(actor, order: WorkOrder, limit: int = 10) -> list[WorkOrder]:
    """What happened at this address before: the customer's (or the same address's) other orders. For whoever
    works or dispatches orders; the safety office reads only the orders its records came from."""
    if not may_see(actor, order):
        raise NotFound()
    if not can(actor, P.orders_view):
        return []
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


# --- create -----------------------------------------------------------------------------------------

def create_order(actor, data: dict) -> WorkOrder:
    """data: type, customer_id or account_no (else address + district_id), priority, description,
    contact_name/phone, deadline (hazard deadline of a rectification), optional assignee_id and helper_ids."""
    require(actor, P.orders_create)
    if data["type"] == rules.OrderType.followup_visit:
        raise Invalid({"type": [_("Follow-up visits are created when a repair or purge-and-ignite is done.")]})
    if data.get("assignee_id"):
        _check_assignee(data["assignee_id"], data["type"])  # before anything is written
    helper_ids = helpers.check(data.get("helper_ids") or [], data.get("assignee_id"))
    order = steps.new_order(actor, data)
    if data.get("assignee_id"):
        assign(actor, order.id, data["assignee_id"], order.version, helper_ids=helper_ids)
    elif helper_ids:
        steps.claim(order, order.version)
        helpers.replace(actor, order, helper_ids)
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
    # RULES.md §1: an expired licence blocks the work it licenses (the suggestions leave them out too).
    licensed, _until = rules.licence_valid_until(user.role, [(q.kind, q.expires_on) for q in user.qualifications],
                                                 clock.today())
    if not licensed:
        raise Invalid({"assignee_id": [_("%(name)s holds no valid licence for this work: renew it first.",
                                         name=user.name)]})
    return user


def assign(actor, order_id: int, assignee_id: int, version: int, note: str | None = None,
           helper_ids: list[int] | None = None) -> WorkOrder:
    """Assign or reassign to a technician whose role fits the type (rules.ROLE_TYPES). `helper_ids` (when
    given) becomes the order's helpers; None leaves them as they are (but drops the new assignee from them)."""
    require(actor, P.orders_assign)
    order = get_order(actor, order_id)
    if order.status not in rules.ASSIGNABLE:
        raise Conflict(_("An order that is %(status)s cannot be assigned.",
                         status=label(order.status, "wo_status")))
    user = _check_assignee(assignee_id, order.type)
    if helper_ids is None:  # unchanged, except that nobody helps on their own job
        helper_ids = [i for i in helpers.ids_of(order) if i != user.id]
    else:
        helper_ids = helpers.check(helper_ids, user.id)
    if version == order.version and order.assignee_id == user.id and order.status == rules.Status.assigned:
        if helpers.differs(order, helper_ids):
            steps.claim(order, version)
            helpers.replace(actor, order, helper_ids)
        return order  # else already so: nothing changes, nothing to record
    steps.claim(order, version)
    from_status = order.status
    action = "reassign" if order.assignee_id else "assign"
    order.assignee_id, order.assignee, order.status = user.id, user, rules.Status.assigned
    steps.record_event(actor, order, action, from_status, note=note)
    helpers.replace(actor, order, helper_ids)
    return order


def cancel_by_rule(actor, order_id: int, note: str) -> WorkOrder | None:
    """Cancel an open order because a rule says so (arrears paid before the shut-off): no permission
    check, the caller's use case was authorised; the reason goes on the order's history. None when the
    order is no longer open (done or already cancelled: nothing to call off)."""
    order = db.session.get(WorkOrder, order_id)
    if order is None or order.status not in rules.OPEN:
        return None
    steps.claim(order, order.version)
    from_status = order.status
    order.status = rules.Status.cancelled
    steps.record_event(actor, order, "cancel", from_status, note=note)
    return order


# --- state changes ----------------------------------------------------------------------------------

def available_moves(actor, order: WorkOrder) -> list[Step]:
    """What the order's page offers this actor: exactly the moves transition() would accept now."""
    return steps.available_moves(actor, order)


def transition(actor, order_id: int, to: str, version: int, lat: Decimal | None = None,
               lng: Decimal | None = None, note: str | None = None, completion: dict | None = None,
               photos: list[bytes] | None = None) -> WorkOrder:
    """Move an order along the state table. Completing goes through completion.complete_order."""
    order = get_order(actor, order_id)
    move = steps.check_move(actor, order, to)
    if move.action == "complete":
        return complete_order(actor, order, version, completion or {}, photos, lat=lat, lng=lng, note=note)
    if move.needs_reason and not (note or "").strip():
        raise Invalid({"note": [_("Please give the reason.")]})
    steps.claim(order, version)
    from_status = order.status
    order.status = to
    if to == rules.Status.on_site:
        order.on_site_at = utcnow()
    if move.action == "reject":  # back to the chief's queue, nobody's job any more
        order.assignee_id, order.assignee = None, None
    steps.record_event(actor, order, move.action, from_status, lat=lat if move.gps else None,
                       lng=lng if move.gps else None, note=note)
    return order

