"""Lists of hazards: the safety officer's board (escalated first), the pipe fitter's rectifications,
the re-check queue. Paginated; the rows are brought up to date with their orders first."""
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from fieldsvc import home
from fieldsvc.customers.models import Customer
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.extensions import db
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import Hazard, InspectionResult
from fieldsvc.inspections.services import hazards
from fieldsvc.permissions import P, can, require

VIEWS = ("all", "escalated", "mine", "recheck")


def _scope(actor, view: str):
    """The statement of the hazards this actor may list in this view (deny by default)."""
    stmt = select(Hazard)
    if view == "mine":
        require(actor, P.hazards_rectify)
        return stmt.join(WorkOrder, WorkOrder.id == Hazard.work_order_id).where(
            WorkOrder.assignee_id == actor.id, Hazard.status.in_(list(rules.UNRECTIFIED)))
    if view == "recheck":
        if not can(actor, P.hazards_view_all):
            require(actor, P.hazards_recheck)
        return stmt.where(Hazard.status == rules.HazardStatus.awaiting_recheck)
    require(actor, P.hazards_view_all)
    if view == "escalated":
        return stmt.where(Hazard.escalated.is_(True), Hazard.status.not_in(list(rules.TERMINAL)))
    return stmt


def list_hazards(actor, view: str = "all", status: str | None = None, grade: str | None = None,
                 district_id: int | None = None, customer_id: int | None = None,
                 page: int = 1, per_page: int = 50) -> tuple[list[Hazard], int]:
    """Hazards for a view, deadline first (the most urgent on top)."""
    stmt = _scope(actor, view if view in VIEWS else "all")
    hazards.refresh()  # order progress and overdue escalation are read before the list is drawn
    if status:
        stmt = stmt.where(Hazard.status == status)
    if grade:
        stmt = stmt.where(Hazard.grade == grade)
    if customer_id:
        stmt = stmt.where(Hazard.customer_id == customer_id)
    if district_id:
        stmt = stmt.where(Hazard.customer_id.in_(select(Customer.id).where(Customer.district_id == district_id)))
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(
        stmt.options(joinedload(Hazard.customer), joinedload(Hazard.work_order),
                     joinedload(Hazard.result).joinedload(InspectionResult.item))
        .order_by(Hazard.deadline.is_(None), Hazard.deadline, Hazard.id)
        .limit(per_page).offset((page - 1) * per_page)).unique().scalars().all()
    return list(rows), total


def count_queries(actor) -> dict:
    """Figures for the safety officer as scalar SELECTs (the home page asks them with every card's):
    open, escalated, awaiting re-check, closed."""
    require(actor, P.hazards_view_all)

    def count(*where):
        return select(func.count(Hazard.id)).where(*where)
    return {"open": count(Hazard.status.in_(list(rules.UNRECTIFIED))),
            "escalated": count(Hazard.escalated.is_(True), Hazard.status.not_in(list(rules.TERMINAL))),
            "awaiting_recheck": count(Hazard.status == "awaiting_recheck"),
            "closed": count(Hazard.status == "closed")}


def counts(actor) -> dict[str, int]:
    """count_queries' values: {"open", "escalated", "awaiting_recheck", "closed"}."""
    return home.figures_of(count_queries(actor))
