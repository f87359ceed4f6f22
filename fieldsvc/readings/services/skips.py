"""Stops not read: nobody home (estimated reading), not reachable, damaged meter, suspected bypass;
and the meter change (final reading of the old meter, start reading of the new one)."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import audit, clock, uploads
from fieldsvc.customers import services as customers
from fieldsvc.customers.models import Meter
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require
from fieldsvc.readings import rules
from fieldsvc.readings.models import Reading, RouteStop, Skip
from fieldsvc.readings.rules import SkipCode
from fieldsvc.readings.services import access, history, recording, workorders


def skip_stop(actor, meter_id: int, code: str, note: str | None = None, photo: bytes | None = None,
              route_id: int | None = None) -> Skip:
    """Record why a stop was not read. Nobody home: an estimated reading when the history allows it
    (refused as the third estimate in a row → the skip asks the chief for a field visit). Damaged meter:
    a meter_replacement work order, or the `needs_replacement` flag when dispatch cannot take it.
    Nobody home at a meter that already has its reading of the month is a `Conflict` (no second estimate)."""
    meter = recording.meter_for_recording(actor, meter_id)
    code = SkipCode(code)
    now = clock.now()
    if code == SkipCode.nobody_home:
        recording.check_one_per_cycle(meter, rules.Kind.estimated, clock.business_date(now))
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
    shut_off = recording.supply_shut_off(meter)
    # No gas flows to a shut-off supply: the estimate is nil, never a bill for gas that could not be used.
    consumption = Decimal(0) if shut_off else rules.estimate_consumption(start, now.date(), past.dated)
    if consumption is None:
        skip.needs_visit = True  # no actual reading to estimate from
        return
    value = rules.estimated_value(past.context.previous.value, consumption, meter.digits)
    outcome = rules.check_reading(value, now, rules.Kind.estimated, past.context, False, past.recent_kinds,
                                  shut_off=shut_off)
    if not outcome.accepted:
        skip.needs_visit = True  # the third estimate in a row: a field visit is needed
        return
    reading = recording.store(actor, meter, {"value": value, "source": "field", "route_id": skip.route_id},
                               rules.Kind.estimated, now, outcome)
    skip.reading_id = reading.id
    recording.finish(actor, reading)


# --- meter change ---------------------------------------------------------------------------------
# The chief's page and a completed meter_replacement order share one implementation (`_swap`); each calls
# the fields by its own form's names.
PAGE_FIELDS = {"value": "final_value", "read_at": "on", "removed_on": "on"}
ORDER_FIELDS = {"value": "old_reading", "read_at": "old_reading", "reason": "old_reading", "removed_on": "on",
                "start_value": "new_reading"}


@dataclass(frozen=True)
class _Swap:
    new_serial: str
    final_value: Decimal
    start_value: Decimal
    on: date
    reason: str | None = None
    confirm: bool = False
    source: str = "office"
    work_order_id: int | None = None


def change_meter(actor, old: Meter, data: dict) -> tuple[Reading, Reading]:
    """Meter change by the chief: data = on (date), final_value, new_serial, start_value (default 0), reason,
    confirm. The old meter's final reading is checked and billed like any reading; the route stop
    moves to the new meter, whose start reading is the previous reading of its first period."""
    require(actor, P.meter_change)
    recording.meter_for_recording(actor, old.id)
    swap = _Swap(data["new_serial"], Decimal(data["final_value"]), data.get("start_value") or Decimal(0), data["on"],
                 data.get("reason") or None, bool(data.get("confirm")))
    with recording.fields_named(PAGE_FIELDS):
        return _swap(actor, old, swap)


def change_meter_for_order(actor, old: Meter, *, new_serial: str, final_value: Decimal, start_value: Decimal,
                           on: date, work_order_id: int, reason: str | None = None,
                           confirm: bool = False) -> tuple[Reading, Reading]:
    """The meter change written by a completed meter_replacement order: the same as `change_meter` (final
    reading of the old meter checked and billed, removal, installation of the new meter at the customer,
    start reading, the route stop moves), with source "work_order" and the order's id on the readings'
    and the change's audit. No permission check: dispatch's completion has checked that this technician
    may complete the order. Field errors are named `old_reading`, `new_serial` and `new_reading`."""
    missing = {name: [_("Enter this reading.")] for name, value in (("old_reading", final_value),
                                                                     ("new_reading", start_value)) if value is None}
    if missing:
        raise Invalid(missing)
    swap = _Swap(new_serial, Decimal(final_value), Decimal(start_value), on, reason, confirm, "work_order",
                 work_order_id)
    with recording.fields_named(ORDER_FIELDS):
        return _swap(actor, old, swap)


def _swap(actor, old: Meter, swap: _Swap) -> tuple[Reading, Reading]:
    if old.customer_id is None:
        raise Conflict(_("This meter is not installed at a customer."))
    new = _check_swap(swap)
    at = clock.now() if swap.on == clock.today() else rules.start_of_day(swap.on, clock.zone()).replace(hour=12)
    customer = old.customer
    link = {"work_order_id": swap.work_order_id} if swap.work_order_id else {}
    final = recording.record_on_meter(actor, old, {
        "value": swap.final_value, "read_at": at, "kind": rules.Kind.final, "confirm": swap.confirm,
        "reason": swap.reason, "source": swap.source, **link})
    customers.unfit_meter(actor, old, swap.on, final.value, swap.reason or _removal_reason(swap))
    customers.fit_meter(actor, new, customer, swap.on, swap.start_value)
    start = recording.store(actor, new, {"value": swap.start_value, "route_id": final.route_id,
                                         "source": swap.source, **link},
                            rules.Kind.start, at, rules.Outcome(Decimal(0)))
    _move_stop(old, new)
    _resolve_damaged(actor, old)
    audit.record(actor, "reading.meter_change", "customer", customer.id, old_meter_id=old.id,
                 new_meter_id=new.id, final_value=final.value, start_value=swap.start_value, on=swap.on, **link)
    return final, start


def _check_swap(swap: _Swap) -> Meter:
    """The new meter (in stock), a start value its register can show, a date not in the future."""
    errors = {}
    new = db.session.execute(select(Meter).where(Meter.serial_no == (swap.new_serial or "").strip())
                             ).scalar_one_or_none()
    if new is None or new.status not in ("in_stock", "removed") or new.customer_id is not None:
        errors["new_serial"] = [_("No meter in stock has this serial number.")]
    elif not 0 <= swap.start_value < rules.register_limit(new.digits):
        errors["start_value"] = [_("Not a value the new meter's register can show (0 to %(max)s).",
                                   max=rules.register_limit(new.digits) - 1)]
    if swap.on > clock.today():
        errors["on"] = [_("The date is in the future.")]
    if errors:
        raise Invalid(errors)
    return new


def _removal_reason(swap: _Swap) -> str:
    if swap.work_order_id:
        return _("Meter replacement, work order %(id)s", id=swap.work_order_id)
    return _("Meter change")


def _move_stop(old: Meter, new: Meter) -> None:
    stop = db.session.execute(select(RouteStop).where(RouteStop.meter_id == old.id)).scalar_one_or_none()
    if stop is not None:
        stop.meter_id = new.id
        db.session.flush()


def _resolve_damaged(actor, old: Meter) -> None:
    """The damaged-meter skips of a meter taken out are dealt with: nothing is left for the chief."""
    stmt = select(Skip).where(Skip.meter_id == old.id, Skip.code == SkipCode.meter_damaged, Skip.status == "open")
    for skip in db.session.execute(stmt).scalars():
        skip.status, skip.resolved_by, skip.resolved_at = "resolved", getattr(actor, "id", None), utcnow()
        audit.record(actor, "reading.skip_resolve", "meter", old.id, skip_id=skip.id, by="meter_change")
