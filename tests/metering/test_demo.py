import random

from fieldsvc.metering import demo
from fieldsvc.metering.models import Equipment
from fieldsvc.metering.services import equipment


def test_demo_standards_one_expiring_soon(app, db, staff):
    from fieldsvc import clock
    today = clock.today()
    assert demo.seed(random.Random(1), today) == 5
    assert demo.seed(random.Random(1), today) == 0
    items = db.session.query(Equipment).all()
    statuses = sorted(equipment.status(e).value for e in items)
    assert statuses == ["expiring", "valid", "valid", "valid", "valid"]
    assert sorted(e.kind for e in items) == ["climate", "flow_standard", "flow_standard", "flow_standard",
                                             "leak_bench"]
    assert [e.serial_no for e in items if e.status == "pending"] == ["JL-BZ-2603"]  # waits for the head
    assert all(len(e.calibrations) == 1 and e.calibrations[0].status == e.status for e in items)


def test_home_summary_figures(lab, en_request, db):
    from fieldsvc.metering.services import home
    figures = home.summary(lab.staff["metering_head"])
    assert figures["pending_tests"] == 0 and figures["cases_open"] == 0 and figures["week_checks_total"] == 0
    assert [e.serial_no for e in figures["calibration_reminders"]] == ["EQ-0002"]
    assert home.summary(lab.staff["meter_reader"]) == {}


def test_demo_tests_cite_the_flow_standard_and_the_leak_bench(lab, db):
    from fieldsvc import clock
    from fieldsvc.metering import demo_loops
    from fieldsvc.metering.models import MeterTest
    demo.seed(random.Random(1), clock.today())
    assert demo_loops.seed_after(random.Random(2), clock.today(), "small") == {"demo_meter_tests": 2}
    assert demo_loops.seed_after(random.Random(2), clock.today(), "small") == {"demo_meter_tests": 0}
    tests = db.session.query(MeterTest).all()
    assert {(t.equipment.serial_no, t.leak_equipment.serial_no) for t in tests} == {("JL-ZZ-0601", "JL-MF-0307")}
