"""Fixtures of the metering tests: a small lab (bench standards, meters in stock and installed)."""
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from fieldsvc import clock
from fieldsvc.customers.models import District
from fieldsvc.metering.models import Equipment
from tests import factories

METERING_STAFF = ("metering_head", "metering_tech", "metering_tech2", "metering_tech3")


@pytest.fixture
def en_request(app):
    """Services translate their messages, which needs a request (the user's language): English here."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _customer(district, account_no, name, gas):
    return factories.customer(account_no, name=name, gas=gas, district=district, room="502",
                              address="幸福小区 3栋 2单元 5层 502室", commit=False)


def _meter(serial, size, cls="1.5", customer=None, today=None):
    """In stock, or installed at `customer` 400 days ago (verified 420 days ago) from 0 m³."""
    installed = dict(installed_on=today - timedelta(days=400), first_verified_on=today - timedelta(days=420)) \
        if customer is not None else {}
    return factories.meter(serial, size=size, accuracy_class=cls, customer=customer, commit=False, **installed)


@pytest.fixture
def lab(staff, db):
    """Metering staff with valid licences, two approved flow standards (one expired), an approved leak bench,
    meters in stock and installed."""
    today = clock.today()
    for username in METERING_STAFF:
        for q in staff[username].qualifications:
            q.expires_on = today + timedelta(days=1000)
    district = db.session.query(District).order_by(District.code).first()
    ng = _customer(district, "31000001", "王小明", "NG")
    lpg = _customer(district, "31000002", "李四", "LPG")
    bench = Equipment(name="钟罩式气体流量标准装置", serial_no="EQ-0001", calibration_cert="JZ2026-0815",
                      calibration_expires_on=today + timedelta(days=200), status="approved")
    old = Equipment(name="音速喷嘴法标准装置", serial_no="EQ-0002", calibration_cert="JZ2024-0101",
                    calibration_expires_on=today - timedelta(days=1), status="approved")
    leak = Equipment(name="膜式燃气表耐压密封性检测台", serial_no="EQ-0003", kind="leak_bench",
                     calibration_cert="JY2026-0303", calibration_expires_on=today + timedelta(days=300),
                     status="approved")
    meters = {
        "stock": _meter("LAB-S0001", "G2.5"),
        "stock10": _meter("LAB-S0002", "G2.5", "1.0"),
        "big": _meter("LAB-B0001", "G10"),
        "ng": _meter("LAB-N0001", "G2.5", customer=ng, today=today),
        "lpg": _meter("LAB-L0001", "G4", customer=lpg, today=today),
    }
    db.session.add_all([ng, lpg, bench, old, leak, *meters.values()])
    db.session.commit()
    return SimpleNamespace(today=today, bench=bench, expired_bench=old, leak_bench=leak, ng_customer=ng, lpg_customer=lpg,
                           staff=staff, **meters)


def payload(meter, equipment, errors=("0.50", "0.30", "-0.20"), leak_ok=True, loss="150",
                 verification="initial", **extra) -> dict:
    """A POST /api/v1/meter-tests body: the meter's default flows, reference 100 L, E as given per point."""
    from fieldsvc.metering import rules
    points = [{"flow_m3h": str(f), "reference_l": "100.000", "indicated_l": str(Decimal("100") + Decimal(e))}
              for f, e in zip(rules.default_flows(meter.size), errors, strict=True)]
    return {"meter_id": meter.id, "verification": verification, "equipment_id": equipment.id,
            "temperature_c": "20.5", "humidity_pct": "55", "leak_test_ok": leak_ok, "pressure_loss_pa": loss,
            "points": points, **extra}

