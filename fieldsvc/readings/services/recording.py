"""Recording readings: every value goes through the rules of RULES.md §3 before it is stored.

A refused reading raises `ReadingRefused` (a 422 whose message starts with the anomaly code) and
stores nothing; the page keeps the typed value and, for a spike or a negative reading, asks for a
confirmation with a reason and a photo of the register.
"""
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldsvc import audit, clock, labels, uploads
from fieldsvc.customers.models import Meter
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.permissions import P, can, require
from fieldsvc.readings import rules
from fieldsvc.readings.models import Reading
from fieldsvc.readings.services import access, billing, history

CODE_MESSAGES = {
    rules.Code.too_many_digits: lambda d: _(
        "The register has only %(digits)d digits: this is not a value it can show.", **d),
    rules.Code.not_after_previous: lambda d: _(
        "The reading time must be later than the previous reading (%(when)s).", **d),
    rules.Code.estimate_limit: lambda d: _(
        "This meter was estimated twice in a row. A third estimate is not allowed: the meter must be read on site."),
    rules.Code.negative: lambda d: _(
        "The value is lower than the previous reading (%(previous)s). Read the register again; if it is right, "
        "confirm with a reason and a photo of the register.", **d),
    rules.Code.implausible: lambda d: _(
        "That is %(flow)s m³/h since the previous reading, more than this meter can pass (%(qmax)s m³/h). "
        "It is probably a misread: read the register again.", **d),
    rules.Code.spike: lambda d: _(
        "%(per_day)s m³ a day is more than 3 times this meter's usual %(mean)s m³ a day. Read the register "
        "again; if it is right, confirm with a reason and a photo of the register.", **d),
}


FUTURE_SLACK = timedelta(minutes=10)  # a phone clock a few minutes ahead is not "the future"


class ReadingRefused(Invalid):
    """A reading the rules refuse; `code` is the anomaly code, `confirmable` whether a confirmation helps."""

    def __init__(self, code: str, field: str, detail: dict):
        self.code = code
        self.confirmable = code in rules.CONFIRMABLE
        super().__init__({field: [f"{code}: {CODE_MESSAGES[code](detail)}"]})


def _refuse(outcome: rules.Outcome, ctx: rules.Context) -> ReadingRefused:
    detail = dict(outcome.detail)
    if outcome.rejected == rules.Code.not_after_previous:
        detail["when"] = format_datetime(ctx.previous.at, "short")
    return ReadingRefused(outcome.rejected, outcome.field, detail)


def meter_readings(actor, meter_id: int, page: int = 1, per_page: int = 50) -> tuple[list[Reading], int]:
    """Every reading of the meter, sent-back ones included, newest first (readers: own routes only)."""
    require(actor, P.routes_open)
    access.visible_meter(actor, meter_id)
    stmt = select(Reading).where(Reading.meter_id == meter_id)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.order_by(Reading.read_at.desc(), Reading.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).scalars()
    return list(rows), total


def meter_for_recording(actor, meter_id: int) -> Meter:
    """The meter if the actor may read it (readers: only meters on their own routes → else 404)."""
    require(actor, P.readings_record)
    meter = access.visible_meter(actor, meter_id)
    if meter.customer_id is None:
        raise Invalid({"meter_id": [_("This meter is not installed at a customer.")]})
    return meter


def source_for(actor) -> str:
    """Where a reading typed on the pages comes from: "field" when the actor walks their own routes (the
    reader at the meter), else "office" (the chief typing a value in)."""
    return "field" if can(actor, P.routes_work) else "office"


def record_reading(actor, meter_id: int, data: dict, photo: bytes | None = None,
                   require_photo: bool = False) -> Reading:
    """data: value, read_at (aware; default now), kind (actual|estimated|self), confirm, reason, route_id,
    source. A confirmed spike or negative needs a reason (and a photo when `require_photo`, on the phone).
    A second actual/estimated/self reading of the meter in the cycle is a `Conflict` (RULES.md §3)."""
    meter = meter_for_recording(actor, meter_id)
    return record_on_meter(actor, meter, data, photo, require_photo)


