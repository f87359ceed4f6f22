"""The foundation's part of a customer's timeline: registration, meter installs and removals,
appliances, and changes to the customer record (from the audit trail)."""
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from fieldsvc.audit import AuditEntry
from fieldsvc.customers.models import Appliance, Customer, Meter, MeterInstallation, SupplyChange
from fieldsvc.customers.services import TimelineEvent, TimelineSource, add_timeline_source
from fieldsvc.customers.services.timeline import data_of, line, scaled
from fieldsvc.labels import label


def _registered(customer_id):
    return select(*line(at=Customer.created_at, s=(Customer.account_no,))).where(
        Customer.id == customer_id)


def _registered_events(row):
    yield TimelineEvent(at=row.at, kind="customer.create", title=str(_l("Customer registered")), detail=row.s1)


def _installs(customer_id):
    return (select(*line(day=MeterInstallation.installed_on, ref=MeterInstallation.id,
                         s=(Meter.serial_no, MeterInstallation.removal_reason),
                         n=(MeterInstallation.start_reading, MeterInstallation.final_reading)))
            .select_from(MeterInstallation).join(Meter, Meter.id == MeterInstallation.meter_id)
            .where(MeterInstallation.customer_id == customer_id))


def _install_events(row):
    yield TimelineEvent(at=row.day, kind="meter.install", title=str(_l("Meter installed")),
                        detail=f"{row.s1} · {scaled(row.n1, 3):g} m³")


def _removals(customer_id):
    return (select(*line(day=MeterInstallation.removed_on, ref=MeterInstallation.id,
                         s=(Meter.serial_no, MeterInstallation.removal_reason), n=(MeterInstallation.final_reading,)))
            .select_from(MeterInstallation).join(Meter, Meter.id == MeterInstallation.meter_id)
            .where(MeterInstallation.customer_id == customer_id, MeterInstallation.removed_on.is_not(None)))


def _removal_events(row):
    reading = f" · {scaled(row.n1, 3):g} m³" if row.n1 is not None else ""
    yield TimelineEvent(at=row.day, kind="meter.remove", title=str(_l("Meter removed")),
                        detail=f"{row.s1}{reading} · {row.s2 or ''}")


def _appliances(customer_id):
    return select(*line(day=Appliance.sold_on, s=(Appliance.kind, Appliance.brand))).where(
        Appliance.customer_id == customer_id, Appliance.sold_on.is_not(None))


def _appliance_events(row):
    yield TimelineEvent(at=row.day, kind="appliance", title=str(_l("Appliance bought")),
                        detail=" · ".join(x for x in (label(row.s1, "appliance_kind"), row.s2) if x))


def _supply(customer_id):
    """Gas shut off or back on, linked to the job or inspection that did it."""
    return select(*line(at=SupplyChange.at, ref=SupplyChange.work_order_id,
                        ref2=SupplyChange.inspection_id,
                        s=(SupplyChange.supply, SupplyChange.reason, SupplyChange.note))).where(
        SupplyChange.customer_id == customer_id)


def _supply_events(row):
    title = label(row.s1, "supply")
    if row.s2:
        title = f"{title} · {label(row.s2, 'supply_reason')}"
    url = (url_for("dispatch.order", order_id=row.ref) if row.ref
           else url_for("inspections.show", inspection_id=row.ref2) if row.ref2 else None)
    yield TimelineEvent(at=row.at, kind="customer.supply", title=title, detail=row.s3 or "", url=url)


def _changes(customer_id):
    """Changes to the customer record, from the audit trail."""
    return select(*line(at=AuditEntry.at, data=AuditEntry.data)).where(
        AuditEntry.entity == "customer", AuditEntry.entity_id == customer_id, AuditEntry.action == "customer.update")


def _change_events(row):
    yield TimelineEvent(at=row.at, kind="customer.update", title=str(_l("Customer details changed")),
                        detail=", ".join(sorted(data_of(row).get("changes", {}))))


SOURCES = [
    TimelineSource("customer", _registered, _registered_events),
    TimelineSource("meter_installation", _installs, _install_events),
    TimelineSource("meter_removal", _removals, _removal_events),
    TimelineSource("appliance", _appliances, _appliance_events),
    TimelineSource("supply", _supply, _supply_events),
    TimelineSource("customer_update", _changes, _change_events),
]


def register(app) -> None:
    add_timeline_source(app, *SOURCES)
