"""Batches: the safety officer gives the next N due (or overdue) customers of a district to a repair
technician or a meter reader; the inspector works through their batch."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, insert, select

from fieldsvc import audit
from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer, District
from fieldsvc.errors import Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.inspections.models import BatchCustomer, InspectionBatch
from fieldsvc.inspections.services import plan
from fieldsvc.permissions import P, can, require

INSPECTOR_ROLES = ("repair_tech", "meter_reader")
MAX_BATCH = 500


def inspectors(actor) -> list[User]:
    require(actor, P.inspections_plan)
    return list(db.session.execute(select(User).where(User.active.is_(True), User.role.in_(INSPECTOR_ROLES))
                                   .order_by(User.role, User.name)).scalars())


def create_batch(actor, district_id: int, assignee_id: int, size: int, statuses: tuple[str, ...],
                 due_on: date | None = None, note: str | None = None) -> InspectionBatch:
    """The next `size` customers (address order) in these statuses, not yet in a batch this cycle."""
    require(actor, P.inspections_plan)
    errors = {}
    if db.session.get(District, district_id) is None:
        errors["district_id"] = [_("Choose the district.")]
    assignee = db.session.get(User, assignee_id)
    if assignee is None or not assignee.active or assignee.role not in INSPECTOR_ROLES:
        errors["assignee_id"] = [_("Choose a repair technician or a meter reader.")]
    if not 1 <= size <= MAX_BATCH:
        errors["size"] = [_("Between 1 and %(n)d customers.", n=MAX_BATCH)]
    if not statuses or not set(statuses) <= {"due", "overdue"}:
        errors["status"] = [_("Choose due or overdue customers.")]
    if errors:
        raise Invalid(errors)
    members = plan.unbatched_ids(district_id, plan.cycle(), statuses, size)
    if not members:
        raise Invalid({"size": [_("No customer of this district is waiting for a batch.")]})
    batch = InspectionBatch(district_id=district_id, assignee_id=assignee.id, created_by_id=actor.id, due_on=due_on,
                            note=note)
    db.session.add(batch)
    db.session.flush()
    db.session.execute(insert(BatchCustomer), [{"batch_id": batch.id, "customer_id": cid, "cycle_start": start}
                                               for cid, start in members])
    batch.member_count = len(members)  # for the confirmation message (not stored)
    audit.record(actor, "inspection_batch.create", "inspection_batch", batch.id, district_id=district_id,
                 assignee_id=assignee.id, customers=len(members), due_on=due_on)
    return batch


def list_batches(actor, district_id: int | None = None, mine: bool = False, limit: int = 50):
    """[(batch, members, done this cycle)] newest first: the district's, or the inspector's own."""
    c = plan.cycle()
    ex = plan.expressions(c, district_id)
    done = func.sum(case((ex.status == "done", 1), else_=0))
    stmt = (select(InspectionBatch, func.count(BatchCustomer.id), done)
            .join(BatchCustomer, BatchCustomer.batch_id == InspectionBatch.id)
            .join(Customer, Customer.id == BatchCustomer.customer_id)
            .outerjoin(ex.agg, ex.agg.c.customer_id == Customer.id)
            .group_by(InspectionBatch.id).order_by(InspectionBatch.id.desc()).limit(limit))
    if mine:
        require(actor, P.inspections_record)
        stmt = stmt.where(InspectionBatch.assignee_id == actor.id)
    else:
        require(actor, P.inspections_plan)
    if district_id is not None:
        stmt = stmt.where(InspectionBatch.district_id == district_id)
    return db.session.execute(stmt).all()


def get_batch(actor, batch_id: int) -> InspectionBatch:
    batch = db.session.get(InspectionBatch, batch_id)
    if not (can(actor, P.inspections_plan) or can(actor, P.inspections_record)):
        require(actor, P.inspections_plan)
    if batch is None or not (can(actor, P.inspections_plan) or batch.assignee_id == actor.id):
        raise NotFound(_("No such batch."))
    return batch


def members(actor, batch: InspectionBatch, page: int, per_page: int) -> tuple[list, int]:
    """[(customer, status, visits)] of a batch, address order, and how many in all."""
    get_batch(actor, batch.id)
    ex = plan.expressions(plan.cycle(), batch.district_id)
    base = (select(Customer, ex.status, func.coalesce(ex.agg.c.visits, 0))
            .join(BatchCustomer, and_(BatchCustomer.customer_id == Customer.id, BatchCustomer.batch_id == batch.id))
            .outerjoin(ex.agg, ex.agg.c.customer_id == Customer.id))
    total = db.session.execute(select(func.count()).select_from(BatchCustomer)
                               .where(BatchCustomer.batch_id == batch.id)).scalar_one()
    rows = db.session.execute(base.order_by(Customer.address, Customer.id).limit(per_page)
                              .offset((page - 1) * per_page)).all()
    return rows, total
