"""Words for the inspection code values (GLOSSARY.md), registered with fieldsvc.labels."""
from flask_babel import lazy_gettext as _l

from fieldsvc import labels

GROUPS = {
    "inspection_outcome": {
        "completed": _l("Inspected"),
        "refused": _l("Entry refused"),
        "nobody_home": _l("Nobody home"),
    },
    "hazard_grade": {"A": _l("Grade A"), "B": _l("Grade B"), "C": _l("Grade C")},
    "hazard_grade_action": {
        "A": _l("Shut off the supply now; the customer signs the notice"),
        "B": _l("Rectify within 15 days"),
        "C": _l("Advise the customer"),
    },
    "hazard_status": {
        "open": _l("Open"),
        "rectifying": _l("Being rectified"),
        "awaiting_recheck": _l("Awaiting re-check"),
        "closed": _l("Closed"),
        "advised": _l("Advised"),
    },
    "hazard_action": {
        "found": _l("Hazard found"),
        "order": _l("Rectification order opened"),
        "status": _l("Status changed"),
        "evidence": _l("Photo added"),
        "escalate": _l("Escalated: overdue"),
        "recheck_pass": _l("Re-check passed"),
        "recheck_fail": _l("Re-check failed"),
    },
    "photo_stage": {"before": _l("Before"), "after": _l("After"), "recheck": _l("Re-check")},
    "pressure_verdict": {"low": _l("Low"), "normal": _l("Normal"), "high": _l("High")},
    "door_gap": {"no_leak": _l("No leak at the door gap"), "leak": _l("Gas smelt at the door gap")},
    "plan_status": {"done": _l("Inspected this cycle"), "due": _l("Due this cycle"),
                    "overdue": _l("Inspection overdue")},
    "checklist_section": {
        "entry": _l("On entry"),
        "meter": _l("Gas meter"),
        "pipes": _l("Pipes and valves"),
        "kitchen": _l("Kitchen"),
        "bathroom": _l("Bathroom and water heater"),
        "rooms": _l("Other rooms"),
    },
    "missing_record": {
        "supply_shut_off": _l("Supply shut-off not recorded"),
        "signature": _l("Customer's signature missing"),
        "refused_by": _l("Who refused is not recorded"),
        "door_gap_check": _l("Door-gap leak check not recorded"),
    },
    "inspection_scope": {"household": _l("Household safety inspection"),
                         "indoor_pipe": _l("Indoor pipe check")},
    "meter_place": {"kitchen": _l("Kitchen"), "balcony": _l("Balcony"), "hallway": _l("Hallway"),
                    "stairwell": _l("Stairwell"), "outdoor_box": _l("Outdoor meter box"),
                    "other": _l("Other place")},
    "pipe_material": {"steel": _l("Steel pipe"), "galvanised": _l("Galvanised steel pipe"),
                      "stainless_corrugated": _l("Stainless corrugated pipe"),
                      "pe_al_pe": _l("Aluminium-plastic composite pipe"), "copper": _l("Copper pipe"),
                      "other": _l("Other material")},
    "time_slot": {
        "weekday_morning": _l("Weekday morning"),
        "weekday_afternoon": _l("Weekday afternoon"),
        "weekday_evening": _l("Weekday evening"),
        "weekend_morning": _l("Weekend morning"),
        "weekend_afternoon": _l("Weekend afternoon"),
        "weekend_evening": _l("Weekend evening"),
    },
}


def register(app) -> None:
    labels.register(app, GROUPS)
