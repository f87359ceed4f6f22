"""Figures for the metering roles' home pages (the lead's templates/home/metering_*.html call this)."""
from sqlalchemy import func, select

from fieldsvc import clock
from fieldsvc.extensions import db
from fieldsvc.metering import rules
from fieldsvc.metering.models import LabCase, MeterCheck
from fieldsvc.metering.services import equipment, meter_tests
from fieldsvc.permissions import P, can


def summary(actor) -> dict:
    """{"pending_tests", "calibration_reminders" [Equipment], "week_checks_done", "week_checks_total",
    "cases_open", "cases_overdue"} — only the figures the actor may see."""
    out: dict = {}
    if can(actor, P.meter_tests_view):
        out["pending_tests"] = meter_tests.list_tests(actor, state="pending", per_page=1)[1]
    if can(actor, P.equipment_view):
        out["calibration_reminders"] = equipment.reminders(actor)
    if can(actor, P.meter_checks_view):
        week = rules.week_start(clock.today())
        rows = dict(db.session.execute(select(MeterCheck.status, func.count()).where(MeterCheck.week_start == week)
                                       .group_by(MeterCheck.status)).all())
        out["week_checks_total"] = sum(rows.values())
        out["week_checks_done"] = out["week_checks_total"] - rows.get("planned", 0)
    if can(actor, P.lab_cases_view):
        out["cases_open"] = db.session.execute(select(func.count(LabCase.id)).where(LabCase.status != "tested")
                                               ).scalar_one()
        out["cases_overdue"] = db.session.execute(select(func.count(LabCase.id)).where(
            LabCase.status == "removed", LabCase.due_on < clock.today())).scalar_one()
    return out
