"""The lab page and the test list load what each row shows with the rows: the statement count does not grow
with the number of tests waiting (it did, two per row, once the demo had tests waiting)."""
from sqlalchemy import event

from fieldsvc.extensions import db
from tests.metering.conftest import payload


def _statements(client, path):
    seen = []

    def count(conn, cursor, statement, *args):
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            seen.append(statement)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_lab_costs_the_same_with_one_or_three_tests_waiting(lab, api, login):
    client, headers = api("metering_tech")
    meters = [lab.stock, lab.stock10, lab.ng]
    assert client.post("/api/v1/meter-tests", json=payload(meters[0], lab.bench), headers=headers).status_code == 201
    page = login("metering_tech")
    one = {path: _statements(page, path) for path in ("/metering/", "/metering/tests")}
    for meter in meters[1:]:
        assert client.post("/api/v1/meter-tests", json=payload(meter, lab.bench), headers=headers).status_code == 201
    three = {path: _statements(page, path) for path in ("/metering/", "/metering/tests")}
    assert three == one
    assert one["/metering/"] <= 10
