"""The demo's emergency plans: one per scenario with its call list, and a drill with an evaluation whose
action became a nonconformity. (The other management registers are made by their tests and the users.)"""
import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.extensions import db
from fieldsvc.management.models import EmergencyPlan
from fieldsvc.management.services import drills, emergency_plans

OUTSIDE = {"fire": ("消防报警", "119", "火灾、爆炸时立即报警"), "ambulance": ("急救中心", "120", "有人员中毒或受伤时"),
           "police": ("公安报警", "110", "疏散警戒、交通管制"),
           "duty": ("燃气集团调度值班室", "0571-87654321", "报告险情，请求关阀、调压"),
           "authority": ("市燃气管理处", "0571-85012345", "较大以上事件1小时内报告")}
# (scenario, title, review in days, scope, steps, staff on the list (username, duty), outside parties)
PLANS = [
    ("leak", "户内燃气泄漏应急预案", 200, "用户报告或入户发现户内燃气泄漏、燃气味浓时",
     "接警后30分钟内到场\n到场后禁止开关电器、禁止明火，开窗通风\n关闭表前阀，检漏定位\n"
     "必要时疏散人员、设立警戒\n处置完毕检漏合格后方可恢复供气，填写抢修记录",
     [("station_chief", "现场指挥"), ("repair_tech", "抢修作业"), ("safety_officer", "安全监督")],
     ("duty", "fire", "authority")),
    ("fire", "燃气火灾、爆炸应急预案", 20, "燃气泄漏引发火灾或爆炸",
     "立即拨打119，报告地址、燃气种类\n关闭上游阀门切断气源\n疏散周边人员，设立警戒区\n配合消防扑救，防止复燃\n"
     "保护现场，报告燃气管理处",
     [("director", "总指挥"), ("safety_officer", "现场安全"), ("station_chief", "关阀、警戒")],
     ("fire", "ambulance", "police", "duty", "authority")),
    ("co_poisoning", "一氧化碳中毒应急预案", 300, "用户使用燃气具发生一氧化碳中毒",
     "拨打120，开窗通风，将中毒人员移至通风处\n关闭燃气具和表前阀\n检查热水器烟道、通风条件\n查明原因，填写事件记录",
     [("repair_tech", "燃气具检查"), ("safety_officer", "原因调查")], ("ambulance", "duty")),
    ("mass_outage", "大面积停气应急预案", 120, "气源中断或管网事故造成片区大面积停气",
     "接调度通知后通知受影响用户，公布预计恢复时间\n安排人员值守服务热线\n恢复供气前逐户通知，组织置换通气、点火\n"
     "对无人在家用户张贴通知，跟进回访",
     [("director", "总指挥"), ("station_chief", "用户通知与恢复供气"), ("card_clerk", "营业厅解释")],
     ("duty", "authority")),
]


def seed_demo(rnd: random.Random, today: date, size: str) -> dict:
    """Called by the demo seeding (fieldsvc/core/demo.py)."""
    if db.session.execute(select(func.count(EmergencyPlan.id))).scalar_one():
        return {}
    users = {u.username: u for u in db.session.execute(select(User)).scalars()}
    officer = users.get("safety_officer")
    if officer is None:
        return {}
    made = []
    for scenario, title, review_days, scope, steps, staff, outside in PLANS:
        plan = emergency_plans.create_plan(officer, {"title": title, "scenario": scenario, "scope": scope,
                                                     "response": steps,
                                                     "review_on": today + timedelta(days=review_days)})
        for username, duty in staff:
            if username in users:
                emergency_plans.add_contact(officer, plan, {"user_id": users[username].id, "duty": duty})
        for key in outside:
            name, phone, duty = OUTSIDE[key]
            emergency_plans.add_contact(officer, plan, {"name": name, "phone": phone, "duty": duty})
        made.append(plan)
    return {"mgmt_emergency_plans": len(made), "mgmt_emergency_drills": _drill(officer, users, made[0], today)}


def _drill(officer, users, plan, today) -> int:
    day = today - timedelta(days=12)
    start = datetime.combine(day, time(9, 30), clock.zone())
    people = [users[u].id for u in ("station_chief", "repair_tech", "repair_tech2", "pipe_fitter") if u in users]
    chief = users.get("station_chief")
    drills.record_drill(officer, plan, {
        "held_on": day, "district_id": chief.district_id if chief else None, "started_at": start,
        "ended_at": start + timedelta(minutes=75), "response_minutes": 22, "participants": people,
        "exercise": "模拟幸福小区3栋住户厨房燃气泄漏：接警、到场、关阀、检漏、疏散",
        "outside_participants": "幸福小区物业2人",
        "evaluation": "22分钟到场，符合30分钟要求；关阀、检漏规范。不足：抢修车上防爆工具缺一把防爆扳手；"
                      "疏散时未及时设置警戒线。",
        "actions": ["抢修车配齐防爆工具，每月点检", "组织一次警戒区设置专项培训"]})
    return 1
