"""Vehicles of the driver-technicians: the fleet, who drives which, the driver's daily check and mileage,
maintenance due and done. A vehicle past its maintenance date or mileage is flagged (overdue())."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from fieldsvc import audit, clock
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.management import rules
from fieldsvc.management.models import Vehicle, VehicleCheck, VehicleService
from fieldsvc.management.services.common import active_user, paged, required
from fieldsvc.permissions import WHO_MAY, P, can, require

ENTITY = "mgmt_vehicle"
VEHICLE_FIELDS = ("model", "status", "next_service_on", "next_service_km", "note")


def driver_roles() -> list[str]:
    return sorted(str(r) for r in WHO_MAY[P.vehicle_log])


def normal_plate(plate: str) -> str:
    return "".join((plate or "").split()).upper()


# --- reading ----------------------------------------------------------------------------------------

def maintenance(vehicle: Vehicle, today: date | None = None) -> str:
    return rules.maintenance_state(today or clock.today(), vehicle.odometer_km, vehicle.next_service_on,
                                   vehicle.next_service_km)


def list_vehicles(actor, q: str | None = None, status: str | None = None, page: int = 1,
                  per_page: int = 50) -> tuple[list[Vehicle], int]:
    require(actor, P.vehicles_view)
    stmt = select(Vehicle)
    if q and q.strip():
        stmt = stmt.where(or_(Vehicle.plate.contains(normal_plate(q), autoescape=True),  # "%", "_" as typed
                              Vehicle.model.contains(q.strip(), autoescape=True)))
    if status:
        stmt = stmt.where(Vehicle.status == status)
    return paged(stmt, page, per_page, (Vehicle.plate,))


def get_vehicle(actor, vehicle_id: int) -> Vehicle:
    require(actor, P.vehicles_view)
    vehicle = db.session.get(Vehicle, vehicle_id)
    if vehicle is None:
        raise NotFound(_("No such vehicle."))
    return vehicle


def overdue(actor, today: date | None = None) -> list[Vehicle]:
    """Vehicles in service whose maintenance is overdue (by date or by mileage), most overdue first.
    For the station chief's board or home page and the vehicles page."""
    require(actor, P.vehicles_view)
    rows = list(db.session.execute(select(Vehicle).where(*_overdue_where(today or clock.today()))).scalars())
    return sorted(rows, key=lambda v: (v.next_service_on or date.max, v.plate))


def _overdue_where(today: date) -> tuple:
    return (Vehicle.status == "in_service",
            or_(Vehicle.next_service_on < today, Vehicle.odometer_km >= Vehicle.next_service_km))


def overdue_figures(actor) -> dict:
    """For the fleet manager's home card, asked with every card's figures: how many vehicles are overdue."""
    require(actor, P.vehicles_view)
    return {"overdue": select(func.count(Vehicle.id)).where(*_overdue_where(clock.today()))}


def overdue_card(actor, figures: dict | None = None) -> dict | None:
    """The home card of whoever manages the fleet: None when nothing is overdue."""
    rows = overdue(actor) if figures is None or figures["overdue"] else []
    return {"vehicles": rows} if rows else None


def my_vehicle(actor) -> Vehicle | None:
    """The vehicle the actor drives (in service), if any."""
    return db.session.execute(select(Vehicle).where(Vehicle.driver_id == actor.id, Vehicle.status == "in_service")
                              ).scalars().first()


def checked_today(vehicle: Vehicle, today: date | None = None) -> bool:
    return db.session.execute(select(VehicleCheck.id).where(
        VehicleCheck.vehicle_id == vehicle.id, VehicleCheck.checked_on == (today or clock.today()))).first() is not None


@dataclass(frozen=True)
class DriverCard:
    vehicle: Vehicle
    checked: bool
    state: str


def driver_card(actor) -> DriverCard | None:
    """The driver's home card: their vehicle, whether today's check is done, its maintenance state."""
    if not can(actor, P.vehicle_log):
        return None
    vehicle = my_vehicle(actor)
    if vehicle is None:
        return None
    return DriverCard(vehicle, checked_today(vehicle), maintenance(vehicle))


