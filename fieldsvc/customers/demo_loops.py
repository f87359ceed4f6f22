"""The demo city's customer change requests, made through the services once every domain's records exist
(readings and bills): a transfer waiting for approval (过户), an approved change of use category and a
closed account (销户). Re-runnable: nothing is done twice."""
import io

from sqlalchemy import func, select

from fieldsvc.auth.models import User
from fieldsvc.customers.change_models import CustomerChange
from fieldsvc.customers.models import Customer, Meter
from fieldsvc.customers.services import changes
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db

MARK = "【示例】"


def _id_photo() -> bytes:
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (320, 200), (225, 235, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, 110, 140), fill=(180, 190, 200))
    for y in (40, 70, 100, 130):
        draw.line((130, y, 300, y), fill=(90, 90, 90), width=4)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _candidates(count: int) -> list[tuple[Customer, Meter]]:
    """Active residential customers with one installed diaphragm meter, from the newest accounts (the
    dispatch demo takes its customers from the oldest)."""
    from fieldsvc.readings.models import Reading
    one_meter = (select(Meter.customer_id).where(Meter.status == "installed")
                 .group_by(Meter.customer_id).having(func.count(Meter.id) == 1))
    rows = db.session.execute(
        select(Customer, Meter).join(Meter, Meter.customer_id == Customer.id)
        .where(Meter.kind == "diaphragm", Meter.status == "installed", Customer.id.in_(one_meter),
               Customer.status == "active", Customer.supply == "on", Customer.category == "residential",
               Meter.id.in_(select(Reading.meter_id)))
        .order_by(Customer.id.desc()).limit(count)).all()
    return [(c, m) for c, m in rows]


def _last_value(meter: Meter) -> int:
    from fieldsvc.readings.models import Reading
    value = db.session.execute(select(Reading.value).where(Reading.meter_id == meter.id)
                               .order_by(Reading.read_at.desc()).limit(1)).scalar()
    return int(value if value is not None else meter.start_reading)


def seed_after(rnd, today, size: str) -> dict:
    users = {name: db.session.execute(select(User).where(User.username == name)).scalar_one_or_none()
             for name in ("card_clerk", "director")}
    if None in users.values() or db.session.execute(select(func.count(CustomerChange.id))).scalar_one():
        return {"customer_changes": 0}
    clerk, director = users["card_clerk"], users["director"]
    picked = _candidates(3)
    if len(picked) < 3:
        return {"customer_changes": 0}
    (c1, _m1), (c2, _m2), (c3, m3) = picked
    done = 0
    for make in (
        lambda: changes.request_change(clerk, {
            "customer_id": c1.id, "kind": "transfer", "new_name": "林晓燕", "new_phone": "13912345678",
            "note": MARK + "房屋买卖过户，新业主持身份证办理"}, _id_photo()),
        lambda: changes.approve(director, changes.request_change(clerk, {
            "customer_id": c2.id, "kind": "category_change", "new_category": "commercial", "effective_on": today,
            "note": MARK + "住宅改为小餐馆经营，按商业气价计费"}).id),
        lambda: changes.approve(director, changes.request_change(clerk, {
            "customer_id": c3.id, "kind": "close", "final_reading": _last_value(m3) + 6,
            "close_reason": "房屋拆迁，用户申请销户", "note": MARK + "已结清气费"}).id),
    ):
        try:
            with db.session.begin_nested():
                make()
            done += 1
        except (Invalid, Conflict):
            continue  # a demo record the city's data does not allow today: left out
    return {"customer_changes": done}
