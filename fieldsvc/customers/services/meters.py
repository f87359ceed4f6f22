"""Meters: the register of meters, and fitting, removing, commissioning and sealing them at a customer."""
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldsvc import audit, clock
from fieldsvc.customers import rules
from fieldsvc.customers.models import Customer, Meter, MeterInstallation
from fieldsvc.customers.services.customers import get_customer
from fieldsvc.errors import Conflict, Duplicate, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.permissions import P, require

METER_FIELDS = ("size", "accuracy_class", "kind", "location", "maker", "made_on", "first_verified_on", "digits")


def search_meters(actor, q: str | None = None, status: str | None = None,
                  page: int = 1, per_page: int = 50) -> tuple[list[Meter], int]:
    require(actor, P.customers_view)
    stmt = select(Meter)
    if q and q.strip():
        stmt = stmt.where(Meter.serial_no.startswith(q.strip(), autoescape=True))
    if status:
        stmt = stmt.where(Meter.status == status)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.order_by(Meter.serial_no).limit(per_page).offset((page - 1) * per_page))
    return list(rows.scalars()), total


def get_meter(actor, meter_id: int) -> Meter:
    require(actor, P.customers_view)
    meter = db.session.get(Meter, meter_id)
    if meter is None:
        raise NotFound(_("No such meter."))
    return meter


def _check_serial_unique(serial_no: str, exclude_id: int | None = None) -> None:
    stmt = select(Meter.id).where(Meter.serial_no == serial_no)
    if exclude_id:
        stmt = stmt.where(Meter.id != exclude_id)
    if db.session.execute(stmt).first():
        raise Duplicate("serial_no", _("This meter serial number already exists."))


def _check_register(value: Decimal | None, digits: int | None, field: str = "start_reading") -> None:
    """A register of `digits` whole digits shows readings below 10^digits (RULES.md §2): more is a typing slip."""
    if value is not None and digits is not None and Decimal(str(value)) >= Decimal(10) ** digits:  # jobs send text
        raise Invalid({field: [_("A reading on a %(n)d-digit register is less than %(limit)s.", n=digits,
                                 limit=10 ** digits)]})


def create_meter(actor, data: dict) -> Meter:
    """Register a meter: in stock, or installed at `customer_id` from `installed_on` (default today)."""
    require(actor, P.meters_edit)
    _check_serial_unique(data["serial_no"])
    meter = Meter(serial_no=data["serial_no"], status=rules.MeterStatus.in_stock,
                  start_reading=data.get("start_reading") or Decimal(0),
                  **{k: data[k] for k in METER_FIELDS if data.get(k) is not None})
    # Before the insert: a value the register cannot show may not fit the column either (PostgreSQL refuses it).
    _check_register(meter.start_reading, data.get("digits") or Meter.digits.default.arg)
    db.session.add(meter)
    db.session.flush()
    audit.record(actor, "meter.create", "meter", meter.id, serial_no=meter.serial_no)
    if data.get("customer_id"):
        customer = get_customer(actor, data["customer_id"])
        install_meter(actor, meter, customer, data.get("installed_on") or clock.today(), meter.start_reading)
    return meter


def update_meter(actor, meter: Meter, data: dict, version: int | None = None) -> Meter:
    """Edit the meter's description. Moving it between customers goes through install/remove."""
    require(actor, P.meters_edit)
    if version is not None and version != meter.version:
        raise Conflict()
    if data.get("serial_no") and data["serial_no"] != meter.serial_no:
        _check_serial_unique(data["serial_no"], meter.id)
        meter.serial_no = data["serial_no"]
    changes = {}
    for key in (*METER_FIELDS, "start_reading"):
        if key in data and data[key] is not None and getattr(meter, key) != data[key]:
            changes[key] = [getattr(meter, key), data[key]]
            setattr(meter, key, data[key])
    _check_register(meter.start_reading, meter.digits)
    if "customer_id" in data and data["customer_id"] != meter.customer_id:
        if data["customer_id"] is None:
            remove_meter(actor, meter, clock.today(), None, _("Removed through the API"))
        else:
            if meter.customer_id is not None:
                raise Conflict(_("The meter is installed at another customer: remove it first."))
            install_meter(actor, meter, get_customer(actor, data["customer_id"]),
                          data.get("installed_on") or clock.today(), meter.start_reading)
    if changes:
        db.session.flush()
        audit.record(actor, "meter.update", "meter", meter.id, changes=changes)
    return meter


