"""The customer's gas appliances."""


from fieldsvc import audit, clock
from fieldsvc.customers import rules
from fieldsvc.customers.models import Appliance, Customer
from fieldsvc.customers.services.customers import get_customer
from fieldsvc.extensions import db
from fieldsvc.permissions import P, can, require


def add_appliance(actor, customer: Customer, data: dict) -> Appliance:
    """Those who edit customers, and those who keep the safety archive's base data (archive_data: the
    pipe fitter records what they find at the home without the right to change the customer)."""
    if not can(actor, P.archive_data):
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
