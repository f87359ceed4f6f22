"""The register's services: who may do what, the checks as history, the reading check other domains call."""
from datetime import timedelta

import pytest

from fieldsvc import clock
from fieldsvc.errors import Invalid, NotAllowed, NotFound
from fieldsvc.instruments import pressure, rules, services
from fieldsvc.instruments.models import InstrumentCheck


def test_register_normalises_the_serial_and_refuses_a_duplicate(staff, make_instrument, db):
    instrument = make_instrument(serial=" yl 2026 001 ")
    assert instrument.serial_no == "YL2026001" and instrument.holder_id == staff["repair_tech"].id
    with pytest.raises(Invalid) as exc:
        make_instrument(serial="YL2026001")
    assert "serial_no" in exc.value.errors


def test_due_date_defaults_to_the_kinds_interval(staff, db, en_request):
    on = clock.today() - timedelta(days=10)
    instrument = services.create_instrument(staff["station_chief"], {"kind": "gas_detector", "serial_no": "JC-1",
                                                                     "calibrated_on": on})
    assert instrument.calibration_due == rules.next_due(on, 12)


@pytest.mark.parametrize(("data", "field"), [
    ({"calibrated_on": "future", "calibration_due": None}, "calibrated_on"),
    ({"calibrated_on": "today", "calibration_due": "today"}, "calibration_due"),
    ({"holder_id": "card_clerk"}, "holder_id"),
    ({"holder_id": 10**6}, "holder_id"),
    ({"serial_no": "   "}, "serial_no"),
])
def test_register_refuses_bad_values(staff, db, en_request, data, field):
    today = clock.today()
    words = {"future": today + timedelta(days=1), "today": today, "card_clerk": staff["card_clerk"].id}
    body = {"kind": "manometer", "serial_no": "YL-9", **{k: words.get(v, v) for k, v in data.items()}}
    with pytest.raises(Invalid) as exc:
        services.create_instrument(staff["safety_officer"], body)
    assert field in exc.value.errors


@pytest.mark.parametrize("role", ["repair_tech", "pipe_fitter", "meter_reader", "card_clerk", "metering_tech"])
def test_only_the_office_and_chiefs_register(staff, db, en_request, role):
    with pytest.raises(NotAllowed):
        services.create_instrument(staff[role], {"kind": "manometer", "serial_no": "YL-1"})


def test_holders_see_their_own_managers_all(staff, make_instrument, db):
    mine = make_instrument(holder="repair_tech")
    theirs = make_instrument(holder="repair_tech2")
    store = make_instrument(holder=None)
    items, total = services.list_instruments(staff["repair_tech"])
    assert [i.id for i in items] == [mine.id] and total == 1
    with pytest.raises(NotFound):
        services.get_instrument(staff["repair_tech"], theirs.id)
    for role in ("director", "safety_officer", "station_chief"):
        assert services.list_instruments(staff[role])[1] == 3
    assert services.get_instrument(staff["station_chief"], store.id) is store
    with pytest.raises(NotAllowed):
        services.list_instruments(staff["card_clerk"])
    found, _total = services.list_instruments(staff["director"], q=staff["repair_tech2"].name)
    assert [i.id for i in found] == [theirs.id]
    assert services.list_instruments(staff["director"], q="%")[1] == 0  # "%" is a character, not a wildcard


def test_a_passed_calibration_moves_the_dates_forward_and_keeps_the_history(staff, make_instrument, db):
    instrument = make_instrument(due_in=5)
    old_due = instrument.calibration_due
    on = clock.today() - timedelta(days=1)
    check = services.record_check(staff["safety_officer"], instrument, {"kind": "calibration", "on": on, "ok": True,
                                                                        "note": "证书 JL-1"})
    assert (instrument.calibrated_on, instrument.calibration_due) == (on, rules.next_due(on, 12))
    assert (check.previous_due, check.calibration_due, check.status_after) == (old_due, instrument.calibration_due,
                                                                              "in_service")
    explicit = clock.today() + timedelta(days=90)
    services.record_check(staff["station_chief"], instrument, {"kind": "calibration", "on": clock.today(), "ok": True,
                                                               "calibration_due": explicit})
    assert instrument.calibration_due == explicit
    rows = db.session.query(InstrumentCheck).filter_by(instrument_id=instrument.id).all()
    assert len(rows) == 2 and {r.previous_due for r in rows} == {old_due, rules.next_due(on, 12)}


def test_failed_calibration_damage_and_loss_take_it_out_of_use(staff, make_instrument, db):
    office = staff["safety_officer"]
    instrument = make_instrument()
    due = instrument.calibration_due
    with pytest.raises(Invalid) as exc:  # a failure says what happened
        services.record_check(office, instrument, {"kind": "calibration", "ok": False})
    assert "note" in exc.value.errors
    services.record_check(office, instrument, {"kind": "calibration", "ok": False, "note": "示值超差"})
    assert instrument.status == "out_of_service" and instrument.calibration_due == due  # dates unchanged
    services.record_check(office, instrument, {"kind": "calibration", "ok": True})
    assert instrument.status == "in_service"
    services.record_check(office, instrument, {"kind": "damage", "note": "表盘摔裂"})
    assert instrument.status == "out_of_service"
    services.record_check(office, instrument, {"kind": "loss", "note": "作业后遗失"})
    assert instrument.status == "lost"
    with pytest.raises(Invalid) as exc:
        services.record_check(office, instrument, {"kind": "damage", "note": "x"})
    assert "kind" in exc.value.errors


