"""The readings domain on the customer's page: readings, bills and collection visits."""
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import labels
from fieldsvc.customers.services import TimelineEvent
from fieldsvc.extensions import db
from fieldsvc.readings.models import Bill, CollectionVisit, Reading

LIMIT = 24  # two years of monthly readings is plenty on a phone


def customer_events(customer) -> list[TimelineEvent]:
    events = []
    stmt = (select(Reading).where(Reading.customer_id == customer.id)
            .order_by(Reading.read_at.desc()).limit(LIMIT))
    for r in db.session.execute(stmt).scalars():
        detail = _("%(value)s m³, used %(used)s m³", value=r.value, used=r.consumption_m3)
        if r.codes:
            detail += " · " + ", ".join(labels.label(c, "anomaly") for c in r.codes)
        if r.status != "accepted":
            detail += " · " + labels.label(r.status, "reading_status")
        events.append(TimelineEvent(r.read_at, "reading", labels.label(r.kind, "reading_kind"), detail))
    stmt = select(Bill).where(Bill.customer_id == customer.id).order_by(Bill.id.desc()).limit(LIMIT)
    for b in db.session.execute(stmt).scalars():
        events.append(TimelineEvent(b.issued_on, "bill", _("Bill %(amount)s for %(volume)s m³", amount=b.amount,
                                                            volume=b.volume_m3),
                                    labels.label(b.status, "bill_status"),
                                    url_for("readings.bill", bill_id=b.id)))
    stmt = (select(CollectionVisit).where(CollectionVisit.customer_id == customer.id)
            .order_by(CollectionVisit.at.desc()).limit(LIMIT))
    for v in db.session.execute(stmt).scalars():
        detail = str(v.amount) if v.amount else (v.promised_on.isoformat() if v.promised_on else "")
        events.append(TimelineEvent(v.at, "collection", labels.label(v.outcome, "visit_outcome"), detail))
    return events
