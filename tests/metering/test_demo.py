import random

from fieldsvc.metering import demo
from fieldsvc.metering.models import Equipment
from fieldsvc.metering.services import equipment


def test_demo_standards_one_expiring_soon(app, db, staff):
    from fieldsvc import clock
    today = clock.today()
    assert demo.seed(random.Random(1), today) == 3
    assert demo.seed(random.Random(1), today) == 0
    items = db.session.query(Equipment).all()
    statuses = sorted(equipment.status(e).value for e in items)
    assert statuses == ["expiring", "valid", "valid"]


def test_home_summary_figures(lab, en_request, db):
    from fieldsvc.metering.services import home
    figures = home.summary(lab.staff["metering_head"])
    assert figures["pending_tests"] == 0 and figures["cases_open"] == 0 and figures["week_checks_total"] == 0
    assert [e.serial_no for e in figures["calibration_reminders"]] == ["EQ-0002"]
    assert home.summary(lab.staff["meter_reader"]) == {}
