"""Figures a plan item can be measured by, read from the other domains' tables (read-only).

Each provider is fn(year, today) → a number, or None when its domain is not installed. Year bounds are
business dates in the configured zone; datetimes are compared as aware moments.
"""
from datetime import date, datetime

from sqlalchemy import distinct, func, select

from fieldsvc import clock
from fieldsvc.extensions import db
from fieldsvc.management import rules
from fieldsvc.management.services.common import installed


def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def _moments(year: int) -> tuple[datetime, datetime]:
    start, end = _bounds(year)
    zone = clock.zone()
    return datetime(start.year, 1, 1, tzinfo=zone), datetime(end.year, 1, 1, tzinfo=zone)


def inspection_coverage(year: int, today: date):
    """安检率: customers (not closed) with a completed household inspection in the year, in %."""
    if not installed("inspections"):
        return None
    from fieldsvc.customers.models import Customer
    from fieldsvc.inspections.models import Inspection
    start, end = _moments(year)
    done = db.session.execute(select(func.count(distinct(Inspection.customer_id))).where(
        Inspection.outcome == "completed", Inspection.scope == "household",  # not a pipe fitter's check
        Inspection.visited_at >= start, Inspection.visited_at < end)).scalar_one()
    whole = db.session.execute(select(func.count(Customer.id)).where(Customer.status != "closed")).scalar_one()
    return rules.percent(done, whole)


def rectification_rate(year: int, today: date):
    """整改率: grade A/B hazards found in the year that are closed, in %."""
    if not installed("inspections"):
        return None
    from fieldsvc.inspections.models import Hazard
    start, end = _bounds(year)
    found = (Hazard.found_on >= start, Hazard.found_on < end, Hazard.grade.in_(("A", "B")))
    whole = db.session.execute(select(func.count(Hazard.id)).where(*found)).scalar_one()
    closed = db.session.execute(select(func.count(Hazard.id)).where(*found, Hazard.status == "closed")).scalar_one()
    return rules.percent(closed, whole)


def trainings_held(year: int, today: date):
    if not installed("hse"):
        return None
    from fieldsvc.hse.models import TrainingSession
    start, end = _bounds(year)
    return db.session.execute(select(func.count(TrainingSession.id)).where(
        TrainingSession.held_on >= start, TrainingSession.held_on < end)).scalar_one()


def publicity_events(year: int, today: date):
    if not installed("hse"):
        return None
    from fieldsvc.hse.models import HseCampaignRecord
    start, end = _bounds(year)
    return db.session.execute(select(func.count(HseCampaignRecord.id)).where(
        HseCampaignRecord.held_on >= start, HseCampaignRecord.held_on < end)).scalar_one()


def nonconformities_closed(year: int, today: date):
    if not installed("hse"):
        return None
    from fieldsvc.hse.models import Nonconformity
    start, end = _moments(year)
    return db.session.execute(select(func.count(Nonconformity.id)).where(
        Nonconformity.status == "closed", Nonconformity.closed_at >= start, Nonconformity.closed_at < end)).scalar_one()


def meter_tests(year: int, today: date):
    """Bench tests in the year (a correction counts as a test: it was run again)."""
    if not installed("metering"):
        return None
    from fieldsvc.metering.models import MeterTest
    start, end = _bounds(year)
    return db.session.execute(select(func.count(MeterTest.id)).where(
        MeterTest.tested_on >= start, MeterTest.tested_on < end)).scalar_one()


def meter_checks(year: int, today: date):
    if not installed("metering"):
        return None
    from fieldsvc.metering.models import MeterCheck
    start, end = _moments(year)
    return db.session.execute(select(func.count(MeterCheck.id)).where(
        MeterCheck.status == "done", MeterCheck.visited_at >= start, MeterCheck.visited_at < end)).scalar_one()


def equipment_in_calibration(year: int, today: date):
    """Active, approved bench equipment whose calibration is valid on the judging day (today, or the year's
    end for a past year), in %. Equipment awaiting the metering head's approval, or refused, is not in
    service: it counts neither way."""
    if not installed("metering"):
        return None
    from fieldsvc.metering.models import Equipment
    from fieldsvc.metering.rules import Approval
    day = min(today, date(year, 12, 31))
    in_service = (Equipment.active.is_(True), Equipment.status == Approval.approved)
    whole = db.session.execute(select(func.count(Equipment.id)).where(*in_service)).scalar_one()
    valid = db.session.execute(select(func.count(Equipment.id)).where(
        *in_service, Equipment.calibration_expires_on >= day)).scalar_one()
    return rules.percent(valid, whole)


def incidents(year: int, today: date):
    from fieldsvc.management.models import Incident
    start, end = _moments(year)
    return db.session.execute(select(func.count(Incident.id)).where(
        Incident.occurred_at >= start, Incident.occurred_at < end)).scalar_one()


# metric code → provider. The labels (plan_metric) name them; a percentage metric has a target in %.
PROVIDERS = {
    "inspection_coverage": inspection_coverage,
    "rectification_rate": rectification_rate,
    "trainings_held": trainings_held,
    "publicity_events": publicity_events,
    "nonconformities_closed": nonconformities_closed,
    "meter_tests": meter_tests,
    "meter_checks": meter_checks,
    "equipment_in_calibration": equipment_in_calibration,
    "incidents": incidents,
}
PERCENT_METRICS = frozenset({"inspection_coverage", "rectification_rate", "equipment_in_calibration"})
# Lower is better: progress is not "actual / target" for these; they are reported, not scored.
REPORTED_ONLY = frozenset({"incidents"})


def value(metric: str | None, year: int, today: date | None = None):
    """The figure of a metric for a year; None without a metric or when its domain is not installed."""
    provider = PROVIDERS.get(metric or "")
    if provider is None:
        return None
    return provider(year, today or clock.today())


def available() -> list[str]:
    """The metrics whose domain is installed (for the item form)."""
    need = {"inspection_coverage": "inspections", "rectification_rate": "inspections", "trainings_held": "hse",
            "publicity_events": "hse", "nonconformities_closed": "hse", "meter_tests": "metering",
            "meter_checks": "metering", "equipment_in_calibration": "metering"}
    return [m for m in PROVIDERS if m not in need or installed(need[m])]
