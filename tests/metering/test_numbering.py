"""Four heads issue at the same moment: the numbers are distinct and run without gaps (the yearly
counter row is created once and locked while a number is taken; SQLite serialises the writers)."""
import threading

from fieldsvc.auth.models import User
from fieldsvc.metering import schemas
from fieldsvc.metering.models import MeteringDocument, MeterTest
from fieldsvc.metering.services import documents, meter_tests
from tests.metering.conftest import payload

THREADS = 4


def test_concurrent_issues_get_consecutive_numbers(app, lab, db):
    with app.test_request_context("/"):
        ids = [meter_tests.record_test(lab.staff["metering_tech"],
                                       schemas.MeterTestIn().load(payload(lab.stock, lab.bench))).id
               for _ in range(THREADS)]
    db.session.commit()
    head_id, checker_id = lab.staff["metering_head"].id, lab.staff["metering_tech2"].id
    db.session.rollback()  # hold no transaction (nor SQLite lock) while the threads write
    start = threading.Barrier(THREADS, timeout=30)
    results: list = [None] * THREADS

    def issue(i: int):
        with app.app_context(), app.test_request_context("/", method="POST"):
            try:
                start.wait()
                document = documents.issue(db.session.get(User, head_id), db.session.get(MeterTest, ids[i]),
                                           checker_id)
                db.session.commit()
                results[i] = document.number
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                db.session.rollback()
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    year = lab.today.year
    assert sorted(results) == [f"JD-{year}-{n:06d}" for n in range(1, THREADS + 1)], results
    db.session.rollback()  # a fresh snapshot
    assert db.session.query(MeteringDocument).count() == THREADS
