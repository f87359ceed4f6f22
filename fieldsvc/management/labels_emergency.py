"""Words for the emergency plan and drill codes, registered with fieldsvc.labels."""
from flask_babel import lazy_gettext as _l

from fieldsvc import labels

GROUPS = {
    "emergency_scenario": {"leak": _l("Gas leak"), "fire": _l("Fire or explosion"),
                           "co_poisoning": _l("Carbon monoxide poisoning"), "mass_outage": _l("Mass supply outage")},
    "eplan_review": {"ok": _l("Review up to date"), "due_soon": _l("Review due soon"),
                     "overdue": _l("Review overdue")},
    "emergency_audit": {
        "eplan.create": _l("Plan written"), "eplan.update": _l("Plan changed"),
        "eplan.contact_add": _l("Added to the call list"), "eplan.contact_remove": _l("Taken off the call list"),
        "drill.record": _l("Drill recorded"), "drill.update": _l("Drill changed"),
        "drill.action": _l("Action raised as a nonconformity"),
    },
}


def register(app) -> None:
    labels.register(app, GROUPS)
