"""Figures for the metering roles' home pages. The counts are SELECTs the home page asks together with every
other card's (fieldsvc/home.py); the standards due are listed only when there are some."""
from sqlalchemy import func, select

from fieldsvc import clock, home
from fieldsvc.metering import rules
from fieldsvc.metering.models import LabCase, MeterCheck
from fieldsvc.metering.services import equipment, meter_tests
from fieldsvc.permissions import P, can


def figure_queries(actor) -> dict:
    """The counts the actor may see, as scalar SELECTs."""
    out: dict = {}
    if can(actor, P.meter_tests_view):
        out["pending_tests"] = meter_tests.pending_count_query(actor)
    if can(actor, P.equipment_view):
        out["calibration_due"] = equipment.reminders_count_query(actor)
    if can(actor, P.equipment_approve):
        out["equipment_awaiting"] = equipment.awaiting_approval_query(actor)
    if can(actor, P.meter_checks_view):
        this_week = MeterCheck.week_start == rules.week_start(clock.today())
        out["week_checks_total"] = select(func.count(MeterCheck.id)).where(this_week)
        out["week_checks_planned"] = select(func.count(MeterCheck.id)).where(this_week, MeterCheck.status == "planned")
    if can(actor, P.lab_cases_view):
        out["cases_open"] = select(func.count(LabCase.id)).where(LabCase.status != "tested")
        out["cases_overdue"] = select(func.count(LabCase.id)).where(LabCase.status == "removed",
                                                                    LabCase.due_on < clock.today())
    return out


def card(actor, values: dict) -> dict | None:
    """{"pending_tests", "calibration_reminders" [Equipment], "equipment_awaiting" (the head: new equipment and
    renewals to approve), "week_checks_done", "week_checks_total", "cases_open", "cases_overdue"} — only the
    figures the actor may see; None when none."""
    out = dict(values)
    if "calibration_due" in out:
        out["calibration_reminders"] = equipment.reminders(actor) if out.pop("calibration_due") else []
    if "week_checks_total" in out:
        out["week_checks_done"] = out["week_checks_total"] - out.pop("week_checks_planned")
    return out or None


def summary(actor) -> dict:
    return card(actor, home.figures_of(figure_queries(actor))) or {}
