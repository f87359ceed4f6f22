"""Demo dispatch data for the demo city: a tools-and-parts catalogue with stock issued to the field
crews, a day's worth of orders in every state and, at city size, a year of finished orders (30,000, as
the benchmark's city needs). Re-runnable: nothing is added twice."""
import random
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer
from fieldsvc.db import sync_sequences
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import Completion, CustodyItem, WorkOrder, WorkOrderEvent
from fieldsvc.dispatch.services import custody, helpers, orders
from fieldsvc.extensions import db

# Units as the store writes them (台 an instrument, 套 a kit, 根 a hose, 个 a small part, 枚 a seal): the
# items are named in Chinese and so are their units.
CATALOGUE = [
    ("DET-01", "可燃气体检测仪", "tool", "台"), ("MAN-01", "U型压力计", "tool", "台"),
    ("KIT-01", "维修工具包", "tool", "套"), ("HOSE-12", "燃气专用软管1.2米", "part", "根"),
    ("HOSE-15", "燃气专用软管1.5米", "part", "根"), ("CLAMP-01", "软管卡箍", "part", "个"),
    ("VALVE-01", "灶前球阀DN15", "part", "个"), ("TC-01", "熄火保护热电偶", "part", "个"),
    ("SEAL-01", "表箱铅封", "part", "枚"),
]
ISSUE = {"tool": 1, "part": 6}
# (type, technician, how far it has gone, description)
ORDERS = [
    ("emergency", "repair_tech", "en_route", "楼道内闻到燃气味，用户已关闭表前阀"),
    ("repair", "repair_tech", "accepted", "燃气灶右眼打不着火"),
    ("repair", "repair_tech2", "assigned", "热水器点火后熄火"),
    ("purge_ignition", "repair_tech3", "assigned", "新装用户通气点火，预约下午"),
    ("pressure_check", None, "new", "用户反映火焰偏小"),
    ("rectification", "pipe_fitter", "on_site", "软管穿墙，需改为金属管"),
    ("meter_box", "pipe_fitter2", "accepted", "室外表箱门锁损坏"),
    ("meter_verification", "metering_tech", "assigned", "用户投诉表走得快，申请检定"),
    ("meter_replacement", None, "new", "表到期更换"),
]


HISTORY_ORDERS = {"small": 0, "city": 30_000}
# (type, share of the year's orders, minutes to the door: low–high)
HISTORY_MIX = [
    ("emergency", 0.08, (6, 40)), ("repair", 0.40, (30, 300)), ("purge_ignition", 0.15, (600, 4000)),
    ("pressure_check", 0.07, (600, 4000)), ("rectification", 0.10, (1000, 15000)),
    ("meter_box", 0.05, (1000, 9000)), ("meter_replacement", 0.10, (1000, 7000)),
    ("meter_verification", 0.05, (600, 4000)),
]
BATCH = 5000


def seed_demo(rnd: random.Random, today, size: str) -> dict:
    """Called by the demo seeding (fieldsvc/core/demo.py)."""
    added = seed()
    added["order_history"] = seed_history(rnd, today, HISTORY_ORDERS.get(size, 0))
    return added


