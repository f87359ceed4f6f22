"""The steps every work-order write is made of: take the order at the version seen (`claim`), write its
history line (`record_event`), insert an order (`new_order`), check a move (`check_move`).

Shared by orders.py (create, assign, move) and completion.py (complete), and called by other domains'
services that open an order inside their own use case (a hazard's rectification, a complaint's visit).
Nothing here imports another dispatch service, so neither of those modules needs the other.
"""
from datetime import datetime
from decimal import Decimal

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from fieldsvc import audit, clock
from fieldsvc.auth.models import User
from fieldsvc.calendar import services as calendar
from fieldsvc.customers.models import Customer, District
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import WorkOrder, WorkOrderEvent
from fieldsvc.dispatch.services.helpers import is_helper  # helpers.py imports nothing of the services
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotFound
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require
from fieldsvc.statemachine import Step, permitted


class StaleOrder(Conflict):
    """Someone else changed the order since the writer read it."""

    def __init__(self, name: str | None, at: datetime | None):
        self.changed_by, self.changed_at = name, at
        when = format_datetime(at, "short") if at else "?"
        super().__init__(_("Changed by %(name)s at %(time)s — reload.", name=name or _("the system"), time=when))


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


# --- a new order ------------------------------------------------------------------------------------

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
    """When an order of this type made at `created_at` is due (the configured targets, the local calendar;
    a follow-up visit's next working day on the working-day calendar)."""
    table = rules.targets(current_app.config.get("DISPATCH_TARGETS"))
    overrides = None
    if order_type == rules.OrderType.followup_visit:
        overrides = calendar.working_day_overrides(created_at.astimezone(clock.zone()).date(), 1)
    return rules.due_at(order_type, created_at, clock.zone(), table, deadline, overrides)


def new_order(actor, data: dict, parent: WorkOrder | None = None) -> WorkOrder:
    """Insert an order (no permission check: create_order and the rules that open orders call this)."""
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


# --- a move -----------------------------------------------------------------------------------------

def authorise_move(actor, order: WorkOrder, move: rules.Move) -> None:
    """Refuse unless this actor may make this move on this order: the chief's moves need the chief's
    permission (recording a follow-up call its own), the technician's only the assigned technician: a helper
    reads the order but is refused its moves (403, not 404: they may see it)."""
    if move.by == rules.By.chief:
        permission = P.followup_record if move.action == "complete" else P.orders_assign
        require(actor, permission)
    else:
        require(actor, P.orders_work)
        if order.assignee_id != actor.id:
            if is_helper(order.id, actor.id):
                raise NotAllowed(_("Only the assigned technician moves this order; you are helping on it."))
            raise NotFound(_("No such work order."))


def check_move(actor, order: WorkOrder, to: str) -> rules.Move:
    """The move from the order's state to `to`, if legal and this actor may make it."""
    move = rules.move(order.type, order.status, to)
    if move is None:
        raise Conflict(_("An order that is %(from)s cannot become %(to)s.",
                         **{"from": label(order.status, "wo_status"), "to": label(to, "wo_status")}))
    authorise_move(actor, order, move)
    return move


def available_moves(actor, order: WorkOrder) -> list[Step]:
    """The moves this actor may make on the order now (what its page offers): exactly those check_move accepts."""
    return rules.machine(order.type).allowed(order.status, permitted(lambda move: authorise_move(actor, order, move)))
