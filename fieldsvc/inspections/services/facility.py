"""The safety archive's base data kept by the people at the home (the pipe fitter: 为安全员完善用户档案
提供基础数据): appliances found there, and facility data (where the meter hangs, what the indoor pipe is
made of, a note). Narrow on purpose (archive_data): nothing else of the customer changes."""
from flask_babel import gettext as _

from fieldsvc import audit, clock
from fieldsvc.customers.models import Customer
from fieldsvc.customers.services import appliances as customer_appliances
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.inspections import rules
from fieldsvc.inspections.services.recording import flags_for
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require

FACILITY_FIELDS = ("meter_location", "pipe_material", "facility_note")


def add_appliance(actor, customer: Customer, data: dict):
    """An appliance found at the home: the same row and audit action the customer page writes."""
    require(actor, P.archive_data)
    return customer_appliances.add_appliance(actor, customer, data)


def update_facility(actor, customer: Customer, data: dict):
    """Set the facility data; an empty field clears it. Only what changed is audited."""
    require(actor, P.archive_data)
    errors = {}
    if data.get("meter_location") and data["meter_location"] not in rules.METER_LOCATIONS:
        errors["meter_location"] = [_("Choose where the meter is.")]
    if data.get("pipe_material") and data["pipe_material"] not in rules.PIPE_MATERIALS:
        errors["pipe_material"] = [_("Choose the pipe material.")]
    if errors:
        raise Invalid(errors)
    row = flags_for(customer.id)
    changes = {}
    for name in FACILITY_FIELDS:
        value = data.get(name) or None
        if getattr(row, name) != value:
            changes[name] = value
            setattr(row, name, value)
    if not changes:
        raise Invalid({"_schema": [_("Nothing changed.")]})
    row.facility_by_id, row.facility_on, row.updated_at = actor.id, clock.today(), utcnow()
    db.session.flush()
    audit.record(actor, "customer_safety.facility", "customer", customer.id, changes=changes)
    return row
