"""The dispatch domain's lines on a customer's timeline: their work orders and follow-up calls."""
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc.customers.services import TimelineEvent, TimelineSource, add_timeline_source
from fieldsvc.customers.services.timeline import data_of, line
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import Completion, WorkOrder
from fieldsvc.labels import label


def _rows(customer_id):
    return (select(*line(at=WorkOrder.created_at, ref=WorkOrder.id,
                         s=(WorkOrder.type, WorkOrder.status, WorkOrder.description), data=Completion.results))
            .select_from(WorkOrder).outerjoin(Completion, Completion.work_order_id == WorkOrder.id)
            .where(WorkOrder.customer_id == customer_id))


def _detail(row) -> str:
    parts = [label(row.s2, "wo_status")]
    results = data_of(row)
    if row.s1 == rules.OrderType.followup_visit and results.get("satisfaction"):
        parts.append(_("satisfaction %(n)s/5", n=results["satisfaction"]))
        if results.get("comments"):
            parts.append(results["comments"])
    elif row.s3:
        parts.append(row.s3)
    return " · ".join(parts)


def _events(row):
    yield TimelineEvent(at=row.at, kind=f"work_order.{row.s1}", title=f"{label(row.s1, 'wo_type')} #{row.ref}",
                        detail=_detail(row), url=url_for("dispatch.order", order_id=row.ref))


def register(app) -> None:
    add_timeline_source(app, TimelineSource("work_order", _rows, _events))
