"""The home card of whoever keeps the emergency plans (safety officer, director): plans past their review
date or due within a month. Counts only, asked with every other card's figures (fieldsvc/home.py)."""
from datetime import timedelta

from sqlalchemy import func, select

from fieldsvc import clock
from fieldsvc.management import rules_emergency as rules
from fieldsvc.management.models.emergency import EmergencyPlan
from fieldsvc.permissions import P, require


def review_figures(actor) -> dict:
    require(actor, P.emergency_plans_manage)
    today = clock.today()
    active = select(func.count(EmergencyPlan.id)).where(EmergencyPlan.active.is_(True))
    return {"overdue": active.where(EmergencyPlan.review_on < today),
            "due": active.where(EmergencyPlan.review_on >= today,
                                EmergencyPlan.review_on <= today + timedelta(days=rules.REVIEW_SOON_DAYS))}


def review_card(actor, figures: dict) -> dict | None:
    return figures if figures["overdue"] or figures["due"] else None
