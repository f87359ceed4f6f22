"""Business time: every business date is a date in the configured time zone (default Asia/Shanghai)."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from fieldsvc.models import utcnow


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def now() -> datetime:
    """Aware 'now' in the business time zone."""
    return utcnow().astimezone(zone())


def today() -> date:
    return now().date()


def business_date(moment: datetime) -> date:
    return moment.astimezone(zone()).date()
