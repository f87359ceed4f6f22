"""The instrument register's part of the demo city: a manometer and a gas or leak detector for each of
the field staff, one manometer past its calibration due date, one due soon, one calibration on record.
Nothing is added when the register has instruments already."""
import random
from datetime import date, timedelta

from sqlalchemy import func, select

from fieldsvc.auth.models import User
from fieldsvc.extensions import db
from fieldsvc.instruments import rules, services
from fieldsvc.instruments.models import Instrument

# role → the kinds each of them carries (models as the store writes them)
KIT = {"repair_tech": (("manometer", "U 形压力计 0–6 kPa"), ("gas_detector", "便携式可燃气体检测仪 GT-903")),
       "pipe_fitter": (("manometer", "数字压力计 HT-1890"), ("leak_detector", "燃气检漏仪 DP-300")),
       "meter_reader": (("gas_detector", "便携式可燃气体检测仪 GT-903"),)}
PREFIX = {"manometer": "YL", "gas_detector": "JC", "leak_detector": "JL", "other": "QT"}


def seed_demo(rnd: random.Random, today: date, size: str) -> dict:
    if db.session.execute(select(func.count(Instrument.id))).scalar_one():
        return {"instruments": 0}
    office = db.session.execute(select(User).where(User.username == "safety_officer")).scalar_one_or_none()
    if office is None:
        return {"instruments": 0}
    crew = db.session.execute(select(User).where(User.role.in_(list(KIT)), User.active.is_(True))
                              .order_by(User.username)).scalars().all()
    made = 0
    for user in crew:
        for kind, model in KIT[user.role]:
            made += 1
            calibrated = today - timedelta(days=rnd.randint(40, 300))
            _make(office, kind, model, user, calibrated, rules.next_due(calibrated, 12), made)
    _special_cases(office, today, crew, made)
    return {"instruments": made + 1}


def _make(office, kind, model, user, calibrated_on, due, n) -> Instrument:
    return services.create_instrument(office, {
        "kind": kind, "serial_no": f"{PREFIX[kind]}-{calibrated_on.year}-{n:03d}", "model": model,
        "holder_id": user.id if user else None, "calibrated_on": calibrated_on, "calibration_due": due})


def _special_cases(office, today: date, crew: list[User], made: int) -> None:
    """repair_tech3's manometer is past its due date (a reading with it is refused); repair_tech2's is due in
    12 days (the home card reminds him); repair_tech's was calibrated again 20 days ago (history); a spare
    manometer waits in the store."""
    by_name = {u.username: u for u in crew}
    for username, days in (("repair_tech3", -35), ("repair_tech2", 12)):
        user = by_name.get(username)
        meter = user and next(iter(services.held_by(user.id, ("manometer",))), None)
        if meter is not None:
            meter.calibration_due = today + timedelta(days=days)
            meter.calibrated_on = rules.add_months(meter.calibration_due + timedelta(days=1), -12)
    user = by_name.get("repair_tech")
    meter = user and next(iter(services.held_by(user.id, ("manometer",))), None)
    if meter is not None:
        services.record_check(office, meter, {"kind": "calibration", "on": today - timedelta(days=20), "ok": True,
                                              "note": "市计量所检定合格，证书号 JL-2026-0815"})
    _make(office, "manometer", "U 形压力计 0–6 kPa", None, today - timedelta(days=10),
          rules.next_due(today - timedelta(days=10), 12), made + 1)
    db.session.flush()
