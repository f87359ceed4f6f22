"""Demo dispatch data for the demo city: a tools-and-parts catalogue with stock issued to the field
crews, and a day's worth of orders in every state. Re-runnable: nothing is added twice."""
import random

from sqlalchemy import func, select

from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import CustodyItem, WorkOrder
from fieldsvc.dispatch.services import custody, orders
from fieldsvc.extensions import db

CATALOGUE = [
    ("DET-01", "可燃气体检测仪", "tool", "pc"), ("MAN-01", "U型压力计", "tool", "pc"),
    ("KIT-01", "维修工具包", "tool", "set"), ("HOSE-12", "燃气专用软管1.2米", "part", "pc"),
    ("HOSE-15", "燃气专用软管1.5米", "part", "pc"), ("CLAMP-01", "软管卡箍", "part", "pc"),
    ("VALVE-01", "灶前球阀DN15", "part", "pc"), ("TC-01", "熄火保护热电偶", "part", "pc"),
    ("SEAL-01", "表箱铅封", "part", "pc"),
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


def seed_demo(rnd: random.Random, today, size: str) -> dict:
    """Called by the demo seeding (fieldsvc/core/demo.py)."""
    return seed()


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
            order = orders.create_order(chief, {"type": type_, "customer_id": rnd.choice(customers).id,
                                                "description": text, "priority": "urgent" if type_ == "emergency"
                                                else "normal"})
            if tech and tech in users:
                orders.assign(chief, order.id, users[tech].id, order.version)
                for step in ("accepted", "en_route", "on_site"):
                    if order.status == status:
                        break
                    orders.transition(users[tech], order.id, step, order.version)
            added["orders"] += 1
    return added