def seed_history(rnd: random.Random, today, count: int) -> int:
    """`count` closed orders spread over the year before today, each with its events and completion, and
    a follow-up call (with a satisfaction score) after most repairs and purge-and-ignites. Bulk inserts with
    explicit ids; nothing when the history exists (orders older than a week)."""
    if count <= 0:
        return 0
    zone = clock.zone()
    start = datetime.combine(today - timedelta(days=365), datetime.min.time(), tzinfo=zone)
    if db.session.execute(select(func.count(WorkOrder.id)).where(WorkOrder.created_at < start + timedelta(days=358))
                          ).scalar_one():
        return 0
    chief = db.session.execute(select(User).where(User.username == "station_chief")).scalar_one_or_none()
    techs: dict[tuple[str, int], list[int]] = {}
    for user in db.session.execute(select(User).where(User.role.in_(list(rules.ROLE_TYPES)), User.active.is_(True))
                                   ).scalars():
        techs.setdefault((user.role, user.district_id), []).append(user.id)
    customers = db.session.execute(select(Customer.id, Customer.district_id, Customer.address)
                                   .order_by(Customer.id)).all()
    if chief is None or not customers or not techs:
        return 0
    ids = {m: (db.session.execute(select(func.max(m.id))).scalar() or 0) + 1
           for m in (WorkOrder, WorkOrderEvent, Completion)}
    orders_, events, completions = [], [], []
    types = [t for t, _, _ in HISTORY_MIX]
    weights = [w for _, w, _ in HISTORY_MIX]
    delays = {t: d for t, _, d in HISTORY_MIX}

    def add_event(order_id, action, frm, to, actor, at, assignee=None):
        events.append(dict(id=ids[WorkOrderEvent], work_order_id=order_id, action=action, from_status=frm,
                           to_status=to, actor_id=actor, assignee_id=assignee, at=at))
        ids[WorkOrderEvent] += 1

    for _ in range(count):
        type_ = rnd.choices(types, weights)[0]
        cid, district_id, address = rnd.choice(customers)
        pool = [uid for role in rules.roles_for(type_) for uid in techs.get((role, district_id), [])] \
            or [uid for role in rules.roles_for(type_) for (r, _d), uids in techs.items() if r == role for uid in uids]
        tech = rnd.choice(pool)
        created = start + timedelta(minutes=rnd.randrange(365 * 24 * 60 - 8 * 24 * 60))
        low, high = delays[type_]
        on_site = created + timedelta(minutes=rnd.randrange(low, high))
        completed = on_site + timedelta(minutes=rnd.randrange(15, 150))
        oid = ids[WorkOrder]
        ids[WorkOrder] += 1
        orders_.append(dict(id=oid, type=type_, status="closed", priority="urgent" if type_ == "emergency" else "normal",
                            customer_id=cid, district_id=district_id, address=address, description="历史工单",
                            assignee_id=tech, created_by_id=chief.id, created_at=created,
                            due_at=rules.due_at(type_, created, zone), on_site_at=on_site, completed_at=completed,
                            updated_at=completed + timedelta(hours=2), version=7))
        add_event(oid, "create", None, "new", chief.id, created)
        add_event(oid, "assign", "new", "assigned", chief.id, created + timedelta(minutes=2), tech)
        add_event(oid, "accept", "assigned", "accepted", tech, created + timedelta(minutes=4))
        add_event(oid, "en_route", "accepted", "en_route", tech, created + timedelta(minutes=5))
        add_event(oid, "on_site", "en_route", "on_site", tech, on_site)
        add_event(oid, "complete", "on_site", "completed", tech, completed)
        add_event(oid, "close", "completed", "closed", chief.id, completed + timedelta(hours=2))
        completions.append(dict(id=ids[Completion], work_order_id=oid, completed_by_id=tech, completed_at=completed,
                                work_notes="已处理", results={},
                                no_signature_reason=None if not rules.needs_signature(type_) else "历史记录"))
        ids[Completion] += 1
        if rules.creates_followup(type_) and rnd.random() < 0.8:
            fid = ids[WorkOrder]
            ids[WorkOrder] += 1
            called = completed + timedelta(hours=rnd.randrange(18, 40))
            orders_.append(dict(id=fid, type="followup_visit", status="closed", priority="normal", customer_id=cid,
                                district_id=district_id, address=address, description="回访", parent_id=oid,
                                created_by_id=chief.id, created_at=completed,
                                due_at=rules.due_at("followup_visit", completed, zone), completed_at=called,
                                updated_at=called, version=3))
            add_event(fid, "create", None, "new", chief.id, completed)
            add_event(fid, "complete", "new", "completed", chief.id, called)
            add_event(fid, "close", "completed", "closed", chief.id, called)
            completions.append(dict(id=ids[Completion], work_order_id=fid, completed_by_id=chief.id,
                                    completed_at=called, results={"satisfaction": rnd.choices(
                                        [5, 4, 3, 2, 1], [70, 20, 6, 3, 1])[0]}))
            ids[Completion] += 1
    for model, rows in ((WorkOrder, orders_), (WorkOrderEvent, events), (Completion, completions)):
        for i in range(0, len(rows), BATCH):
            db.session.execute(insert(model), rows[i:i + BATCH])
    sync_sequences(db.session, "work_orders", "work_order_events", "work_order_completions")
    return len(orders_)



# Two-person jobs of the demo day: the rectification's pipe fitter takes a second fitter along.
DEMO_HELPERS = {"rectification": ["pipe_fitter2"]}


def _in_a_readers_district(customers, users):
    districts = {u.district_id for u in users if u.role == "meter_reader" and u.active}
    return next((c for c in customers if c.district_id in districts), None)


def _demo_helpers(order, users) -> list[int]:
    """The district's meter reader on a purge-and-ignite (what the form suggests), a second fitter on a
    rectification."""
    suggested = helpers.suggested(order.type, order.district_id)[:1]
    named = [users[u] for u in DEMO_HELPERS.get(order.type, []) if u in users]
    return [u.id for u in suggested + named]


def seed() -> dict:
    """Add the catalogue, issue stock to every technician, and the demo orders (only when none exist)."""
    chief = db.session.execute(select(User).where(User.username == "station_chief")).scalar_one_or_none()
    if chief is None:
        return {"items": 0, "orders": 0}
    added = {"items": 0, "orders": 0}
    if not db.session.execute(select(func.count(CustodyItem.id))).scalar_one():
        items = [custody.create_item(chief, {"code": c, "name": n, "kind": k, "unit": u}) for c, n, k, u in CATALOGUE]
        techs = db.session.execute(select(User).where(User.role.in_(list(rules.ROLE_TYPES)))).scalars().all()
        for tech in techs:
            for item in items:
                custody.record_move(chief, tech.id, item.id, "issue", ISSUE[item.kind])
        added["items"] = len(items)
    if not db.session.execute(select(func.count(WorkOrder.id))).scalar_one():
        customers = db.session.execute(select(Customer).order_by(Customer.id).limit(200)).scalars().all()
        rnd = random.Random(7)
        users = {u.username: u for u in db.session.execute(select(User)).scalars()}
        for type_, tech, status, text in ORDERS:
            if not customers:
                break
            customer = rnd.choice(customers)
            if type_ in helpers.READER_HELPS:  # where a meter reader works: they help purge new customers' supply
                customer = _in_a_readers_district(customers, users.values()) or customer
            order = orders.create_order(chief, {"type": type_, "customer_id": customer.id,
                                                "description": text, "priority": "urgent" if type_ == "emergency"
                                                else "normal"})
            if tech and tech in users:
                orders.assign(chief, order.id, users[tech].id, order.version,
                              helper_ids=_demo_helpers(order, users))
                for step in ("accepted", "en_route", "on_site"):
                    if order.status == status:
                        break
                    orders.transition(users[tech], order.id, step, order.version)
            added["orders"] += 1
    return added
