"""Customer, meter and appliance use cases: explicit actor, permission first, flush, never commit."""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from fieldsvc import audit, clock, registry
from fieldsvc.customers import rules
from fieldsvc.customers.models import Appliance, Customer, District, Meter, MeterInstallation, SupplyChange
from fieldsvc.errors import Conflict, Duplicate, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require

ADDRESS_PARTS = ("estate", "building", "unit", "floor", "room")
CUSTOMER_FIELDS = ("name", "phone", "category", "gas", "status", "note", *ADDRESS_PARTS)
METER_FIELDS = ("size", "accuracy_class", "kind", "location", "maker", "made_on", "first_verified_on", "digits")


# --- districts ------------------------------------------------------------------------------------

def list_districts() -> list[District]:
    return list(db.session.execute(select(District).order_by(District.code)).scalars())


def district_by_name(name: str) -> District:
    district = db.session.execute(select(District).where(
        or_(District.name == name, District.code == name))).scalar_one_or_none()
    if district is None:
        raise Invalid({"district": [_("Unknown district: %(name)s", name=name)]})
    return district


# --- customers ------------------------------------------------------------------------------------

def _search_filter(q: str):
    # autoescape: a "%" or "_" typed is looked for as such, not as a wildcard
    terms = [Customer.name.contains(q, autoescape=True), Customer.address.contains(q, autoescape=True)]
    # Account numbers, phones and meter serials are Latin letters and digits: a query in Chinese characters
    # cannot match them, and leaving them out spares a scan of every meter (half the cost at city size).
    if any(ch.isascii() and ch.isalnum() for ch in q):
        serial_match = select(Meter.customer_id).where(Meter.serial_no.startswith(q, autoescape=True),
                                                       Meter.customer_id.is_not(None))
        terms += [Customer.account_no.startswith(q, autoescape=True), Customer.phone.contains(q, autoescape=True),
                  Customer.id.in_(serial_match)]
    return or_(*terms)


def search_customers(actor, q: str | None = None, district_id: int | None = None,
                     page: int = 1, per_page: int = 50, count_up_to: int | None = None) -> tuple[list[Customer], int]:
    """Customers matching q (account no., name, phone, address or meter serial), newest account first.

    With `count_up_to`, the total stops counting there (a page then says "1000+"): counting every match of a
    common word means reading the whole table, and nobody pages that far."""
    require(actor, P.customers_view)
    stmt = select(Customer)
    if q and q.strip():
        stmt = stmt.where(_search_filter(q.strip()))
    if district_id:
        stmt = stmt.where(Customer.district_id == district_id)
    rows = list(db.session.execute(stmt.order_by(Customer.account_no).limit(per_page)
                                   .offset((page - 1) * per_page)).scalars())
    if page == 1 and len(rows) < per_page:
        return rows, len(rows)  # a short first page is every match: no second pass to count them
    counted = stmt if count_up_to is None else stmt.limit(count_up_to + 1)
    total = db.session.execute(select(func.count()).select_from(counted.subquery())).scalar_one()
    return rows, total


def get_customer(actor, customer_id: int) -> Customer:
    require(actor, P.customers_view)
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_("No such customer."))
    return customer


def _check_account_unique(account_no: str, exclude_id: int | None = None) -> None:
    stmt = select(Customer.id).where(Customer.account_no == account_no)
    if exclude_id:
        stmt = stmt.where(Customer.id != exclude_id)
    if db.session.execute(stmt).first():
        raise Duplicate("account_no", _("This account number already exists."))


def _apply_address(customer: Customer, data: dict) -> None:
    """Structured parts build the full line; a bare `address` (API) is kept as given."""
    if any(data.get(p) for p in ADDRESS_PARTS):
        customer.address = rules.format_address(*(getattr(customer, p) for p in ADDRESS_PARTS))
    elif data.get("address"):
        customer.address = data["address"]
        customer.estate = customer.estate or data["address"]
    if not customer.address:
        raise Invalid({"address": [_("An address is required.")]})


def create_customer(actor, data: dict) -> Customer:
    """data: account_no, name, category, gas, district (name or code) or district_id, address parts."""
    require(actor, P.customers_edit)
    _check_account_unique(data["account_no"])
    district_id = data.get("district_id") or district_by_name(data["district"]).id
    customer = Customer(account_no=data["account_no"], district_id=district_id, address="",
                        **{k: data[k] for k in CUSTOMER_FIELDS if data.get(k) is not None})
    _apply_address(customer, data)
    db.session.add(customer)
    db.session.flush()
    audit.record(actor, "customer.create", "customer", customer.id, account_no=customer.account_no)
    return customer


