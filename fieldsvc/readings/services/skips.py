"""Stops not read: nobody home (estimated reading), not reachable, damaged meter, suspected bypass;
and the meter change (final reading of the old meter, start reading of the new one)."""
from datetime import date
from decimal import Decimal
from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import audit, clock, uploads
from fieldsvc.customers import services as customers
from fieldsvc.customers.models import Meter
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.permissions import P, require
from fieldsvc.readings import rules
from fieldsvc.readings.models import Reading, RouteStop, Skip
from fieldsvc.readings.services import access, history, recording, workorders


class SkipCode(StrEnum):
    nobody_home = "nobody_home"
    not_reachable = "not_reachable"
    meter_damaged = "meter_damaged"
    bypass = "bypass"


def skip_stop(actor, meter_id: int, code: str, note: str | None = None, photo: bytes | None = None,
              route_id: int | None = None) -> Skip:
    """Record why a stop was not read. Nobody home: an estimated reading when the history allows it
    (refused as the third estimate in a row → the skip asks the chief for a field visit). Damaged meter:
    a meter_replacement work order, or the `needs_replacement` flag when dispatch cannot take it."""
    meter = recording.meter_for_recording(actor, meter_id)
    code = SkipCode(code)
    now = clock.now()
    route = access.meter_route(meter.id)
    skip = Skip(route_id=route_id or (route.id if route else None), meter_id=meter.id,
                customer_id=meter.customer_id, cycle=rules.cycle_of(now.date()), code=code, note=note or None,
                recorded_by=actor.id, at=now)
    db.session.add(skip)
    db.session.flush()
    if code == SkipCode.nobody_home:
        _estimate(actor, meter, skip, now)
    elif code == SkipCode.meter_damaged:
        skip.work_order_id = workorders.request_order(
            actor, workorders.REPLACEMENT, meter.customer_id,
            _("Meter %(serial)s found damaged on the reading route.", serial=meter.serial_no)
            + (f" {note}" if note else ""))
        skip.needs_replacement = skip.work_order_id is None
    if photo:
        skip.photo_id = uploads.save_image(actor, photo, entity="reading_skip", entity_id=skip.id, field="photo").id
    if code == SkipCode.nobody_home and skip.reading_id and not skip.needs_visit:
        skip.status = "resolved"  # the estimate stands in for the reading: nothing for the chief to do
    audit.record(actor, "reading.skip", "meter", meter.id, skip_id=skip.id, code=code,
                 reading_id=skip.reading_id, work_order_id=skip.work_order_id,
                 needs_replacement=skip.needs_replacement, needs_visit=skip.needs_visit,
                 customer_id=meter.customer_id)
    return skip


def _estimate(actor, meter: Meter, skip: Skip, now) -> None:
    past = history.for_meter(meter)
    start = clock.business_date(past.context.previous.at)
    consumption = rules.estimate_consumption(start, now.date(), past.dated)
    if consumption is None:
        skip.needs_visit = True  # no actual reading to estimate from
        return
    value = rules.estimated_value(past.context.previous.value, consumption, meter.digits)
    outcome = rules.check_reading(value, now, rules.Kind.estimated, past.context, False, past.recent_kinds)
    if not outcome.accepted:
        skip.needs_visit = True  # the third estimate in a row: a field visit is needed
        return
    reading = recording.store(actor, meter, {"value": value, "source": "field", "route_id": skip.route_id},
                               rules.Kind.estimated, now, outcome)
    skip.reading_id = reading.id
    recording.finish(actor, reading)


def change_meter(actor, old: Meter, data: dict) -> tuple[Reading, Reading]:
    """Meter change: data = on (date), final_value, new_serial, start_value (default 0), reason,
    confirm. The old meter's final reading is checked and billed like any reading; the route stop
    moves to the new meter, whose start reading is the previous reading of its first period."""
    require(actor, P.meter_change)
    recording.meter_for_recording(actor, old.id)
    new = db.session.execute(select(Meter).where(Meter.serial_no == data["new_serial"])).scalar_one_or_none()
    if new is None or new.status not in ("in_stock", "removed") or new.customer_id is not None:
        raise Invalid({"new_serial": [_("No meter in stock has this serial number.")]})
    on: date = data["on"]
    if on > clock.today():
        raise Invalid({"on": [_("The date is in the future.")]})
    at = clock.now() if on == clock.today() else rules.start_of_day(on, clock.zone()).replace(hour=12)
    customer = old.customer
    try:
        final = recording.record_reading(actor, old.id, {
            "value": data["final_value"], "read_at": at, "kind": rules.Kind.final, "confirm": data.get("confirm"),
            "reason": data.get("reason"), "source": "office"})
    except Invalid as exc:  # the form calls the value "final_value"
        if "value" in exc.errors:
            exc.errors["final_value"] = exc.errors.pop("value")
        raise
    customers.remove_meter(actor, old, on, final.value, data.get("reason") or _("Meter change"))
    start_value = data.get("start_value") or Decimal(0)
    customers.install_meter(actor, new, customer, on, start_value)
    start = Reading(meter_id=new.id, customer_id=customer.id, route_id=final.route_id, cycle=rules.cycle_of(on),
                    read_at=at, read_on=on, value=start_value, kind=rules.Kind.start, consumption_m3=Decimal(0),
                    anomalies="", status="accepted", source="office", recorded_by=actor.id)
    db.session.add(start)
    stop = db.session.execute(select(RouteStop).where(RouteStop.meter_id == old.id)).scalar_one_or_none()
    if stop is not None:
        stop.meter_id = new.id
    db.session.flush()
    audit.record(actor, "reading.meter_change", "customer", customer.id, old_meter_id=old.id,
                 new_meter_id=new.id, final_value=final.value, start_value=start_value, on=on)
    return final, start
