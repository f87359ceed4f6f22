"""Words for HSE code values (GLOSSARY.md), registered with fieldsvc.labels at import."""
from flask_babel import lazy_gettext as _l

from fieldsvc import labels

UNITS = {
    "office": _l("Department office"),
    "station": _l("Service station"),
    "repair_crew": _l("Repair crew"),
    "pipe_crew": _l("Pipe fitting crew"),
    "reading_team": _l("Meter reading team"),
    "card_hall": _l("Card sales hall"),
    "metering_office": _l("Metering office"),
}
# The department a role works in: the default unit of what its people report and are trained for.
ROLE_UNIT = {
    "director": "office", "safety_officer": "office", "statistician": "office",
    "station_chief": "station", "repair_tech": "repair_crew", "pipe_fitter": "pipe_crew",
    "meter_reader": "reading_team", "card_clerk": "card_hall",
    "metering_head": "metering_office", "metering_tech": "metering_office",
}

GROUPS = {
    "hse_unit": UNITS,
    "hse_accident_type": {
        "struck_by_object": _l("Struck by object"), "vehicle": _l("Vehicle injury"),
        "machinery": _l("Machinery injury"), "lifting": _l("Lifting injury"),
        "electric_shock": _l("Electric shock"), "drowning": _l("Drowning"), "burn_scald": _l("Burn or scald"),
        "fire": _l("Fire"), "fall_from_height": _l("Fall from height"), "collapse": _l("Collapse"),
        "roof_fall": _l("Roof or wall fall (mining)"), "water_inrush": _l("Water inrush"),
        "blasting": _l("Blasting"), "explosive_explosion": _l("Explosive (gunpowder) explosion"),
        "firedamp_explosion": _l("Gas (firedamp) explosion"), "boiler_explosion": _l("Boiler explosion"),
        "vessel_explosion": _l("Pressure vessel explosion"), "other_explosion": _l("Other explosion"),
        "poisoning_asphyxiation": _l("Poisoning and asphyxiation"), "other_injury": _l("Other injury"),
    },
    "hse_hazard_category": {"person": _l("Human factor"), "equipment": _l("Equipment and material"),
                            "environment": _l("Environment"), "management": _l("Management")},
    "hse_state": {"normal": _l("Normal"), "abnormal": _l("Abnormal"), "emergency": _l("Emergency")},
    "hse_criterion": {
        "regulation_breach": _l("Breaks a law or regulation"),
        "past_accident": _l("Accident before without effective controls"),
        "justified_complaint": _l("Justified complaint"),
        "observed_danger": _l("Serious danger observed directly"),
    },
    "hse_grade": {"1": _l("Grade 1 · extreme"), "2": _l("Grade 2 · high"), "3": _l("Grade 3 · substantial"),
                  "4": _l("Grade 4 · possible"), "5": _l("Grade 5 · acceptable")},
    "hse_l": {"10": _l("10 · expected"), "6": _l("6 · quite possible"), "3": _l("3 · unusual but possible"),
              "1": _l("1 · remotely possible"), "0.5": _l("0.5 · conceivable"),
              "0.2": _l("0.2 · practically impossible"), "0.1": _l("0.1 · virtually impossible")},
    "hse_e": {"10": _l("10 · continuous"), "6": _l("6 · daily"), "3": _l("3 · weekly or occasionally"),
              "2": _l("2 · monthly"), "1": _l("1 · a few times a year"), "0.5": _l("0.5 · very rarely")},
    "hse_c": {"100": _l("100 · catastrophe (10 or more deaths)"), "40": _l("40 · disaster (3–9 deaths)"),
              "15": _l("15 · very serious (1–2 deaths)"), "7": _l("7 · serious injury"),
              "3": _l("3 · disabling"), "1": _l("1 · noticeable")},
    "hse_control": {"engineering": _l("Engineering controls"), "management": _l("Management controls"),
                    "training": _l("Training"), "ppe": _l("Personal protective equipment"),
                    "emergency": _l("Emergency measures")},
    "hse_record_status": {"active": _l("Active"), "retired": _l("Retired")},
    "hse_review": {"overdue": _l("Review overdue"), "due": _l("Review due")},
    "hse_aspect_kind": {"pollution": _l("Pollution"), "resource": _l("Resource use")},
    "hse_score": {"a": _l("A · scope"), "b": _l("B · severity"), "c": _l("C · frequency"),
                  "d": _l("D · public concern"), "e": _l("E · compliance"), "f": _l("F · consumption"),
                  "g": _l("G · saving potential")},
    "hse_observation_kind": {"hazard": _l("Safety hazard"), "aspect": _l("Environmental aspect")},
    "hse_observation_status": {"open": _l("Awaiting review"), "registered": _l("Registered"),
                               "closed": _l("Closed")},
    "hse_nc_state": {"draft": _l("Draft"), "analysis": _l("Cause analysis"), "action_plan": _l("Action plan"),
                     "in_progress": _l("Actions in progress"), "effectiveness_check": _l("Effectiveness check"),
                     "closed": _l("Closed"), "cancelled": _l("Cancelled")},
    "hse_nc_origin": {"audit": _l("Audit"), "inspection": _l("Inspection"), "complaint": _l("Complaint"),
                      "incident": _l("Incident"), "field_hazard": _l("Field hazard"),
                      "drill": _l("Emergency drill")},
    "hse_action_kind": {"immediate": _l("Immediate action"), "corrective": _l("Corrective action"),
                        "preventive": _l("Preventive action"), "improvement": _l("Improvement")},
    "hse_training_status": {"ok": _l("Up to date"), "due": _l("Due soon"), "overdue": _l("Overdue"),
                            "missing": _l("Never trained")},
    "hse_direction": {"at_least": _l("At least"), "at_most": _l("At most")},
    "hse_item_result": {"ok": _l("OK"), "finding": _l("Finding"), "na": _l("Not applicable")},
    "hse_inspection_status": {"open": _l("Open"), "completed": _l("Completed")},
    "hse_objective_status": {"active": _l("Active"), "closed": _l("Closed")},
    "hse_audit": {
        "hse_hazard.create": _l("Added to the register"), "hse_hazard.update": _l("Changed"),
        "hse_hazard.retire": _l("Retired"), "hse_aspect.create": _l("Added to the register"),
        "hse_aspect.update": _l("Changed"), "hse_aspect.retire": _l("Retired"),
        "hse_nc.create": _l("Raised"), "hse_nc.analysis": _l("Root cause recorded"),
        "hse_nc.action_add": _l("Action added"), "hse_nc.action_done": _l("Action done"),
        "hse_nc.effectiveness": _l("Effectiveness checked"), "hse_nc.transition": _l("Status changed"),
    },
}


def register(app) -> None:
    labels.register(app, GROUPS)