def update_customer(actor, customer: Customer, data: dict, version: int | None = None) -> Customer:
    require(actor, P.customers_edit)
    if version is not None and version != customer.version:
        raise Conflict()
    changes = {}
    if data.get("account_no") and data["account_no"] != customer.account_no:
        _check_account_unique(data["account_no"], customer.id)
        changes["account_no"] = [customer.account_no, data["account_no"]]
        customer.account_no = data["account_no"]
    if data.get("district") or data.get("district_id"):
        district_id = data.get("district_id") or district_by_name(data["district"]).id
        if district_id != customer.district_id:
            changes["district_id"] = [customer.district_id, district_id]
            customer.district_id = district_id
    for key in CUSTOMER_FIELDS:
        if key in data and getattr(customer, key) != data[key]:
            changes[key] = [getattr(customer, key), data[key]]
            setattr(customer, key, data[key])
    if any(k in data for k in (*ADDRESS_PARTS, "address")):
        _apply_address(customer, data)
    if changes:
        db.session.flush()
        audit.record(actor, "customer.update", "customer", customer.id, changes=changes)
    return customer


# --- meters ---------------------------------------------------------------------------------------

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


# --- supply ---------------------------------------------------------------------------------------

def set_supply(actor, customer: Customer, supply: str, reason: str | None = None, *,
               work_order_id: int | None = None, inspection_id: int | None = None,
               note: str | None = None) -> SupplyChange | None:
    """Gas on or shut off, with why and which job or inspection did it. No permission check: the
    caller is another domain's use case whose own authority was checked in this transaction (a
    completed order, an inspection, a payment). Nothing happens when the supply is already so."""
    supply = rules.Supply(supply)
    reason = rules.SupplyReason(reason) if supply == rules.Supply.shut_off and reason else None
    if customer.supply == supply and customer.supply_reason == reason:
        return None
    before = [customer.supply, customer.supply_reason]
    customer.supply, customer.supply_reason = supply, reason
    change = SupplyChange(customer_id=customer.id, supply=supply, reason=reason, at=utcnow(),
                          by_id=getattr(actor, "id", None), work_order_id=work_order_id,
                          inspection_id=inspection_id, note=(note or None) and note[:200])
    db.session.add(change)
    db.session.flush()
    audit.record(actor, "customer.supply", "customer", customer.id, before=before, supply=supply, reason=reason,
                 work_order_id=work_order_id, inspection_id=inspection_id)
    return change


def set_status(actor, customer: Customer, status: str, *, work_order_id: int | None = None) -> bool:
    """The account status moved by another domain's authorised use case (an arrears suspension or
    restoration, possibly inside a completed order): no permission check, like set_supply. True when
    it changed."""
    status = rules.CustomerStatus(status)
    if customer.status == status:
        return False
    before, customer.status = customer.status, status
    db.session.flush()
    audit.record(actor, "customer.update", "customer", customer.id, changes={"status": [before, status]},
                 work_order_id=work_order_id)
    return True


# --- appliances -----------------------------------------------------------------------------------

def add_appliance(actor, customer: Customer, data: dict) -> Appliance:
    require(actor, P.customers_edit)
    appliance = Appliance(customer=customer, **data)
    db.session.add(appliance)
    db.session.flush()
    audit.record(actor, "appliance.add", "customer", customer.id, appliance_id=appliance.id, kind=appliance.kind)
    return appliance


def add_appliance_by_id(actor, data: dict) -> Appliance:
    """add_appliance for callers that carry the customer's id in the data (API, offline sync)."""
    data = dict(data)
    return add_appliance(actor, get_customer(actor, data.pop("customer_id")), data)


def appliance_expired(appliance: Appliance) -> bool:
    return rules.appliance_expired(appliance.kind, appliance.customer.gas, appliance.sold_on, clock.today())


# --- timeline -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TimelineEvent:
    at: datetime | date
    kind: str
    title: str
    detail: str = ""
    url: str | None = None


def add_timeline_source(app, source) -> None:
    """Each domain adds what it has to say of a customer: fn(customer) -> list[TimelineEvent]."""
    registry.of(app).timeline_sources.append(source)


def timeline(actor, customer: Customer) -> list[TimelineEvent]:
    """Everything that happened to this customer, newest first."""
    require(actor, P.customers_view)
    events = []
    for source in registry.of().timeline_sources:
        events.extend(source(customer))
    return sorted(events, key=lambda e: _sort_key(e.at), reverse=True)


def _sort_key(at):
    if isinstance(at, datetime):
        return at.astimezone(clock.zone()).replace(tzinfo=None)
    return datetime(at.year, at.month, at.day, 23, 59)
