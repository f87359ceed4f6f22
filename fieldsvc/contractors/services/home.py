"""The home card of whoever keeps the contractor register (safety officer, director): licences expired and
running out. Counts only, asked with every other card's figures (fieldsvc/home.py)."""
from datetime import timedelta

from sqlalchemy import func, select

from fieldsvc import clock
from fieldsvc.contractors import rules
from fieldsvc.contractors.models import Contractor
from fieldsvc.permissions import P, require


def licence_figures(actor) -> dict:
    require(actor, P.contractors_view)
    today = clock.today()
    active = select(func.count(Contractor.id)).where(Contractor.active.is_(True))
    return {"expired": active.where(Contractor.licence_expires_on < today),
            "expiring": active.where(Contractor.licence_expires_on >= today,
                                     Contractor.licence_expires_on <= today + timedelta(days=rules.EXPIRING_DAYS))}


def licence_card(actor, figures: dict) -> dict | None:
    return figures if figures["expired"] or figures["expiring"] else None
