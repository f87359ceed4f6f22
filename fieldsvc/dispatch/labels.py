"""Words for the dispatch code values (GLOSSARY.md), registered with fieldsvc.labels."""
from flask_babel import lazy_gettext as _l

from fieldsvc import labels

GROUPS = {
    "wo_type": {
        "emergency": _l("Emergency repair"),
        "repair": _l("Repair"),
        "purge_ignition": _l("Purge and ignite"),
        "pressure_check": _l("Stove-front pressure check"),
        "pipe_acceptance": _l("Indoor pipe acceptance"),
        "rectification": _l("Hazard rectification"),
        "meter_box": _l("Meter box maintenance"),
        "meter_replacement": _l("Meter replacement"),
        "meter_verification": _l("Meter verification (complaint)"),
        "followup_visit": _l("Follow-up visit"),
        "suspension": _l("Supply suspension"),
        "restoration": _l("Supply restoration"),
    },
    "wo_status": {
        "new": _l("New"),
        "assigned": _l("Assigned"),
        "accepted": _l("Accepted"),
        "en_route": _l("En route"),
        "on_site": _l("On site"),
        "completed": _l("Completed"),
        "closed": _l("Closed"),
        "cancelled": _l("Cancelled"),
    },
    "wo_priority": {"normal": _l("Normal"), "urgent": _l("Urgent")},
    "wo_action": {  # the order's history, in the past tense
        "create": _l("Created"),
        "assign": _l("Assigned"),
        "reassign": _l("Reassigned"),
        "accept": _l("Accepted"),
        "reject": _l("Rejected"),
        "en_route": _l("Set off"),
        "on_site": _l("Arrived on site"),
        "complete": _l("Completed"),
        "close": _l("Closed"),
        "cancel": _l("Cancelled"),
        "helpers": _l("Helpers changed"),
    },
    "wo_due": {"ok": _l("On time"), "due_soon": _l("Due soon"), "overdue": _l("Overdue"),
               "met": _l("Within target"), "missed": _l("Target missed")},
    "custody_item_kind": {"tool": _l("Tool"), "part": _l("Part")},
    "custody_move": {"issue": _l("Issued"), "use": _l("Used on a job"), "return": _l("Returned")},
    "box_condition": {"good": _l("Good"), "fair": _l("Fair"), "poor": _l("Poor")},
    "box_corrosion": {"none": _l("No corrosion"), "light": _l("Light corrosion"),
                      "heavy": _l("Heavy corrosion")},
    "box_lock": {"ok": _l("Lock works"), "broken": _l("Lock broken"), "missing": _l("Lock missing")},
    "pass_fail": {"pass": _l("Pass"), "fail": _l("Fail")},
    "gas_state": {"restored": _l("Gas restored"), "shut_off": _l("Gas shut off"),
                  "unaffected": _l("Gas not affected")},
    "yes_no": {"true": _l("Yes"), "false": _l("No")},
}


def register(app) -> None:
    labels.register(app, GROUPS)


# The fields of the completion results (schemas/results.py), as the form and the job sheet show them.
RESULT_LABELS = {
    "supply_shut": _l("Supply shut off at the meter valve"),
    "final_reading": _l("Meter reading at shut-off (m³)"),
    "appliances_checked": _l("Appliances relit and checked"),
    "leak_found": _l("Leak found"),
    "leak_location": _l("Where was the leak"),
    "gas_state": _l("Gas left"),
    "shut_off_reason": _l("Why the gas was shut off"),
    "supply_restored": _l("Supply restored"),
    "fault_found": _l("Fault found"),
    "test_pressure_kpa": _l("Tightness test pressure (kPa)"),
    "test_duration_min": _l("Held for (minutes)"),
    "pressure_drop_kpa": _l("Pressure drop (kPa)"),
    "test_result": _l("Tightness test result"),
    "purge_confirmed": _l("Purge confirmed with the gas detector"),
    "burners_lit": _l("Every burner lit"),
    "flame_failure_checked": _l("Flame-failure device checked"),
    "opening_reading": _l("Opening meter reading (m³)"),
    "seal_no": _l("Seal number"),
    "safety_briefing": _l("Safety briefing given to the customer"),
    "static_pa": _l("Static pressure (Pa)"),
    "working_pa": _l("Working pressure (Pa)"),
    "instrument_id": _l("Instrument used"),
    "material_ok": _l("Pipe and fittings to specification"),
    "supports_ok": _l("Pipe fixed and supported"),
    "tightness_ok": _l("Tightness test passed"),
    "valves_ok": _l("Valves accessible and working"),
    "clearances_ok": _l("Clearances from electrics and heat"),
    "ventilation_ok": _l("Room ventilated"),
    "result": _l("Acceptance result"),
    "hazard_fixed": _l("Hazard fixed"),
    "condition": _l("Box condition"),
    "corrosion": _l("Corrosion"),
    "lock": _l("Lock"),
    "old_serial": _l("Old meter serial number"),
    "old_reading": _l("Old meter final reading (m³)"),
    "new_serial": _l("New meter serial number"),
    "new_reading": _l("New meter start reading (m³)"),
    "meter_serial": _l("Meter serial number"),
    "handed_to_office": _l("Meter handed to the metering office"),
    "satisfaction": _l("Satisfaction"),
    "comments": _l("Comments"),
}
RESULT_HINTS = {
    "test_pressure_kpa": _l("At least 5 kPa."),
    "test_duration_min": _l("At least 15 minutes, with no drop."),
    "old_serial": _l("Only where the customer has more than one meter."),
    "new_serial": _l("A meter in stock."),
}
# Choice fields → the label group of their options.
RESULT_CHOICES = {"gas_state": "gas_state", "test_result": "pass_fail", "result": "pass_fail",
                  "condition": "box_condition", "corrosion": "box_corrosion", "lock": "box_lock"}