def record_on_meter(actor, meter: Meter, data: dict, photo: bytes | None = None,
                    require_photo: bool = False) -> Reading:
    """`record_reading` without the permission check, for callers whose authority is checked (the chief's
    meter change, a completed work order): the same rules, the same one-per-cycle conflict."""
    kind = data.get("kind") or rules.Kind.actual
    if account_closed(meter):
        raise Invalid({"meter_id": [_("This customer's account is closed: its meter is not read any more.")]})
    read_at = data.get("read_at") or clock.now()
    if read_at > clock.now() + FUTURE_SLACK:
        raise Invalid({"read_at": [_("The reading time is in the future.")]})
    check_one_per_cycle(meter, kind, clock.business_date(read_at))
    past = history.for_meter(meter)
    outcome = rules.check_reading(Decimal(data["value"]), read_at, kind, past.context, bool(data.get("confirm")),
                                  past.recent_kinds, shut_off=supply_shut_off(meter))
    if not outcome.accepted:
        raise _refuse(outcome, past.context)
    if set(outcome.anomalies) & rules.CONFIRMABLE:
        _check_confirmation(data, photo, require_photo)
    reading = store(actor, meter, data, kind, read_at, outcome)
    if photo:
        reading.photo_id = uploads.save_image(actor, photo, entity="reading", entity_id=reading.id,
                                              field="photo").id
    return finish(actor, reading)


def supply_shut_off(meter: Meter) -> bool:
    """A customer whose gas is shut off is expected to read zero."""
    return meter.customer is not None and meter.customer.gas_off


def account_closed(meter: Meter) -> bool:
    """A closed account (销户) is never read again: its final reading was the last."""
    return meter.customer is not None and meter.customer.status == "closed"


def record_final(actor, meter: Meter, value: Decimal, *, confirm: bool = False, reason: str | None = None,
                 field: str = "final_reading") -> Reading:
    """The final reading of an account being closed (销户), checked by the rules like any reading and billed
    (a final reading has its own bill). No permission check: the caller (customers' approval of a closing
    request) has checked its own authority in this transaction. Errors name `field`."""
    if meter.customer_id is None:
        raise Conflict(_("This meter is not installed at a customer."))
    data = {"value": value, "read_at": clock.now(), "kind": rules.Kind.final, "source": "office",
            "confirm": confirm, "reason": reason}
    with fields_named({"value": field, "read_at": field, "reason": field, "meter_id": field}):
        return record_on_meter(actor, meter, data)


def reading_in_cycle(meter_id: int, cycle: str) -> Reading | None:
    """The meter's live actual, estimated or self reading of the cycle, if it has one."""
    stmt = (select(Reading).where(Reading.meter_id == meter_id, Reading.cycle == cycle,
                                  Reading.status.in_(history.LIVE), Reading.kind.in_(rules.ONCE_A_CYCLE))
            .order_by(Reading.read_at).limit(1))
    return db.session.execute(stmt).scalar_one_or_none()


def check_one_per_cycle(meter: Meter, kind: str, read_on: date) -> None:
    """RULES.md §3: one actual, estimated or self reading per meter per cycle, whichever door it comes
    through (page, API, offline replay, sync, work order); a meter change's final and start are outside.
    The meter row is locked first (PostgreSQL) so two requests at once cannot both pass."""
    if kind not in rules.ONCE_A_CYCLE:
        return
    db.session.execute(select(Meter.id).where(Meter.id == meter.id).with_for_update())
    cycle = rules.cycle_of(read_on)
    done = reading_in_cycle(meter.id, cycle)
    if done is not None:
        raise Conflict(_("This meter already has a reading for %(cycle)s (%(kind)s %(value)s, %(date)s). "
                         "Only one reading a month is allowed: this one was not saved.",
                         cycle=cycle, kind=labels.label(done.kind, "reading_kind"),
                         value=format_decimal(done.value), date=format_date(done.read_on)))


