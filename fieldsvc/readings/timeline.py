"""The readings domain on the customer's page: readings, bills and collection visits (the latest of each)."""
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import labels
from fieldsvc.customers.services import TimelineEvent, TimelineSource
from fieldsvc.customers.services.timeline import line, scaled
from fieldsvc.readings.models import Bill, CollectionVisit, Reading

LIMIT = 24  # two years of monthly readings is plenty on a phone


def _readings(customer_id):
    return (select(*line(at=Reading.read_at, s=(Reading.kind, Reading.status, Reading.anomalies),
                         n=(Reading.value, Reading.consumption_m3)))
            .where(Reading.customer_id == customer_id).order_by(Reading.read_at.desc()).limit(LIMIT))


def _reading_events(row):
    detail = _("%(value)s m³, used %(used)s m³", value=scaled(row.n1, 3), used=scaled(row.n2, 3))
    codes = [c for c in (row.s3 or "").split(",") if c]
    if codes:
        detail += " · " + ", ".join(labels.label(c, "anomaly") for c in codes)
    if row.s2 != "accepted":
        detail += " · " + labels.label(row.s2, "reading_status")
    yield TimelineEvent(row.at, "reading", labels.label(row.s1, "reading_kind"), detail)


def _bills(customer_id):
    return (select(*line(day=Bill.issued_on, ref=Bill.id, s=(Bill.status,), n=(Bill.amount, Bill.volume_m3)))
            .where(Bill.customer_id == customer_id).order_by(Bill.id.desc()).limit(LIMIT))


def _bill_events(row):
    yield TimelineEvent(row.day, "bill", _("Bill %(amount)s for %(volume)s m³", amount=scaled(row.n1, 2),
                                           volume=scaled(row.n2, 3)),
                        labels.label(row.s1, "bill_status"), url_for("readings.bill", bill_id=row.ref))


def _visits(customer_id):
    return (select(*line(at=CollectionVisit.at, day=CollectionVisit.promised_on,
                         s=(CollectionVisit.outcome,), n=(CollectionVisit.amount,)))
            .where(CollectionVisit.customer_id == customer_id).order_by(CollectionVisit.at.desc()).limit(LIMIT))


def _visit_events(row):
    detail = str(scaled(row.n1, 2)) if row.n1 else (row.day.isoformat() if row.day else "")
    yield TimelineEvent(row.at, "collection", labels.label(row.s1, "visit_outcome"), detail)


SOURCES = [TimelineSource("reading", _readings, _reading_events), TimelineSource("bill", _bills, _bill_events),
           TimelineSource("collection", _visits, _visit_events)]
