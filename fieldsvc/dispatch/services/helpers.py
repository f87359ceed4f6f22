"""Helpers on work orders: a second person on the job (a two-person repair, the meter reader who helps the
repair technician purge and light a new customer's supply — the charter's 协同维修员对片区内新增用户的置换通气工作).

A helper sees the order in their jobs and on its page and is named on the job sheet; only the assignee moves
it. Helpers are active field staff (people whose work takes them into a customer's home: P.orders_help),
never the assignee. The rows are written here only, each change on the order's history and in the audit.
Nothing here imports another dispatch service (orders.py and board.py both call in).
"""
from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldsvc import audit
from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import WorkOrder, WorkOrderEvent, WorkOrderHelper
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.permissions import WHO_MAY, P

MAX_HELPERS = 5
FIELD = "helper_ids"
# Order types for which the district's meter reader is the natural helper (the charter's 置换通气).
READER_HELPS = frozenset({rules.OrderType.purge_ignition})


def helper_roles() -> list[str]:
    return sorted(r.value for r in WHO_MAY.get(P.orders_help, frozenset()))


def candidates() -> list[User]:
    """Who may be named a helper: active staff in a field role (one query)."""
    stmt = (select(User).where(User.active.is_(True), User.role.in_(helper_roles()))
            .order_by(User.role, User.name))
    return list(db.session.execute(stmt).scalars())


def suggested(order_type: str | None, district_id: int | None) -> list[User]:
    """For a purge-and-ignite, the meter readers of the customer's district: they know the new customers of
    their area and the charter has them assist the repair technician there."""
    if order_type not in READER_HELPS or not district_id:
        return []
    stmt = (select(User).where(User.active.is_(True), User.role == "meter_reader", User.district_id == district_id)
            .order_by(User.name))
    return list(db.session.execute(stmt).scalars())


def suggested_for(order_type: str | None, account_no: str | None = None, district_id: int | None = None) -> list[User]:
    """The same for the new-order form: the district of the customer typed so far, else the district chosen."""
    if order_type not in READER_HELPS:
        return []
    if account_no:
        found = db.session.execute(select(Customer.district_id).where(Customer.account_no == account_no)).scalar()
        district_id = found or district_id
    return suggested(order_type, district_id)


def ids_of(order: WorkOrder) -> list[int]:
    return [link.user_id for link in order.helper_links]


def helpers_of(order: WorkOrder) -> list[User]:
    """The order's helpers, first added first."""
    return [link.user for link in order.helper_links]


def is_helper(order_id: int, user_id: int | None) -> bool:
    if not user_id:
        return False
    return db.session.get(WorkOrderHelper, (order_id, user_id)) is not None


def helping(user_id: int):
    """The ids of the orders this person helps on, as a subquery for `WorkOrder.id.in_(…)`."""
    return select(WorkOrderHelper.order_id).where(WorkOrderHelper.user_id == user_id)


def open_counts(user_ids: list[int]) -> dict[int, int]:
    """Open orders each person helps on (their load besides their own list): one grouped query."""
    if not user_ids:
        return {}
    stmt = (select(WorkOrderHelper.user_id, func.count())
            .join(WorkOrder, WorkOrder.id == WorkOrderHelper.order_id)
            .where(WorkOrderHelper.user_id.in_(user_ids), WorkOrder.status.in_(sorted(rules.ON_LIST)))
            .group_by(WorkOrderHelper.user_id))
    return {u: int(n) for u, n in db.session.execute(stmt)}


def check(ids, assignee_id: int | None) -> list[int]:
    """The helper ids to store, or Invalid naming helper_ids: each an active field worker, not the assignee;
    duplicates count once. `ids` arrives through the schema (a list of integers), but is checked again here."""
    if not isinstance(ids, list | tuple) or any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise Invalid({FIELD: [_("Choose the helpers from the list.")]})
    unique = list(dict.fromkeys(ids))
    if len(unique) > MAX_HELPERS:
        raise Invalid({FIELD: [_("At most %(n)d helpers on one order.", n=MAX_HELPERS)]})
    if not unique:
        return []
    users = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(unique))).scalars()}
    roles = set(helper_roles())
    for user_id in unique:
        user = users.get(user_id)
        if user is None or not user.active:
            raise Invalid({FIELD: [_("No such active member of staff.")]})
        if user.role not in roles:
            raise Invalid({FIELD: [_("%(name)s does not work in customers' homes and cannot help on an order.",
                                     name=user.name)]})
        if user_id == assignee_id:
            raise Invalid({FIELD: [_("%(name)s is the assignee and cannot also be a helper.", name=user.name)]})
    return unique


def replace(actor, order: WorkOrder, ids: list[int]) -> bool:
    """Make the order's helpers exactly `ids` (already checked). The caller has claimed the order's version.
    One history line naming who was added and removed, and the audit entry with the ids; False when nothing
    changed."""
    current = {link.user_id: link for link in db.session.execute(
        select(WorkOrderHelper).where(WorkOrderHelper.order_id == order.id)).scalars()}
    added = [i for i in ids if i not in current]
    removed = [i for i in current if i not in ids]
    if not added and not removed:
        return False
    for user_id in removed:
        db.session.delete(current[user_id])
    for user_id in added:
        db.session.add(WorkOrderHelper(order_id=order.id, user_id=user_id, added_by=getattr(actor, "id", None)))
    names = {u.id: u.name for u in db.session.execute(select(User).where(User.id.in_(added + removed))).scalars()}
    note = "; ".join(part for part in (
        ("+ " + ", ".join(names[i] for i in added)) if added else "",
        ("− " + ", ".join(names[i] for i in removed)) if removed else "") if part)
    db.session.add(WorkOrderEvent(work_order_id=order.id, action="helpers", from_status=None,
                                  to_status=order.status, actor_id=getattr(actor, "id", None),
                                  assignee_id=order.assignee_id, note=note))
    db.session.flush()
    db.session.expire(order, ["helper_links"])
    audit.record(actor, "work_order.helpers", "work_order", order.id, added=added, removed=removed,
                 helper_ids=list(ids), assignee_id=order.assignee_id, version=order.version)
    return True


def differs(order: WorkOrder, ids: list[int]) -> bool:
    return set(ids_of(order)) != set(ids)
