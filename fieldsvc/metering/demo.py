"""Demo data of the metering office: bench standards, one of them due for recalibration soon."""
import random
from datetime import date, timedelta

from sqlalchemy import select

from fieldsvc.extensions import db
from fieldsvc.metering.models import Equipment

# (name, serial, certificate prefix, days of calibration left)
STANDARDS = [
    ("钟罩式气体流量标准装置", "JL-ZZ-0601", "JZ", 240),
    ("音速喷嘴法气体流量标准装置", "JL-YS-1102", "JZ", 18),  # the reminder shows in the demo
    ("膜式燃气表耐压密封性检测台", "JL-MF-0307", "JY", 410),
]


def seed_demo(rnd: random.Random, today: date, size: str) -> dict:
    """Called by the demo seeding (fieldsvc/core/demo.py)."""
    return {"bench_standards": seed(rnd, today)}


def seed(rnd: random.Random, today: date) -> int:
    """Add the standards that are missing; returns how many were added (re-runnable)."""
    have = set(db.session.execute(select(Equipment.serial_no)).scalars())
    added = 0
    for name, serial, prefix, days_left in STANDARDS:
        if serial in have:
            continue
        expires = today + timedelta(days=days_left)
        cert = f"{prefix}{expires.year - 1}-{rnd.randrange(1000, 9999)}"
        db.session.add(Equipment(name=name, serial_no=serial, calibration_cert=cert,
                                 calibration_expires_on=expires, active=True))
        added += 1
    db.session.flush()
    return added
