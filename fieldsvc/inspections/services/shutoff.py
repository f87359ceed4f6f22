"""What a visit changes outside this domain, in the same transaction (RULES.md §5, §6): a supply shut
off at the visit shuts the customer's supply (reason safety, through the customers service), and a
grade A finding goes to the safety officer's inbox as an HSE observation linked to the inspection.
The supply comes back on only through a restoration order, which dispatch refuses to complete while
open_shutoff_hazards lists a grade A hazard not yet closed by a re-check."""
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc.customers import services as customer_services
from fieldsvc.extensions import db
from fieldsvc.hse.services import observations as hse_observations
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import Hazard, Inspection, InspectionResult


def after_record(actor, inspection: Inspection) -> None:
    """Called by recording.record once the visit, its results and hazards are written."""
    if inspection.outcome != rules.Outcome.completed:
        return
    shut_supply(actor, inspection)
    grade_a = grade_a_results(inspection)
    if grade_a:
        hse_observations.from_field(actor, description=_hse_text(inspection, grade_a),
                                    location=inspection.customer.address,
                                    activity=_("Household safety inspection"), inspection_id=inspection.id)


def shut_supply(actor, inspection: Inspection) -> None:
    """The inspector shut the gas off at the visit (the form requires it for a grade A finding; an
    API record may add it later through complete_record): the customer's supply is off for safety.
    Nothing changes when it already is."""
    if inspection.supply_shut_off:
        customer_services.set_supply(actor, inspection.customer, "shut_off", "safety", inspection_id=inspection.id)


def grade_a_results(inspection: Inspection) -> list[InspectionResult]:
    return [r for r in inspection.results if not r.ok and r.grade == rules.Grade.A]


def _hse_text(inspection: Inspection, results: list[InspectionResult]) -> str:
    locale = str(get_locale() or "zh_CN")
    items = "; ".join(f"{r.item.label(locale)} — {r.note}" if r.note else r.item.label(locale) for r in results)
    text = _("Grade A hazard found at the household safety inspection of %(name)s (%(account)s): %(items)s.",
             name=inspection.customer.name, account=inspection.customer.account_no, items=items)
    # Only what was true at the visit: a shut-off recorded later is on the inspection and the customer.
    return f"{text} {_('The supply was shut off at the visit.')}" if inspection.supply_shut_off else text


def open_shutoff_hazards(customer_id: int) -> list[Hazard]:
    """The customer's grade A hazards not yet closed by a re-check, oldest first. While any is listed,
    a supply shut off for safety stays off: dispatch refuses to complete the restoration order.

    Called inside dispatch's completion, which has already checked that this technician may complete
    this order: no permission check here. (Here, not in hazards.py: hazards completes dispatch orders,
    and dispatch's completion asks this, so keeping it apart keeps the imports one-way.)"""
    return list(db.session.execute(select(Hazard).where(
        Hazard.customer_id == customer_id, Hazard.grade == rules.Grade.A,
        Hazard.status.not_in(list(rules.TERMINAL))).order_by(Hazard.id)).scalars())
