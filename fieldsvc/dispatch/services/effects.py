"""What a completed order changes (RULES.md §5, "What a completed order changes").

The job is the single source of what happened in the field: its validated results are written through
to the records they touch, in the completion's own transaction, by calling the owning domain's
service — never its tables. Those services take the completed order as their authority (the
technician's right to complete it was checked by `check_move`), so none of them asks for the chief's
permission again. Anything refused raises `Invalid` naming the result field, and since nothing is
committed before the request ends, a refusal changes nothing.
"""
from flask_babel import gettext as _

from fieldsvc import clock
from fieldsvc.cardsales.services import cards
from fieldsvc.customers import services as customers
from fieldsvc.customers.models import Customer
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.dispatch.services.steps import new_order
from fieldsvc.errors import Invalid
from fieldsvc.hse.services import observations
from fieldsvc.inspections.services import shutoff
from fieldsvc.readings.services import arrears, history, recording, skips

T = rules.OrderType


def apply(actor, order: WorkOrder, results: dict) -> None:
    """Write the results of a just-completed order through to the records they change."""
    effect = EFFECTS.get(order.type)
    if effect is not None:
        effect(actor, order, results)


def _customer(order: WorkOrder, field: str) -> Customer:
    if order.customer is None:
        raise Invalid({field: [_("This order has no customer: ask the station chief to link the customer first.")]})
    return order.customer


def _emergency(actor, order: WorkOrder, results: dict) -> None:
    """A leak found is reported to the safety office; gas shut off: the supply is off (reason emergency)
    and a repair order follows on the chief's board as this emergency's child."""
    if results["leak_found"]:
        observations.from_field(actor, description=_("Gas leak found at an emergency call: %(where)s",
                                                     where=results.get("leak_location") or ""),
                                location=order.address, activity=_("Emergency repair"), work_order_id=order.id)
    state = results["gas_state"]
    if state == rules.GasState.shut_off:
        if order.customer is not None:
            customers.set_supply(actor, order.customer, "shut_off", "emergency", work_order_id=order.id,
                                 note=results.get("shut_off_reason"))
        new_order(actor, {"type": T.repair, "customer_id": order.customer_id, "address": order.address,
                          "district_id": order.district_id, "priority": rules.Priority.urgent,
                          "contact_name": order.contact_name, "contact_phone": order.contact_phone,
                          "description": _("Gas shut off at emergency #%(id)d: %(reason)s", id=order.id,
                                           reason=results.get("shut_off_reason") or "")}, parent=order)
    elif (state == rules.GasState.restored and order.customer is not None
          and order.customer.supply_reason == "emergency"):
        customers.set_supply(actor, order.customer, "on", work_order_id=order.id)


def _meter_replacement(actor, order: WorkOrder, results: dict) -> None:
    """Old meter out with its final reading (billed), new meter in with its start reading, today; an
    IC-card account follows the meter."""
    customer = _customer(order, "old_serial")
    old = customers.installed_meter(customer, results.get("old_serial"))
    _final, start = skips.change_meter_for_order(
        actor, old, new_serial=results["new_serial"], final_value=results["old_reading"],
        start_value=results["new_reading"], on=clock.today(), work_order_id=order.id)
    cards.move_for_order(actor, customer.id, old.id, start.meter, work_order_id=order.id)


def _purge_ignition(actor, order: WorkOrder, results: dict) -> None:
    """Gas let in: supply on, the seal and (for a meter with no readings yet) the opening reading."""
    customer = _customer(order, "opening_reading")
    meter = customers.installed_meter(customer, field="opening_reading")
    first = not history.live_readings(meter, limit=1)
    customers.commission_meter(actor, meter, clock.today(), results["seal_no"],
                               results["opening_reading"] if first else None)
    customers.set_supply(actor, customer, "on", work_order_id=order.id)


def _suspension(actor, order: WorkOrder, results: dict) -> None:
    """Shut for arrears: the supply, the arrears case, the seal and the reading at shut-off."""
    customer = _customer(order, "supply_shut")
    meter = customers.installed_meter(customer, field="final_reading")
    recording.record_for_order(actor, meter, results["final_reading"], work_order_id=order.id)
    customers.seal_meter(actor, meter, results["seal_no"])
    arrears.suspended_by_order(actor, customer.id, order.id)


def _restoration(actor, order: WorkOrder, results: dict) -> None:
    """Gas back on — never while a grade-A hazard that shut it is still open."""
    customer = _customer(order, "supply_restored")
    if customer.supply_reason == "safety" and shutoff.open_shutoff_hazards(customer.id):
        raise Invalid({"supply_restored": [_("A grade-A hazard at this customer is still open: the gas stays off "
                                             "until it is fixed and re-checked.")]})
    arrears.restored_by_order(actor, customer.id, order.id)


EFFECTS = {
    T.emergency: _emergency,
    T.meter_replacement: _meter_replacement,
    T.purge_ignition: _purge_ignition,
    T.suspension: _suspension,
    T.restoration: _restoration,
}
