"""The foundation's part of a customer's timeline: registration, meter installs and removals,
appliances, and changes to the customer record (from the audit trail)."""
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fieldsvc.audit import AuditEntry
from fieldsvc.customers.models import MeterInstallation, SupplyChange
from fieldsvc.customers.services import TimelineEvent, add_timeline_source
from fieldsvc.extensions import db
from fieldsvc.labels import label


def registry_events(customer) -> list[TimelineEvent]:
    events = [TimelineEvent(at=customer.created_at, kind="customer.create", title=str(_l("Customer registered")),
                            detail=customer.account_no)]
    installs = db.session.execute(
        select(MeterInstallation).options(joinedload(MeterInstallation.meter))
        .where(MeterInstallation.customer_id == customer.id)).scalars()
    for i in installs:
        events.append(TimelineEvent(at=i.installed_on, kind="meter.install", title=str(_l("Meter installed")),
                                    detail=f"{i.meter.serial_no} · {i.start_reading:g} m³"))
        if i.removed_on:
            reading = f" · {i.final_reading:g} m³" if i.final_reading is not None else ""
            events.append(TimelineEvent(at=i.removed_on, kind="meter.remove", title=str(_l("Meter removed")),
                                        detail=f"{i.meter.serial_no}{reading} · {i.removal_reason or ''}"))
    for a in customer.appliances:
        if a.sold_on:
            events.append(TimelineEvent(at=a.sold_on, kind="appliance", title=str(_l("Appliance bought")),
                                        detail=" · ".join(x for x in (label(a.kind, "appliance_kind"), a.brand) if x)))
    events += supply_events(customer)
    changes = db.session.execute(
        select(AuditEntry).where(AuditEntry.entity == "customer", AuditEntry.entity_id == customer.id,
                                 AuditEntry.action == "customer.update")).scalars()
    for e in changes:
        events.append(TimelineEvent(at=e.at, kind="customer.update", title=str(_l("Customer details changed")),
                                    detail=", ".join(sorted((e.data or {}).get("changes", {})))))
    return events


def supply_events(customer) -> list[TimelineEvent]:
    """Gas shut off or back on, linked to the job or inspection that did it."""
    rows = db.session.execute(select(SupplyChange).where(SupplyChange.customer_id == customer.id)).scalars()
    events = []
    for change in rows:
        title = label(change.supply, "supply")
        if change.reason:
            title = f"{title} · {label(change.reason, 'supply_reason')}"
        url = (url_for("dispatch.order", order_id=change.work_order_id) if change.work_order_id
               else url_for("inspections.show", inspection_id=change.inspection_id) if change.inspection_id
               else None)
        events.append(TimelineEvent(at=change.at, kind="customer.supply", title=title, detail=change.note or "",
                                    url=url))
    return events


def register(app) -> None:
    add_timeline_source(app, registry_events)
