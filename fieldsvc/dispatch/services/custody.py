"""Tools and parts in a technician's custody: a small stock ledger (issue, use on a job, return).

A holding is never stored: it is the sum of the ledger lines, so it cannot drift from them.
"""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from fieldsvc import audit
from fieldsvc.auth.models import User
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import CustodyItem, CustodyMove, WorkOrder
from fieldsvc.errors import Duplicate, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.permissions import P, can, require

_SIGNED = case((CustodyMove.kind == rules.MoveKind.issue, CustodyMove.quantity), else_=-CustodyMove.quantity)


@dataclass(frozen=True)
class Holding:
    holder: User
    item: CustodyItem
    quantity: Decimal


DEFAULT_UNIT = "件"  # a piece, as the store counts when no unit is given


def list_items(actor) -> list[CustodyItem]:
    if not can(actor, P.orders_work):
        require(actor, P.custody_manage)
    return list(db.session.execute(select(CustodyItem).order_by(CustodyItem.kind, CustodyItem.name)).scalars())


def create_item(actor, data: dict) -> CustodyItem:
    """data: code, name, kind (tool|part), unit."""
    require(actor, P.custody_manage)
    if db.session.execute(select(CustodyItem.id).where(CustodyItem.code == data["code"])).first():
        raise Duplicate("code", _("This code already exists."))  # a race past this: the unique index, 409
    item = CustodyItem(code=data["code"], name=data["name"], kind=data["kind"], unit=data.get("unit") or DEFAULT_UNIT)
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "custody.item_create", "custody_item", item.id, code=item.code, kind=item.kind)
    return item


def _balances(holder_id: int | None = None, item_ids=None) -> dict[tuple[int, int], Decimal]:
    """(holder_id, item_id) → quantity held, from one grouped query over the ledger."""
    stmt = select(CustodyMove.holder_id, CustodyMove.item_id, func.sum(_SIGNED)).group_by(
        CustodyMove.holder_id, CustodyMove.item_id)
    if holder_id is not None:
        stmt = stmt.where(CustodyMove.holder_id == holder_id)
    if item_ids is not None:
        stmt = stmt.where(CustodyMove.item_id.in_(list(item_ids)))
    return {(h, i): Decimal(q or 0) for h, i, q in db.session.execute(stmt)}


def holdings(actor, holder_id: int | None = None) -> list[Holding]:
    """What each technician holds (the chief: everyone, or one; a technician: their own)."""
    if not can(actor, P.custody_manage):
        require(actor, P.orders_work)
        holder_id = actor.id
    balances = {k: q for k, q in _balances(holder_id).items() if q != 0}
    users = {u.id: u for u in db.session.execute(
        select(User).where(User.id.in_({h for h, _i in balances}))).scalars()} if balances else {}
    items = {i.id: i for i in db.session.execute(
        select(CustodyItem).where(CustodyItem.id.in_({i for _h, i in balances}))).scalars()} if balances else {}
    rows = [Holding(users[h], items[i], q) for (h, i), q in balances.items()]
    return sorted(rows, key=lambda r: (r.holder.name, r.item.kind, r.item.name))


def _plain(quantity: Decimal) -> str:
    """2.50 → "2.5", 100.00 → "100": how a quantity reads in a message."""
    return format(quantity.normalize(), "f")


def _check_quantity(quantity) -> Decimal:
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise Invalid({"quantity": [_("The quantity must be more than zero.")]})
    return quantity


def record_move(actor, holder_id: int, item_id: int, kind: str, quantity, note: str | None = None) -> CustodyMove:
    """Issue to or take back from a technician (the store side of the ledger)."""
    require(actor, P.custody_manage)
    holder = db.session.get(User, holder_id)
    item = db.session.get(CustodyItem, item_id)
    if holder is None or not holder.active or holder.role not in rules.ROLE_TYPES:
        raise Invalid({"holder_id": [_("Choose a technician.")]})
    if item is None:
        raise Invalid({"item_id": [_("Choose a tool or part.")]})
    if kind not in rules.STORE_MOVES:
        raise Invalid({"kind": [_("Choose issue or return.")]})
    quantity = _check_quantity(quantity)
    held = _balances(holder.id, [item.id]).get((holder.id, item.id), Decimal(0))
    if rules.balance_after(held, kind, quantity) < 0:
        raise Invalid({"quantity": [_("%(name)s holds only %(qty)s.", name=holder.name, qty=_plain(held))]})
    move = CustodyMove(item_id=item.id, holder_id=holder.id, kind=kind, quantity=quantity, by_id=actor.id,
                       note=note)
    db.session.add(move)
    db.session.flush()
    audit.record(actor, f"custody.{kind}", "user", holder.id, item=item.code, quantity=quantity, note=note)
    return move


def check_parts(actor, parts: list[dict]) -> list[tuple[CustodyItem, Decimal]]:
    """Parts the technician says they fitted: real parts, held in that quantity. Duplicates add up."""
    wanted: dict[int, Decimal] = {}
    for line in parts:
        if not line.get("item_id"):
            continue
        try:
            quantity = _check_quantity(line.get("quantity") or 0)
        except (Invalid, ArithmeticError, ValueError, TypeError) as exc:
            raise Invalid({"parts": [_("Give how many of each part were used.")]}) from exc
        wanted[int(line["item_id"])] = wanted.get(int(line["item_id"]), Decimal(0)) + quantity
    if not wanted:
        return []
    items = {i.id: i for i in db.session.execute(select(CustodyItem).where(CustodyItem.id.in_(wanted))).scalars()}
    held = _balances(actor.id, wanted)
    result = []
    for item_id, quantity in wanted.items():
        item = items.get(item_id)
        if item is None or not rules.move_allowed(item.kind, rules.MoveKind.use):
            raise Invalid({"parts": [_("Only parts can be used up on a job.")]})
        have = held.get((actor.id, item_id), Decimal(0))
        if rules.balance_after(have, rules.MoveKind.use, quantity) < 0:
            raise Invalid({"parts": [_("You hold only %(qty)s %(unit)s of %(name)s.", qty=_plain(have), unit=item.unit,
                                       name=item.name)]})
        result.append((item, quantity))
    return result


def use_parts(actor, order: WorkOrder, parts: list[tuple[CustodyItem, Decimal]]) -> None:
    """The checked parts come off the technician's stock, booked to the order."""
    for item, quantity in parts:
        db.session.add(CustodyMove(item_id=item.id, holder_id=actor.id, kind=rules.MoveKind.use,
                                   quantity=quantity, work_order_id=order.id, by_id=actor.id))
        audit.record(actor, "custody.use", "user", actor.id, item=item.code, quantity=quantity,
                     work_order_id=order.id)
    db.session.flush()


def parts_used(order: WorkOrder) -> list[CustodyMove]:
    """The parts booked to an order (the caller has already checked the order is visible)."""
    stmt = (select(CustodyMove).where(CustodyMove.work_order_id == order.id, CustodyMove.kind == rules.MoveKind.use)
            .order_by(CustodyMove.id))
    return list(db.session.execute(stmt).scalars())


def ledger(actor, holder_id: int, limit: int = 50) -> list[CustodyMove]:
    """The latest ledger lines of one technician."""
    if not can(actor, P.custody_manage):
        require(actor, P.orders_work)
        if holder_id != actor.id:
            raise NotFound()
    stmt = (select(CustodyMove).where(CustodyMove.holder_id == holder_id)
            .order_by(CustodyMove.id.desc()).limit(limit))
    return list(db.session.execute(stmt).scalars())
