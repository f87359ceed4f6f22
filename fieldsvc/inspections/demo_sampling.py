"""Demo of the sampling review: yesterday's end-of-line draw, measured through the pressure_check orders
(one low reading at the end of a long service line), the follow-up check opened from that anomaly and
the chief's sign-off with the analysis note. Everything goes through the services. Re-runnable."""
from datetime import date, timedelta

from sqlalchemy import select

from fieldsvc.auth.models import User
from fieldsvc.dispatch.services import orders
from fieldsvc.extensions import db
from fieldsvc.inspections.models import SamplingOrder
from fieldsvc.inspections.services import sampling, sampling_review

READINGS = [(2150, 1380), (2200, 2050), (2100, 1960), (2250, 2120)]  # (static, working) Pa; the first is low
NOTE = ("本日抽检末端4户，3户动压正常。1户动压1380 Pa，低于正常范围（1500–3000 Pa），静压正常，"
        "判断为末端支管流量不足或表前阀未全开，已派复查工单，复查结果报调度中心。")


def seed(today: date) -> int:
    day = today - timedelta(days=1)
    chief = _user("station_chief")
    tech = _user("repair_tech")
    if chief is None or tech is None or db.session.execute(
            select(SamplingOrder.id).where(SamplingOrder.day == day)).first():
        return 0
    try:
        rows = sampling.draw(chief, len(READINGS), day=day)
    except Exception:  # noqa: BLE001 - no end-of-line point to draw: the demo simply has no review
        return 0
    for row, (static, working) in zip(rows, READINGS, strict=False):
        order = row.work_order
        orders.assign(chief, order.id, tech.id, order.version)
        for to in ("accepted", "en_route", "on_site"):
            orders.transition(tech, order.id, to, order.version)
        orders.transition(tech, order.id, "completed", order.version,
                          completion={"results": {"static_pa": static, "working_pa": working}})
    low = next((s for s in sampling.review(chief, day) if s.anomaly), None)
    if low is not None:
        sampling_review.open_followup(chief, low.row.id)
    sampling_review.sign_off(chief, day, NOTE)
    return len(rows)


def _user(username: str) -> User | None:
    return db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