def _check_confirmation(data: dict, photo: bytes | None, require_photo: bool) -> None:
    errors = {}
    if not (data.get("reason") or "").strip():
        errors["reason"] = [_("Say why the reading is right (for example: re-read, new heater).")]
    if require_photo and not photo:
        errors["photo"] = [_("Take a photo of the register.")]
    if errors:
        raise Invalid(errors)


def store(actor, meter: Meter, data: dict, kind: str, read_at: datetime, outcome: rules.Outcome) -> Reading:
    """Insert a reading the rules accepted: pending when flagged, else accepted. Flushes and audits.
    Every reading goes through here, so the one-per-cycle rule is checked here too (a `Conflict`)."""
    read_on = clock.business_date(read_at)
    check_one_per_cycle(meter, kind, read_on)
    reading = Reading(meter_id=meter.id, customer_id=meter.customer_id, route_id=data.get("route_id"),
                      cycle=rules.cycle_of(read_on), read_at=read_at, read_on=read_on,
                      value=Decimal(data["value"]), kind=kind, consumption_m3=outcome.consumption,
                      anomalies=",".join(outcome.anomalies),
                      status="pending" if outcome.anomalies else "accepted",
                      source=data.get("source") or "field", reason=data.get("reason") or None,
                      recorded_by=getattr(actor, "id", None))
    if reading.route_id is None:
        route = access.meter_route(meter.id)
        reading.route_id = route.id if route else None
    db.session.add(reading)
    db.session.flush()
    audit.record(actor, "reading.record", "meter", meter.id, reading_id=reading.id, value=reading.value,
                 kind=kind, consumption_m3=reading.consumption_m3, anomalies=reading.anomalies,
                 customer_id=meter.customer_id, **_order_link(data))
    return reading


def _order_link(data: dict) -> dict:
    return {"work_order_id": data["work_order_id"]} if data.get("work_order_id") else {}


def finish(actor, reading: Reading) -> Reading:
    """An unflagged reading is final at once and billed; a flagged one waits for the chief."""
    if reading.status == "accepted":
        billing.bill_for_reading(actor, reading)
    return reading


def record_for_order(actor, meter: Meter, value: Decimal, *, work_order_id: int, confirm: bool = False,
                     reason: str | None = None) -> Reading | None:
    """A suspension's final reading, written by the completion of work order `work_order_id`. No permission
    check: dispatch's completion has checked that this technician may complete the order. Checked by the
    rules like a field reading (a refusal is `Invalid` naming `final_reading`; a spike or negative passes
    with `confirm` and a `reason`) and stored as an actual reading with source "work_order", billed when
    not flagged. When the meter already has its actual/estimated/self reading of this cycle, nothing is
    stored and None is returned (never a second bill)."""
    if meter.customer_id is None:
        raise Conflict(_("This meter is not installed at a customer."))
    now = clock.now()
    if reading_in_cycle(meter.id, rules.cycle_of(clock.business_date(now))) is not None:
        return None
    data = {"value": value, "read_at": now, "kind": rules.Kind.actual, "source": "work_order",
            "confirm": confirm, "reason": reason, "work_order_id": work_order_id}
    with fields_named({"value": "final_reading", "read_at": "final_reading", "reason": "final_reading"}):
        return record_on_meter(actor, meter, data)


@contextmanager
def fields_named(names: dict[str, str]):
    """Re-key the field errors of an `Invalid` raised inside: a form or an order calls the value otherwise."""
    try:
        yield
    except Invalid as exc:
        errors: dict[str, list] = {}
        for key, msgs in exc.errors.items():
            errors.setdefault(names.get(key, key), []).extend(msgs)
        exc.errors = errors
        raise
