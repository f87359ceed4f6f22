"""The demo city's complaint with a penalty on the responsible person (处罚责任者): taken in, investigated,
solved with the director's approval and carried out, then a penalty the director decided. Re-runnable."""
from decimal import Decimal

from sqlalchemy import select

from fieldsvc.auth.models import User
from fieldsvc.complaints.models import ComplaintPenalty
from fieldsvc.complaints.services import handling, intake, penalties
from fieldsvc.customers.models import Customer
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db


def seed_after(rnd, today, size: str) -> dict:
    users = {name: db.session.execute(select(User).where(User.username == name)).scalar_one_or_none()
             for name in ("director", "station_chief", "repair_tech")}
    if None in users.values() or db.session.execute(select(ComplaintPenalty.id).limit(1)).first():
        return {"complaint_penalties": 0}
    director, chief, tech = users["director"], users["station_chief"], users["repair_tech"]
    customer = db.session.execute(select(Customer).where(Customer.status == "active")
                                  .order_by(Customer.id).offset(7).limit(1)).scalar_one_or_none()
    if customer is None:
        return {"complaint_penalties": 0}
    try:
        with db.session.begin_nested():
            complaint = intake.receive(chief, {
                "channel": "hotline", "category": "repair_quality", "customer_id": customer.id,
                "description": "维修工上门更换灶具软管后，接头处仍有燃气味，且态度生硬。",
                "contact_name": customer.name, "contact_phone": customer.phone or "13800000000"})
            handling.transition(chief, complaint.id, "contacted", {"department": "repair_team"})
            handling.transition(chief, complaint.id, "investigating", {})
            handling.transition(chief, complaint.id, "solution_proposed", {
                "cause": "workmanship", "cause_detail": "更换软管后未用检漏液检漏，卡箍未紧固。",
                "responsible_id": tech.id,
                "solutions": [{"description": "当日派维修班长上门重新紧固并检漏，向用户赔礼道歉"}]})
            handling.transition(director, complaint.id, "solution_approved",
                                {"solution_id": complaint.current_solutions[0].id})
            handling.transition(chief, complaint.id, "resolved", {"actions": "已重新紧固卡箍，检漏合格，用户认可"})
            penalties.record(director, complaint.id, {
                "amount": Decimal("200.00"), "measure": "通报批评，停岗复训一天（检漏规程）", "decided_on": today,
                "note": "依据《户内维修安全操作规程》考核条款"})
    except (Invalid, Conflict):
        return {"complaint_penalties": 0}
    return {"complaint_penalties": 1}
