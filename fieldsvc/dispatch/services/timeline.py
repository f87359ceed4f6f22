"""The dispatch domain's lines on a customer's timeline: their work orders and follow-up calls."""
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fieldsvc.customers.services import TimelineEvent, add_timeline_source
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.extensions import db
from fieldsvc.labels import label


def _detail(order: WorkOrder) -> str:
    parts = [label(order.status, "wo_status")]
    results = order.completion.results if order.completion else {}
    if order.type == rules.OrderType.followup_visit and results.get("satisfaction"):
        parts.append(_("satisfaction %(n)s/5", n=results["satisfaction"]))
        if results.get("comments"):
            parts.append(results["comments"])
    elif order.description:
        parts.append(order.description)
    return " · ".join(parts)


def order_events(customer) -> list[TimelineEvent]:
    stmt = (select(WorkOrder).where(WorkOrder.customer_id == customer.id)
            .options(joinedload(WorkOrder.completion)).order_by(WorkOrder.id))
    return [TimelineEvent(at=o.created_at, kind=f"work_order.{o.type}",
                          title=f"{label(o.type, 'wo_type')} #{o.id}", detail=_detail(o),
                          url=url_for("dispatch.order", order_id=o.id))
            for o in db.session.execute(stmt).unique().scalars()]


def register(app) -> None:
    add_timeline_source(app, order_events)
