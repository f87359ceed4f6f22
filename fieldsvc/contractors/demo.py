"""The demo's contractors: three firms (one whose licence has expired, so the block shows), their
supervisors, two permits and two of their people trained in an HSE session."""
import random
from datetime import date, timedelta

from sqlalchemy import func, select

from fieldsvc.auth.models import User
from fieldsvc.contractors.models import Contractor
from fieldsvc.contractors.services import permits, register
from fieldsvc.customers.models import Customer
from fieldsvc.extensions import db

# (name, licence no., days until the licence expires (negative: expired), scope, contact, phone, supervisors)
CONTRACTORS = [
    ("安信燃气工程有限公司", "JZ-燃气-2023-0187", 400, "户内燃气管道改装、燃气表移位、立管更换（持燃气工程专业承包资质）",
     "钱卫东", "13905710188", ("pipe_fitter", "station_chief")),
    ("诚达防腐安装工程队", "JZ-防腐-2022-0456", -20, "户外立管、引入管防腐刷漆，表箱更换",
     "孔建新", "13857160233", ("repair_tech",)),
    ("恒通管道检测技术有限公司", "JC-检测-2024-0032", 25, "庭院管网及引入管检漏、探管定位",
     "邵丽萍", "13777450912", ("safety_officer",)),
]


def seed_demo(rnd: random.Random, today: date, size: str) -> dict:
    """Called by the demo seeding (fieldsvc/core/demo.py)."""
    if db.session.execute(select(func.count(Contractor.id))).scalar_one():
        return {}
    users = {u.username: u for u in db.session.execute(select(User)).scalars()}
    officer = users.get("safety_officer")
    if officer is None:
        return {}
    made = []
    for name, licence_no, days, scope, contact, phone, supervisors in CONTRACTORS:
        made.append(register.create_contractor(officer, {
            "name": name, "licence_no": licence_no, "licence_expires_on": today + timedelta(days=days),
            "scope": scope, "contact_name": contact, "contact_phone": phone,
            "supervisor_ids": [users[u].id for u in supervisors if u in users]}))
    added = {"contractors": len(made), "contractor_permits": _permits(officer, users, made[0], made[2], today)}
    added["hse_external_attendances"] = _training(officer, made)
    return added


def _permits(officer, users, fitter_firm, test_firm, today) -> int:
    chief = users.get("station_chief")
    customers = list(db.session.execute(select(Customer).where(Customer.district_id == chief.district_id)
                                        .order_by(Customer.id).limit(2)).scalars()) if chief else []
    count = 0
    if customers:
        permits.issue_permit(chief, {"contractor_id": fitter_firm.id, "customer_id": customers[0].id,
                                     "work": "厨房燃气表移位至阳台外墙，更换表前阀", "valid_from": today,
                                     "valid_to": today + timedelta(days=3)})
        count += 1
    if len(customers) > 1:
        done = permits.issue_permit(officer, {"contractor_id": test_firm.id, "customer_id": customers[1].id,
                                              "work": "引入管检漏及探管定位", "valid_from": today - timedelta(days=7),
                                              "valid_to": today - timedelta(days=6)})
        permits.finish(officer, done, "closed", "检漏合格，无泄漏")
        count += 1
    return count


def _training(officer, contractors) -> int:
    """Two of the first firm's fitters at the latest HSE training session (when HSE is installed)."""
    import fieldsvc
    if "hse" not in fieldsvc.DOMAINS:
        return 0
    from fieldsvc.hse.models import TrainingSession
    from fieldsvc.hse.services import training_external
    session = db.session.execute(select(TrainingSession).order_by(TrainingSession.held_on.desc())).scalars().first()
    if session is None:
        return 0
    for name, id_no, score in (("钱小兵", "330102199003150012", "86"), ("孔德明", None, "72")):
        training_external.add_external(officer, session, {"name": name, "contractor_id": contractors[0].id,
                                                          "id_no": id_no, "score": score})
    return 2
