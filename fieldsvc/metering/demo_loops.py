"""The demo lab's bench tests, recorded through the services once every domain's demo records exist (meters
in stock, licensed staff): two new meters tested on the bell prover, their leak tests on the leak bench, both
waiting for the metering head's document. Re-runnable: nothing is recorded twice."""
from decimal import Decimal

from sqlalchemy import func, select

from fieldsvc.auth.models import User
from fieldsvc.customers.models import Meter
from fieldsvc.extensions import db
from fieldsvc.metering import rules
from fieldsvc.metering.models import Equipment, MeterTest
from fieldsvc.metering.services import meter_tests

MARK = "【示例检定】"  # marks the demo's own tests, so a second run finds them
FLOW_STANDARD, LEAK_BENCH = "JL-ZZ-0601", "JL-MF-0307"


def seed_after(rnd, today, size: str) -> dict:
    tech = db.session.execute(select(User).where(User.username == "metering_tech")).scalar_one_or_none()
    benches = {e.serial_no: e for e in db.session.execute(
        select(Equipment).where(Equipment.serial_no.in_((FLOW_STANDARD, LEAK_BENCH)))).scalars()}
    if tech is None or len(benches) < 2 or not meter_tests.has_valid_licence(tech, today) or db.session.execute(
            select(func.count(MeterTest.id)).where(MeterTest.note.startswith(MARK))).scalar_one():
        return {"demo_meter_tests": 0}
    # the last meters in stock (the dispatch loops take the first one as a spare)
    meters = db.session.execute(select(Meter).where(Meter.status == "in_stock", Meter.kind == "diaphragm")
                                .order_by(Meter.serial_no.desc()).limit(2)).scalars().all()
    for meter in meters:
        points = [{"flow_m3h": flow, "reference_l": Decimal("100.000"),
                   "indicated_l": Decimal("100.000") + Decimal(rnd.randrange(-60, 61)) / 100}
                  for flow in rules.default_flows(meter.size)]
        meter_tests.record_test(tech, {
            "meter_id": meter.id, "verification": rules.Verification.initial.value,
            "equipment_id": benches[FLOW_STANDARD].id, "leak_equipment_id": benches[LEAK_BENCH].id,
            "temperature_c": Decimal("20.5"), "humidity_pct": Decimal("52.0"), "leak_test_ok": True,
            "pressure_loss_pa": Decimal(rnd.randrange(90, 160)), "points": points,
            "note": f"{MARK}新表首次检定"})
    return {"demo_meter_tests": len(meters)}
