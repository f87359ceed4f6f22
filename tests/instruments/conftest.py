"""Fixtures of the instrument tests: staff, a request (services translate their messages), and a helper
that registers an instrument through the service."""
from datetime import timedelta

import pytest

from fieldsvc import clock
from fieldsvc.instruments import services
from tests.dispatch.conftest import customers, make_order  # noqa: F401  (dispatch's fixtures, for the job paths)


@pytest.fixture
def en_request(app):
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        yield


@pytest.fixture
def make_instrument(staff, db, en_request):
    """make_instrument(kind="manometer", holder="repair_tech", due_in=200, serial=None) → an instrument
    registered by the safety officer, calibrated a year before its due date."""
    counter = iter(range(1, 1000))

    def _make(kind="manometer", holder="repair_tech", due_in=200, serial=None):
        due = clock.today() + timedelta(days=due_in)
        instrument = services.create_instrument(staff["safety_officer"], {
            "kind": kind, "serial_no": serial or f"T-{next(counter):03d}", "model": "数字压力计",
            "holder_id": staff[holder].id if holder else None,
            "calibrated_on": min(due - timedelta(days=364), clock.today()), "calibration_due": due})
        db.session.commit()
        return instrument
    return _make
