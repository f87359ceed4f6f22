"""A customer's timeline: every domain adds its sources on the app (registry.timeline_sources)."""
from dataclasses import dataclass
from datetime import date, datetime

from fieldsvc import clock, registry
from fieldsvc.customers.models import Customer
from fieldsvc.permissions import P, require


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime | date
    kind: str
    title: str
    detail: str = ""
    url: str | None = None


def add_timeline_source(app, source) -> None:
    """Each domain adds what it has to say of a customer: fn(customer) -> list[TimelineEvent]."""
    registry.of(app).timeline_sources.append(source)


def timeline(actor, customer: Customer) -> list[TimelineEvent]:
    """Everything that happened to this customer, newest first."""
    require(actor, P.customers_view)
    events = []
    for source in registry.of().timeline_sources:
        events.extend(source(customer))
    return sorted(events, key=lambda e: _sort_key(e.at), reverse=True)


def _sort_key(at):
    if isinstance(at, datetime):
        return at.astimezone(clock.zone()).replace(tzinfo=None)
    return datetime(at.year, at.month, at.day, 23, 59)
