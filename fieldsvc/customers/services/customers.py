"""Districts and customers: search, read, register, edit."""

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from fieldsvc import audit
from fieldsvc.customers import rules
from fieldsvc.customers.models import Customer, District, Meter
from fieldsvc.errors import Conflict, Duplicate, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.permissions import P, require

ADDRESS_PARTS = ("estate", "building", "unit", "floor", "room")
CUSTOMER_FIELDS = ("name", "phone", "category", "gas", "status", "note", *ADDRESS_PARTS)


def list_districts() -> list[District]:
    return list(db.session.execute(select(District).order_by(District.code)).scalars())


def district_by_name(name: str) -> District:
    district = db.session.execute(select(District).where(
        or_(District.name == name, District.code == name))).scalar_one_or_none()
    if district is None:
        raise Invalid({"district": [_("Unknown district: %(name)s", name=name)]})
    return district


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

    With `count_up_to`, the total stops counting there (a page then says "more than 300"): counting every match of a
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
    counted = stmt.with_only_columns(Customer.id)  # only the filter's columns are read, not whole rows
    counted = counted if count_up_to is None else counted.limit(count_up_to + 1)
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


def _check_guarded(customer: Customer, data: dict) -> None:
    """Name, phone and category change only through an approved change request (customers.services.changes),
    and so does closing an account (or undoing it): a silent edit is refused naming the field."""
    messages = {rules.ChangeKind.transfer: _("The name and phone change only through a transfer request."),
                rules.ChangeKind.category_change: _("The category changes only through a category change request.")}
    errors = {key: [messages[kind]] for key, kind in rules.GUARDED_FIELDS.items()
              if key in data and data[key] != getattr(customer, key)}
    status = data.get("status")
    if status and status != customer.status and rules.CustomerStatus.closed in (status, customer.status):
        errors["status"] = [_("An account is closed only through a closing request, and stays closed.")]
    if errors:
        raise Invalid(errors)


def update_customer(actor, customer: Customer, data: dict, version: int | None = None) -> Customer:
    require(actor, P.customers_edit)
    if version is not None and version != customer.version:
        raise Conflict()
    _check_guarded(customer, data)
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
