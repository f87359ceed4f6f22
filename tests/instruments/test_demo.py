"""The demo's instruments: a kit for each of the field staff, one manometer overdue, one due soon, one
calibration on record; re-running adds nothing."""
import random

from fieldsvc import clock
from fieldsvc.instruments import demo, services
from fieldsvc.instruments.models import Instrument, InstrumentCheck


def test_demo_instruments(staff, db, en_request):
    added = demo.seed_demo(random.Random(1), clock.today(), "small")
    assert added["instruments"] > 10
    today = clock.today()
    rows = db.session.query(Instrument).all()
    holders = {i.holder_id for i in rows}
    for name, user in staff.items():
        if user.role in demo.KIT:
            assert user.id in holders, name
    states = [services.due_state(i, today) for i in rows]
    assert states.count("overdue") == 1 and states.count("due_soon") >= 1
    overdue = next(i for i in rows if services.due_state(i, today) == "overdue")
    assert overdue.holder_id == staff["repair_tech3"].id and overdue.kind == "manometer"
    assert db.session.query(InstrumentCheck).count() == 1
    _held, chosen = services.reading_choices(staff["repair_tech"])
    assert chosen is not None  # the demo technician can record a pressure
    assert demo.seed_demo(random.Random(1), today, "small") == {"instruments": 0}