def test_holders_bump_test_their_own_detector(staff, make_instrument, db):
    detector = make_instrument(kind="gas_detector", holder="meter_reader")
    manometer = make_instrument(kind="manometer", holder="meter_reader")
    reader = staff["meter_reader"]
    check = services.record_check(reader, detector, {"kind": "bump_test", "ok": True})
    assert check.ok and check.by_id == reader.id and check.checked_on == clock.today()
    with pytest.raises(Invalid) as exc:  # a bump test needs a gas sensor
        services.record_check(reader, manometer, {"kind": "bump_test", "ok": True})
    assert "kind" in exc.value.errors
    with pytest.raises(Invalid) as exc:
        services.record_check(reader, detector, {"kind": "bump_test"})
    assert "ok" in exc.value.errors
    with pytest.raises(NotAllowed):  # a calibration is the office's
        services.record_check(reader, detector, {"kind": "calibration", "ok": True})
    with pytest.raises(NotFound):  # another holder's instrument
        services.record_check(staff["meter_reader2"], detector, {"kind": "bump_test", "ok": True})
    with pytest.raises(Invalid) as exc:
        services.record_check(reader, detector, {"kind": "bump_test", "ok": True,
                                                 "on": clock.today() + timedelta(days=1)})
    assert "on" in exc.value.errors
    services.record_check(reader, detector, {"kind": "bump_test", "ok": False, "note": "报警无响应"})
    assert detector.status == "out_of_service"


def test_assigning_a_holder(staff, make_instrument, db):
    instrument = make_instrument(holder=None)
    services.update_instrument(staff["station_chief"], instrument, {"holder_id": staff["pipe_fitter"].id})
    assert instrument.holder_id == staff["pipe_fitter"].id
    with pytest.raises(Invalid):
        services.update_instrument(staff["station_chief"], instrument, {"holder_id": staff["statistician"].id})
    with pytest.raises(NotAllowed):
        services.update_instrument(staff["pipe_fitter"], instrument, {"holder_id": None})
    services.update_instrument(staff["station_chief"], instrument, {"holder_id": None})
    assert instrument.holder_id is None


@pytest.mark.parametrize(("due_in", "status", "field_message"), [
    (0, "in_service", None),          # the due day itself
    (-1, "in_service", "due for calibration"),
    (100, "out_of_service", "out of service"),
    (100, "lost", "lost"),
])
def test_check_reading(make_instrument, db, due_in, status, field_message):
    instrument = make_instrument(due_in=due_in)
    instrument.status = status
    if field_message is None:
        assert pressure.check_reading(instrument.id, clock.today()) is instrument
        return
    with pytest.raises(Invalid) as exc:
        pressure.check_reading(instrument.id, clock.today())
    assert field_message in exc.value.errors["instrument_id"][0]


def test_check_reading_refuses_unknown_and_wrong_kinds(make_instrument, db):
    detector = make_instrument(kind="gas_detector")
    for value in (10**6, "1", None):
        with pytest.raises(Invalid) as exc:
            pressure.check_reading(value, clock.today())
        assert "instrument_id" in exc.value.errors
    with pytest.raises(Invalid):
        pressure.check_reading(detector.id, clock.today())


def test_reading_errors_drop_an_instrument_without_pressure(make_instrument, db):
    overdue = make_instrument(due_in=-3)
    results = {"instrument_id": overdue.id}
    assert pressure.reading_errors(results, clock.today(), ("static_pa",)) == {}
    assert "instrument_id" not in results
    results = {"instrument_id": overdue.id, "static_pa": 2000}
    assert "instrument_id" in pressure.reading_errors(results, clock.today(), ("static_pa",))


def test_the_holders_home_card(staff, make_instrument, db):
    assert services.holder_card(staff["repair_tech"]) is None  # holds nothing
    make_instrument(due_in=200)
    assert services.holder_card(staff["repair_tech"]) is None  # nothing to remind
    make_instrument(due_in=10)
    make_instrument(due_in=-2)
    card = services.holder_card(staff["repair_tech"])
    assert (card.held, card.due_soon, card.overdue, card.out_of_use) == (3, 1, 1, 0)
    assert card.next_due == clock.today() - timedelta(days=2)
    assert services.holder_card(staff["card_clerk"]) is None


def test_reading_choices_preselect_a_usable_manometer(staff, make_instrument, db):
    make_instrument(due_in=-2, serial="OLD")
    good = make_instrument(due_in=100, serial="GOOD")
    make_instrument(kind="gas_detector", serial="DET")
    held, chosen = services.reading_choices(staff["repair_tech"])
    assert {i.serial_no for i in held} == {"OLD", "GOOD"} and chosen == good.id
