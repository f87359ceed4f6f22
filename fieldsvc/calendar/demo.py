"""The calendar's part of the demo: the official schedules (re-running adds nothing)."""
from fieldsvc.calendar import services


def seed_demo(rnd, today, size) -> dict:
    return {"calendar_days": services.seed()}
