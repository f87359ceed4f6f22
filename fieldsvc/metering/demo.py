"""Demo data of the metering office: bench standards of each kind, one due for recalibration soon, one
waiting for the metering head's approval."""
import random
from datetime import date, timedelta

from sqlalchemy import select

from fieldsvc.extensions import db
from fieldsvc.metering.models import Equipment, EquipmentCalibration
from fieldsvc.models import utcnow

# (name, serial, kind, certificate prefix, days of calibration left, approved)
STANDARDS = [
    ("钟罩式气体流量标准装置", "JL-ZZ-0601", "flow_standard", "JZ", 240, True),
    ("音速喷嘴法气体流量标准装置", "JL-YS-1102", "flow_standard", "JZ", 18, True),  # the reminder shows in the demo
    ("膜式燃气表耐压密封性检测台", "JL-MF-0307", "leak_bench", "JY", 410, True),
    ("数字温湿度计", "JL-WS-0412", "climate", "WS", 300, True),
    # bought this month: waits for the metering head's approval (the home figure and the register show it)
    ("标准表法气体流量标准装置", "JL-BZ-2603", "flow_standard", "JZ", 365, False),
]


def seed_demo(rnd: random.Random, today: date, size: str) -> dict:
    """Called by the demo seeding (fieldsvc/core/demo.py)."""
    return {"bench_standards": seed(rnd, today)}


def seed(rnd: random.Random, today: date) -> int:
    """Add the standards that are missing, each with its certificate in the calibration history; returns how
    many were added (re-runnable)."""
    have = set(db.session.execute(select(Equipment.serial_no)).scalars())
    added = 0
    for name, serial, kind, prefix, days_left, approved in STANDARDS:
        if serial in have:
            continue
        expires = today + timedelta(days=days_left)
        calibrated = expires - timedelta(days=365)
        cert = f"{prefix}{calibrated.year}-{rnd.randrange(1000, 9999)}"
        status = "approved" if approved else "pending"
        equipment = Equipment(name=name, serial_no=serial, kind=kind, calibration_cert=cert,
                              calibration_expires_on=expires, active=True, status=status,
                              approved_at=utcnow() if approved else None)
        equipment.calibrations = [EquipmentCalibration(certificate_no=cert, calibrated_on=min(calibrated, today),
                                                       due_on=expires, status=status,
                                                       decided_at=utcnow() if approved else None)]
        db.session.add(equipment)
        added += 1
    db.session.flush()
    return added
