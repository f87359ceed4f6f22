"""The demo city's closed loops (RULES.md §5), made the way the field makes them: jobs completed through
the services, so each one changes the records it touches — an emergency shut off with its child repair,
a meter swapped, a customer shut off and one shut off then restored. Runs once every domain's demo
records exist (readings, meters in stock); re-runnable: nothing is done twice."""
from sqlalchemy import func, select

from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer, Meter
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.dispatch.services import orders
from fieldsvc.extensions import db
from fieldsvc.readings.models import Reading

MARK = "【示例闭环】"  # marks the demo's own orders, so a second run finds them


def seed_after(rnd, today, size: str) -> dict:
    chief, tech = (db.session.execute(select(User).where(User.username == name)).scalar_one_or_none()
                   for name in ("station_chief", "repair_tech"))
    if chief is None or tech is None or db.session.execute(
            select(func.count(WorkOrder.id)).where(WorkOrder.description.startswith(MARK))).scalar_one():
        return {"closed_loops": 0}
    metered = _metered_customers(5)
    spare = db.session.execute(select(Meter).where(Meter.status == "in_stock", Meter.kind == "diaphragm")
                               .order_by(Meter.serial_no).limit(1)).scalar_one_or_none()
    if len(metered) < 4 or spare is None:
        return {"closed_loops": 0}
    (c1, m1), (c2, m2), (c3, m3), (c4, m4) = metered[:4]
    done = [
        _job(chief, tech, "emergency", c1, "楼道闻到燃气味", {
            "leak_found": True, "leak_location": "表前阀接口", "gas_state": "shut_off",
            "shut_off_reason": "表前阀接口漏气，需更换阀门"}),
        _job(chief, tech, "meter_replacement", c2, "燃气表到期更换", {
            "old_reading": str(_last_value(m2) + 12), "new_serial": spare.serial_no, "new_reading": "0"}),
        _job(chief, tech, "suspension", c3, "用户申请停气（房屋空置）", {
            "supply_shut": True, "seal_no": "TQ-0301", "final_reading": str(_last_value(m3) + 8)}),
        _job(chief, tech, "suspension", c4, "用户申请暂停用气（外出三个月）", {
            "supply_shut": True, "seal_no": "TQ-0302", "final_reading": str(_last_value(m4) + 5)}),
        _job(chief, tech, "restoration", c4, "用户返回，申请恢复供气", {
            "supply_restored": True, "appliances_checked": True}),
    ]
    return {"closed_loops": len(done)}


def _metered_customers(count: int) -> list[tuple[Customer, Meter]]:
    """Customers with exactly one installed diaphragm meter that has readings (no IC card involved)."""
    one_meter = (select(Meter.customer_id).where(Meter.status == "installed")
                 .group_by(Meter.customer_id).having(func.count(Meter.id) == 1))
    rows = db.session.execute(
        select(Customer, Meter).join(Meter, Meter.customer_id == Customer.id)
        .where(Meter.kind == "diaphragm", Meter.status == "installed", Customer.id.in_(one_meter),
               Meter.id.in_(select(Reading.meter_id)))
        .order_by(Customer.id).limit(count)).all()
    return [(c, m) for c, m in rows]


def _last_value(meter: Meter):
    value = db.session.execute(select(Reading.value).where(Reading.meter_id == meter.id)
                               .order_by(Reading.read_at.desc()).limit(1)).scalar()
    return int(value if value is not None else meter.start_reading)


def _job(chief, tech, type_: str, customer: Customer, text: str, results: dict) -> WorkOrder:
    order = orders.create_order(chief, {"type": type_, "customer_id": customer.id, "description": MARK + text,
                                        "assignee_id": tech.id})
    for step in ("accepted", "en_route", "on_site"):
        orders.transition(tech, order.id, step, order.version)
    return orders.transition(tech, order.id, "completed", order.version,
                             completion={"results": results, "no_signature_reason": "示例数据"})
