"""After a missed visit: the refusal list, the long-term uninspected list, visits still lacking what
RULES.md §6 asks for, and when to try a customer next (another time of day)."""
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from fieldsvc import clock
from fieldsvc.customers.models import Customer
from fieldsvc.extensions import db
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import CustomerSafety, Inspection
from fieldsvc.inspections.services import common, plan
from fieldsvc.permissions import P, can, require


def refusals(actor, district_id: int | None, page: int, per_page: int) -> tuple[list, int]:
    """Customers who refused entry this cycle and are still not inspected: (last refusal, customer)."""
    require(actor, P.inspections_plan)
    c = plan.cycle()
    ex = plan.expressions(c, district_id)
    last_refusal = (select(Inspection.customer_id, func.max(Inspection.id).label("iid"))
                    .where(Inspection.outcome == rules.Outcome.refused).group_by(Inspection.customer_id).subquery())
    stmt = (select(Inspection, Customer)
            .join(last_refusal, last_refusal.c.iid == Inspection.id)
            .join(Customer, Customer.id == Inspection.customer_id)
            .join(ex.agg, ex.agg.c.customer_id == Customer.id)
            .where(ex.agg.c.refused > 0, ex.status != "done"))
    if district_id:
        stmt = stmt.where(Customer.district_id == district_id)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.options(joinedload(Inspection.inspector))
                              .order_by(Inspection.visited_at.desc()).limit(per_page)
                              .offset((page - 1) * per_page)).all()
    return rows, total


def long_term(actor, district_id: int | None, page: int, per_page: int) -> tuple[list, int]:
    """Customers marked long-term uninspected (three nobody-home visits in a cycle)."""
    require(actor, P.inspections_plan)
    stmt = (select(CustomerSafety, Customer).join(Customer, Customer.id == CustomerSafety.customer_id)
            .where(CustomerSafety.long_term_uninspected.is_(True)))
    if district_id:
        stmt = stmt.where(Customer.district_id == district_id)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.order_by(CustomerSafety.long_term_since, Customer.address)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def incomplete(actor, limit: int = 50) -> list[Inspection]:
    """Visits still lacking a shut-off, signature, who refused or a door-gap check: everyone's for
    the safety officer, one's own for an inspector."""
    stmt = select(Inspection).where(Inspection.missing.is_not(None))
    if not can(actor, P.inspections_plan):
        require(actor, P.inspections_record)
        stmt = stmt.where(Inspection.inspector_id == actor.id)
    return list(db.session.execute(stmt.options(joinedload(Inspection.customer))
                                   .order_by(Inspection.visited_at.desc()).limit(limit)).scalars())


def visits_this_cycle(customer: Customer) -> list[Inspection]:
    start, end = rules.cycle_bounds(clock.today(), common.cycle_months()[customer.category])
    zone = clock.zone()
    return list(db.session.execute(select(Inspection).where(
        Inspection.customer_id == customer.id,
        and_(Inspection.visited_at >= datetime.combine(start, datetime.min.time(), tzinfo=zone),
             Inspection.visited_at < datetime.combine(end, datetime.min.time(), tzinfo=zone)))
        .order_by(Inspection.visited_at)).scalars())


def next_try(visits: list[Inspection]) -> dict:
    """Missed visits this cycle, their time slots, the slot to try next, and whether the next miss
    is the one that calls for the door-gap check."""
    missed = [v for v in visits if v.outcome == rules.Outcome.nobody_home]
    slots = [rules.time_slot(v.visited_at.astimezone(clock.zone())) for v in missed]
    return {"missed": len(missed), "slots": slots, "suggest": rules.suggest_slot(slots) if missed else None,
            "door_gap_next": rules.door_gap_required(len(missed) + 1),
            "done": any(v.outcome == rules.Outcome.completed for v in visits)}
