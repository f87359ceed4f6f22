"""Vehicles: registration, one vehicle per driver-technician, the driver's daily check (odometer never
backwards, a note for what is not OK), maintenance, and the overdue flag."""
from datetime import timedelta

import pytest

from fieldsvc import clock
from fieldsvc.errors import Invalid, NotAllowed, NotFound
from fieldsvc.management import rules
from fieldsvc.management.services import vehicles

ALL_OK = {code: True for code in rules.CHECK_ITEMS}


def test_register_with_a_normalised_unique_plate(staff, make_vehicle, db):
    vehicle = make_vehicle(plate=" 沪a·12345 ")
    assert vehicle.plate == "沪A·12345" and vehicle.driver_id == staff["repair_tech"].id
    with pytest.raises(Invalid) as exc:
        make_vehicle(plate="沪A·12345", driver=None)
    assert "plate" in exc.value.errors
    with pytest.raises(NotAllowed):
        vehicles.create_vehicle(staff["repair_tech"], {"plate": "沪B1", "model": "x"})


def test_one_vehicle_per_driver_and_only_driver_technicians(staff, make_vehicle, db):
    make_vehicle(plate="沪A1")
    with pytest.raises(Invalid) as exc:
        make_vehicle(plate="沪A2", driver="repair_tech")
    assert "driver_id" in exc.value.errors
    with pytest.raises(Invalid):
        make_vehicle(plate="沪A3", driver="meter_reader")
    second = make_vehicle(plate="沪A4", driver="pipe_fitter")
    vehicles.update_vehicle(staff["station_chief"], second, {"status": "out_of_service"})
    assert second.driver_id is None  # off the road: nobody drives it


def test_the_drivers_daily_check(staff, make_vehicle, db):
    vehicle = make_vehicle()
    driver = staff["repair_tech"]
    with pytest.raises(NotFound):  # another technician's vehicle
        vehicles.record_check(staff["repair_tech2"], vehicle, {"odometer_km": 20010, "results": ALL_OK})
    with pytest.raises(Invalid) as exc:
        vehicles.record_check(driver, vehicle, {"odometer_km": 19999, "results": ALL_OK})
    assert "odometer_km" in exc.value.errors
    with pytest.raises(Invalid) as exc:
        vehicles.record_check(driver, vehicle, {"odometer_km": 20050, "results": {**ALL_OK, "brakes": False}})
    assert "note" in exc.value.errors
    check = vehicles.record_check(driver, vehicle, {"odometer_km": 20050, "results": {**ALL_OK, "brakes": False},
                                                    "note": "刹车偏软"})
    assert not check.all_ok and vehicle.odometer_km == 20050
    assert vehicles.checked_today(vehicle)
    with pytest.raises(Invalid) as exc:  # an extra digit, the same day
        vehicles.record_check(driver, vehicle, {"odometer_km": 200500, "results": ALL_OK})
    assert "odometer_km" in exc.value.errors
    # The fleet manager may key in a paper log.
    vehicles.record_check(staff["station_chief"], vehicle, {"odometer_km": 20060, "results": ALL_OK})
    card = vehicles.driver_card(driver)
    assert card.vehicle.id == vehicle.id and card.checked


def test_overdue_by_date_or_by_mileage(staff, make_vehicle, db):
    today = clock.today()
    by_date = make_vehicle(plate="沪D1", driver=None, next_service_on=today - timedelta(days=1))
    by_km = make_vehicle(plate="沪D2", driver=None, next_service_km=20000)  # odometer 20000 reached it
    fine = make_vehicle(plate="沪D3", driver=None, next_service_on=today + timedelta(days=60), next_service_km=30000)
    soon = make_vehicle(plate="沪D4", driver=None, next_service_on=today + timedelta(days=3))
    retired = make_vehicle(plate="沪D5", driver=None, next_service_on=today - timedelta(days=9))
    vehicles.update_vehicle(staff["director"], retired, {"status": "retired"})
    assert [v.plate for v in vehicles.overdue(staff["station_chief"])] == ["沪D1", "沪D2"]
    assert vehicles.maintenance(fine) == "ok" and vehicles.maintenance(soon) == "due_soon"
    assert vehicles.overdue_card(staff["station_chief"])["vehicles"][0].id == by_date.id
    # Maintenance done clears the flag.
    vehicles.record_service(staff["station_chief"], by_km, {
        "done_on": today, "odometer_km": 20010, "work": "更换机油、机滤", "next_service_km": 25000,
        "next_service_on": today + timedelta(days=180)})
    assert [v.plate for v in vehicles.overdue(staff["station_chief"])] == ["沪D1"]
    with pytest.raises(Invalid):
        vehicles.record_service(staff["station_chief"], by_date, {"done_on": today, "odometer_km": 20000,
                                                                  "work": "保养"})  # no next maintenance
    with pytest.raises(NotAllowed):
        vehicles.overdue(staff["card_clerk"])
