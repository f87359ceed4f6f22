"""Words for the complaint code values, registered with fieldsvc.labels."""
from flask_babel import lazy_gettext as _l

from fieldsvc import labels

GROUPS = {
    "complaint_channel": {
        "hotline": _l("Hotline"),
        "counter": _l("Service counter"),
        "web": _l("Web form"),
        "field": _l("Field staff"),
    },
    "complaint_category": {
        "meter_accuracy": _l("Meter accuracy"),
        "billing": _l("Billing"),
        "attitude": _l("Staff attitude"),
        "repair_quality": _l("Repair quality"),
        "pressure": _l("Gas pressure"),
        "safety": _l("Safety concern"),
        "suggestion": _l("Suggestion"),
        "other": _l("Other"),
    },
    "complaint_status": {
        "received": _l("Received"),
        "contacted": _l("Contacted"),
        "investigating": _l("Under investigation"),
        "solution_proposed": _l("Solution proposed"),
        "solution_approved": _l("Solution approved"),
        "resolved": _l("Resolved"),
        "closed": _l("Closed"),
        "rejected_invalid": _l("Not accepted"),
        "closed_invalid": _l("Closed (not accepted)"),
    },
    "complaint_department": {
        "service_station": _l("Service station"),
        "metering_office": _l("Metering office"),
        "repair_team": _l("Indoor repair team"),
        "pipe_team": _l("Pipe fitting team"),
        "safety_office": _l("Safety office"),
        "billing_office": _l("Billing office"),
        "customer_service": _l("Customer service centre"),
    },
    "complaint_cause": {
        "meter_fault": _l("Meter fault"),
        "reading_error": _l("Reading error"),
        "billing_error": _l("Billing error"),
        "staff_attitude": _l("Staff attitude"),
        "workmanship": _l("Workmanship"),
        "supply_pressure": _l("Supply pressure"),
        "safety_hazard": _l("Safety hazard"),
        "customer_misunderstanding": _l("Customer misunderstanding"),
        "third_party": _l("Third party"),
        "policy": _l("Policy or tariff"),
        "other": _l("Other cause"),
    },
    "complaint_action": {
        "receive": _l("Received"),
        "contact": _l("First contact"),
        "reject_invalid": _l("Judged not valid"),
        "acknowledge": _l("Customer acknowledged"),
        "investigate": _l("Investigation started"),
        "propose": _l("Solution proposed"),
        "approve": _l("Solution approved"),
        "send_back": _l("Sent back"),
        "resolve": _l("Resolved"),
        "confirm": _l("Customer confirmed"),
        "customer_reject": _l("Customer rejected the solution"),
        "reopen": _l("Reopened"),
        "followup": _l("Follow-up call"),
        "order": _l("Work order started"),
        "note": _l("Note"),
        "reply": _l("Reply to the customer"),
        "handover": _l("Handed over"),
    },
    "complaint_clock": {"running": _l("Running"), "overdue": _l("Overdue"), "met": _l("Within target"),
                        "missed": _l("Target missed")},
    "satisfaction": {"1": _l("1 · Very dissatisfied"), "2": _l("2 · Dissatisfied"), "3": _l("3 · Neutral"),
                     "4": _l("4 · Satisfied"), "5": _l("5 · Very satisfied")},
}


def register(app) -> None:
    labels.register(app, GROUPS)