def recent_checks(actor, vehicle: Vehicle, limit: int = 14) -> list[VehicleCheck]:
    require(actor, P.vehicles_view)
    stmt = select(VehicleCheck).where(VehicleCheck.vehicle_id == vehicle.id).order_by(VehicleCheck.at.desc())
    return list(db.session.execute(stmt.limit(limit)).scalars())


# --- writing: the fleet -----------------------------------------------------------------------------

def _check_plate(plate: str, exclude_id: int | None = None) -> None:
    stmt = select(Vehicle.id).where(Vehicle.plate == plate)
    if exclude_id:
        stmt = stmt.where(Vehicle.id != exclude_id)
    if db.session.execute(stmt).first():
        raise Invalid({"plate": [_("This plate is already registered.")]})


def _check_values(data: dict) -> None:
    if data.get("status") is not None and data["status"] not in rules.VEHICLE_STATUSES:
        raise Invalid({"status": [_("Must be one of: %(values)s.", values=", ".join(rules.VEHICLE_STATUSES))]})
    for key in ("odometer_km", "next_service_km"):
        if data.get(key) is not None and data[key] < 0:
            raise Invalid({key: [_("Must be greater than or equal to {min}.").format(min=0)]})


def _set_driver(actor, vehicle: Vehicle, driver_id: int | None) -> None:
    """Give the vehicle to a driver-technician (one vehicle each), or to nobody."""
    if driver_id == vehicle.driver_id:
        return
    if driver_id:
        driver = active_user(driver_id, "driver_id", driver_roles())
        other = db.session.execute(select(Vehicle).where(Vehicle.driver_id == driver.id,
                                                         Vehicle.id != vehicle.id)).scalars().first()
        if other is not None:
            raise Invalid({"driver_id": [_("%(name)s already drives %(plate)s.", name=driver.name,
                                           plate=other.plate)]})
    before = vehicle.driver_id
    vehicle.driver_id = driver_id or None
    db.session.flush()
    audit.record(actor, "vehicle.driver", ENTITY, vehicle.id, **{"from": before, "to": vehicle.driver_id})


def create_vehicle(actor, data: dict) -> Vehicle:
    """data: plate, model, odometer_km, next_service_on, next_service_km, driver_id, note."""
    require(actor, P.vehicles_manage)
    required(data, "plate", "model")
    plate = normal_plate(data["plate"])
    _check_plate(plate)
    _check_values(data)
    vehicle = Vehicle(plate=plate, status=data.get("status") or "in_service", odometer_km=data.get("odometer_km") or 0,
                      **{k: data.get(k) for k in VEHICLE_FIELDS if k != "status"})
    db.session.add(vehicle)
    db.session.flush()
    audit.record(actor, "vehicle.create", ENTITY, vehicle.id, plate=plate, model=vehicle.model,
                 odometer_km=vehicle.odometer_km)
    if data.get("driver_id"):
        _set_driver(actor, vehicle, data["driver_id"])
    return vehicle


def update_vehicle(actor, vehicle: Vehicle, data: dict, lock: int | None = None) -> Vehicle:
    require(actor, P.vehicles_manage)
    if lock is not None and lock != vehicle.version:
        raise Conflict()
    _check_values(data)
    changes = {}
    if data.get("plate") and normal_plate(data["plate"]) != vehicle.plate:
        plate = normal_plate(data["plate"])
        _check_plate(plate, vehicle.id)
        changes["plate"] = [vehicle.plate, plate]
        vehicle.plate = plate
    for key in VEHICLE_FIELDS:
        if key in data and data[key] != getattr(vehicle, key) and (data[key] is not None or key != "status"):
            changes[key] = [getattr(vehicle, key), data[key]]
            setattr(vehicle, key, data[key])
    if changes:
        db.session.flush()
        audit.record(actor, "vehicle.update", ENTITY, vehicle.id, changes=changes)
    if "driver_id" in data:
        _set_driver(actor, vehicle, data["driver_id"])
    if vehicle.status != "in_service" and vehicle.driver_id:
        _set_driver(actor, vehicle, None)  # a vehicle off the road has no driver
    return vehicle