def install_meter(actor, meter: Meter, customer: Customer, on: date, start_reading: Decimal) -> MeterInstallation:
    require(actor, P.meters_edit)
    return fit_meter(actor, meter, customer, on, start_reading)


def fit_meter(actor, meter: Meter, customer: Customer, on: date, start_reading: Decimal) -> MeterInstallation:
    """Install without a permission check: for a use case whose own authority was checked (a completed
    meter-replacement order, a chief's meter change)."""
    if meter.status not in (rules.MeterStatus.in_stock, rules.MeterStatus.removed) or meter.customer_id:
        raise Conflict(_("Only a meter in stock can be installed."))
    _check_register(start_reading, meter.digits)
    meter.customer_id = customer.id
    meter.installed_on = on
    meter.start_reading = start_reading
    meter.status = rules.MeterStatus.installed
    row = MeterInstallation(meter=meter, customer=customer, installed_on=on, start_reading=start_reading)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "meter.install", "customer", customer.id, meter_id=meter.id,
                 serial_no=meter.serial_no, on=on, start_reading=start_reading)
    return row


def remove_meter(actor, meter: Meter, on: date, final_reading: Decimal | None, reason: str) -> None:
    require(actor, P.meters_edit)
    unfit_meter(actor, meter, on, final_reading, reason)


def unfit_meter(actor, meter: Meter, on: date, final_reading: Decimal | None, reason: str) -> None:
    """Remove without a permission check (see fit_meter)."""
    if meter.customer_id is None:
        raise Conflict(_("The meter is not installed."))
    current = next((i for i in reversed(meter.installations) if i.removed_on is None), None)
    if current is not None:
        if on < current.installed_on:
            raise Invalid({"removed_on": [_("The removal date is before the installation date.")]})
        current.removed_on, current.final_reading, current.removal_reason = on, final_reading, reason
    audit.record(actor, "meter.remove", "customer", meter.customer_id, meter_id=meter.id,
                 serial_no=meter.serial_no, on=on, final_reading=final_reading, reason=reason)
    meter.customer_id = None
    meter.installed_on = None
    meter.status = rules.MeterStatus.removed


def installed_meter(customer: Customer, serial_no: str | None = None, field: str = "old_serial") -> Meter:
    """The customer's meter for a job: the one named, or the only one installed (Invalid naming
    `field` when there is none, or several and none named)."""
    meters = [m for m in customer.meters if m.status == rules.MeterStatus.installed]
    if serial_no:
        meters = [m for m in meters if m.serial_no == serial_no]
        if not meters:
            raise Invalid({field: [_("No meter with this serial number is installed at this customer.")]})
    if not meters:
        raise Invalid({field: [_("No meter is installed at this customer.")]})
    if len(meters) > 1:
        raise Invalid({field: [_("This customer has several meters: give the serial number of the one meant.")]})
    return meters[0]


def commission_meter(actor, meter: Meter, on: date, seal_no: str, start_reading: Decimal | None) -> Meter:
    """Gas let in (purge and ignite): the seal on the meter, today as the installation date of a meter
    that has none, and the opening reading as its start (None: the meter has readings; keep its start).
    No permission check: the completed order is the authority."""
    _check_register(start_reading, meter.digits)
    before = {"seal_no": meter.seal_no, "installed_on": meter.installed_on, "start_reading": meter.start_reading}
    meter.seal_no = seal_no
    meter.installed_on = meter.installed_on or on
    if start_reading is not None:
        meter.start_reading = start_reading
        current = next((i for i in reversed(meter.installations) if i.removed_on is None), None)
        if current is not None:
            current.start_reading = start_reading
    db.session.flush()
    audit.record(actor, "meter.commission", "customer", meter.customer_id, meter_id=meter.id, before=before,
                 seal_no=seal_no, installed_on=meter.installed_on, start_reading=meter.start_reading)
    return meter


def seal_meter(actor, meter: Meter, seal_no: str) -> None:
    """A seal put on at a shut-off (no permission check: the completed order is the authority)."""
    before, meter.seal_no = meter.seal_no, seal_no
    db.session.flush()
    audit.record(actor, "meter.seal", "customer", meter.customer_id, meter_id=meter.id, before=before,
                 seal_no=seal_no)
