"""Words for the HSE system's codes: the legal register, internal audits, the management review."""
from flask_babel import lazy_gettext as _l

from fieldsvc import labels

GROUPS = {
    "hse_legal_kind": {"law": _l("Law"), "regulation": _l("Administrative regulation"),
                       "standard": _l("Standard or code"), "local": _l("Local regulation"),
                       "other": _l("Other requirement")},
    "hse_legal_due": {"overdue": _l("Evaluation overdue"), "due": _l("Evaluation due")},
    "hse_audit_state": {"planned": _l("Planned"), "conducted": _l("Conducted"), "cancelled": _l("Cancelled")},
    "hse_review_state": {"draft": _l("Draft"), "approved": _l("Approved")},
    "hse_decision_kind": {"corrective": _l("Corrective action (nonconformity)"), "action": _l("Action")},
    "hse_review_kpi": {
        "compliance.rate": _l("Work orders on time"), "emergency.median_min": _l("Emergency arrival, median (min)"),
        "inspections.coverage": _l("Inspection coverage"), "inspections.entry_rate": _l("Entry rate"),
        "hazards.rate": _l("Rectification rate"), "readings.rate": _l("Reading completion"),
        "arrears.rate": _l("Arrears recovery"), "satisfaction.mean": _l("Follow-up satisfaction (1–5)"),
        "complaints.received": _l("Complaints received"), "complaints.on_time_rate": _l("Complaints closed on time"),
    },
    "hse_system_field": {
        "title": _l("Title"), "kind": _l("Kind"), "issuer": _l("Issuer"), "clause": _l("Clauses"),
        "applies_to": _l("Applies to"), "next_review_on": _l("Next evaluation"), "unit": _l("Department"),
        "scope_clauses": _l("Clauses in scope"), "auditor_id": _l("Auditor"), "planned_on": _l("Planned date"),
        "held_on": _l("Held on"), "participants": _l("Participants"), "input_notes": _l("Other inputs"),
        "conclusion": _l("Conclusion"),
    },
    "hse_system_audit": {
        "hse_legal.create": _l("Added to the register"), "hse_legal.update": _l("Changed"),
        "hse_legal.retire": _l("Retired"), "hse_legal.evaluate": _l("Compliance evaluated"),
        "hse_audit.create": _l("Planned"), "hse_audit.update": _l("Changed"),
        "hse_audit.conduct": _l("Conducted"), "hse_audit.finding": _l("Finding raised"),
        "hse_audit.cancel": _l("Cancelled"),
        "hse_review.create": _l("Prepared"), "hse_review.update": _l("Changed"),
        "hse_review.inputs": _l("Inputs gathered"), "hse_review.decision": _l("Decision added"),
        "hse_review.approve": _l("Approved"),
    },
}


def register(app) -> None:
    labels.register(app, GROUPS)