# --- writing: the daily check and maintenance -------------------------------------------------------

def require_log(actor, vehicle: Vehicle) -> None:
    """The daily check is the driver's (or a fleet manager's, keying in a paper log)."""
    require(actor, P.vehicles_view)
    if can(actor, P.vehicles_manage):
        return
    require(actor, P.vehicle_log)
    if vehicle.driver_id != actor.id:  # another driver's vehicle: an object rule, 404
        raise NotFound(_("Only the vehicle's driver records its daily check."))


def _last_check(vehicle: Vehicle) -> VehicleCheck | None:
    return db.session.execute(select(VehicleCheck).where(VehicleCheck.vehicle_id == vehicle.id)
                              .order_by(VehicleCheck.at.desc()).limit(1)).scalar()


def record_check(actor, vehicle: Vehicle, data: dict) -> VehicleCheck:
    """The driver's daily check: odometer (never backwards), each item OK or not, a note for what is not."""
    require_log(actor, vehicle)
    if vehicle.status != "in_service":
        raise Conflict(_("This vehicle is not in service."))
    required(data, "odometer_km")
    today = clock.today()
    last = _last_check(vehicle)
    days = (today - last.checked_on).days if last else None
    problem = rules.odometer_problem(vehicle.odometer_km, data["odometer_km"], days)
    if problem == "backwards":
        raise Invalid({"odometer_km": [_("Below the last reading (%(km)d km).", km=vehicle.odometer_km)]})
    if problem == "jump":
        raise Invalid({"odometer_km": [_("%(km)d km more than the last reading: check the figure.",
                                         km=data["odometer_km"] - vehicle.odometer_km)]})
    results = {code: bool((data.get("results") or {}).get(code)) for code in rules.CHECK_ITEMS}
    failed = rules.failed_items(results)
    if failed and not (data.get("note") or "").strip():
        raise Invalid({"note": [_("Say what is wrong with the items not OK.")]})
    check = VehicleCheck(vehicle_id=vehicle.id, driver_id=actor.id, checked_on=today, odometer_km=data["odometer_km"],
                         results=results, all_ok=not failed, note=data.get("note"))
    db.session.add(check)
    vehicle.odometer_km = data["odometer_km"]
    db.session.flush()
    audit.record(actor, "vehicle.check", ENTITY, vehicle.id, check_id=check.id, odometer_km=check.odometer_km,
                 failed=failed, note=check.note)
    return check


def record_service(actor, vehicle: Vehicle, data: dict) -> VehicleService:
    """Maintenance done: the day, the odometer, the work, and when the next one is due (date and/or km)."""
    require(actor, P.vehicles_manage)
    required(data, "done_on", "odometer_km", "work")
    if data["done_on"] > clock.today():
        raise Invalid({"done_on": [_("The date cannot be in the future.")]})
    if data.get("next_service_on") and data["next_service_on"] <= data["done_on"]:
        raise Invalid({"next_service_on": [_("The next maintenance must come after this one.")]})
    if data.get("next_service_km") is not None and data["next_service_km"] <= data["odometer_km"]:
        raise Invalid({"next_service_km": [_("The next maintenance must come after this one.")]})
    if not data.get("next_service_on") and data.get("next_service_km") is None:
        raise Invalid({"next_service_on": [_("Give the date or the mileage of the next maintenance.")]})
    row = VehicleService(vehicle_id=vehicle.id, by_id=actor.id, **{k: data.get(k) for k in (
        "done_on", "odometer_km", "work", "workshop", "next_service_on", "next_service_km")})
    db.session.add(row)
    vehicle.odometer_km = max(vehicle.odometer_km or 0, data["odometer_km"])
    vehicle.next_service_on, vehicle.next_service_km = data.get("next_service_on"), data.get("next_service_km")
    db.session.flush()
    audit.record(actor, "vehicle.service", ENTITY, vehicle.id, service_id=row.id, done_on=row.done_on,
                 odometer_km=row.odometer_km, next_service_on=row.next_service_on,
                 next_service_km=row.next_service_km)
    return row

