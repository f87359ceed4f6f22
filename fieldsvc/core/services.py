"""What each role's home page shows. Figures only for what the actor may see."""
from sqlalchemy import func, select

from fieldsvc import cache
from fieldsvc.auth import services as auth_services
from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer, Meter
from fieldsvc.extensions import db
from fieldsvc.permissions import P, can


def home_summary(actor) -> dict:
    """What the role's home page shows: expiring qualifications (live), the domains' cards by group and
    the overview figures (both kept in the short-lived cache, fieldsvc/cache.py)."""
    from fieldsvc.home import grouped_cards
    scope = actor.district_id if actor.role == "station_chief" else None
    return {"qualifications": auth_services.expiring_qualifications(actor),
            "groups": grouped_cards(actor),
            **cache.cached(f"home-figures:{actor.role}:{scope}", lambda: _figures(actor))}


def _figures(actor) -> dict:
    """The overview figures the actor may see, asked in one statement (fieldsvc.home.figures_of)."""
    from fieldsvc.home import figures_of
    asked = {}
    if can(actor, P.customers_view):
        stmt = select(func.count(Customer.id))
        if actor.district_id and actor.role == "station_chief":
            stmt = stmt.where(Customer.district_id == actor.district_id)
        asked["customers"] = stmt
    if can(actor, P.meters_edit):
        for status in METER_FIGURES:
            asked[f"meters.{status}"] = select(func.count(Meter.id)).where(Meter.status == status)
    if can(actor, P.staff_manage):
        asked["staff"] = select(func.count(User.id)).where(User.active.is_(True))
    summary: dict = {}
    for key, value in figures_of(asked).items():
        group, _, name = key.partition(".")
        if name:
            summary.setdefault(group, {})[name] = value
        else:
            summary[key] = value
    return summary


METER_FIGURES = ("installed", "in_stock")  # what templates/home/_figures.html shows


def database_ok() -> bool:
    try:
        db.session.execute(select(1))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable" for the health check
        db.session.rollback()
        return False
