"""A customer's gas supply and account status, moved by other domains' authorised use cases."""


from fieldsvc import audit
from fieldsvc.customers import rules
from fieldsvc.customers.models import Customer, SupplyChange
from fieldsvc.extensions import db
from fieldsvc.models import utcnow


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
