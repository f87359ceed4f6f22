"""The register's pages: the list (holders: their own), register and edit (422 keeps what was typed), an
instrument with its checks, recording a check, the holder's home card."""
import pytest

from fieldsvc.instruments.models import Instrument, InstrumentCheck

EN = {"Accept-Language": "en"}


def test_register_page_and_search(login, make_instrument, staff, db):
    make_instrument(serial="YL-001", holder="repair_tech")
    make_instrument(serial="JC-002", kind="gas_detector", holder="meter_reader")
    officer = login("safety_officer")
    page = officer.get("/instruments/", headers=EN).get_data(as_text=True)
    assert "YL-001" in page and "JC-002" in page and "New instrument" in page
    found = officer.get("/instruments/?q=jc", headers=EN).get_data(as_text=True)
    assert "JC-002" in found and "YL-001" not in found
    mine = login("repair_tech").get("/instruments/", headers=EN).get_data(as_text=True)
    assert "YL-001" in mine and "JC-002" not in mine and "New instrument" not in mine
    assert login("card_clerk").get("/instruments/").status_code == 403


def test_new_instrument_form_keeps_what_was_typed(login, staff, db):
    chief = login("station_chief")
    assert chief.get("/instruments/new", headers=EN).status_code == 200
    response = chief.post("/instruments/new", headers=EN, data={
        "kind": "manometer", "serial_no": "YL-9", "model": "数字压力计", "calibrated_on": "2026-13-45",
        "holder_id": str(staff["repair_tech"].id)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="YL-9"' in page and 'value="数字压力计"' in page and 'value="2026-13-45"' in page
    done = chief.post("/instruments/new", data={"kind": "manometer", "serial_no": "YL-9", "calibrated_on": "2026-11-01",
                                                "holder_id": str(staff["repair_tech"].id)})
    assert done.status_code == 302
    instrument = db.session.query(Instrument).one()
    assert instrument.holder_id == staff["repair_tech"].id and instrument.calibration_due.isoformat() == "2027-10-31"
    edit = chief.post(f"/instruments/{instrument.id}/edit", data={"kind": "manometer", "serial_no": "YL-9",
                                                                  "holder_id": "", "version": instrument.version})
    assert edit.status_code == 302
    db.session.expire_all()
    assert db.session.get(Instrument, instrument.id).holder_id is None


@pytest.mark.parametrize("data", [
    {"kind": "calibration", "ok": "true", "on": "0000-00-00"},
    {"kind": "calibration", "ok": "maybe"},
    {"kind": "nonsense"},
    {"kind": "damage"},  # no note
])
def test_check_form_refusals_keep_what_was_typed(login, make_instrument, db, data):
    instrument = make_instrument()
    response = login("safety_officer").post(f"/instruments/{instrument.id}/checks", headers=EN,
                                            data={**data, "note": data.get("note", "")})
    assert response.status_code == 422
    assert db.session.query(InstrumentCheck).count() == 0


def test_holder_records_a_bump_test_on_the_page(login, make_instrument, db):
    detector = make_instrument(kind="gas_detector", holder="meter_reader", serial="JC-7")
    reader = login("meter_reader")
    page = reader.get(f"/instruments/{detector.id}", headers=EN).get_data(as_text=True)
    assert "Bump test" in page and 'value="calibration"' not in page
    response = reader.post(f"/instruments/{detector.id}/checks", data={"kind": "bump_test", "ok": "true"})
    assert response.status_code == 302
    assert db.session.query(InstrumentCheck).one().kind == "bump_test"
    page = reader.get(f"/instruments/{detector.id}", headers=EN).get_data(as_text=True)
    assert "Passed" in page
    assert login("meter_reader2").get(f"/instruments/{detector.id}").status_code == 404


def test_the_holders_home_card(login, make_instrument, db):
    make_instrument(due_in=-3)
    make_instrument(due_in=10)
    home = login("repair_tech").get("/", headers=EN).get_data(as_text=True)
    assert "My instruments" in home and "Calibration overdue" in home and "Calibration due soon" in home
    assert "My instruments" not in login("repair_tech2").get("/", headers=EN).get_data(as_text=True)
