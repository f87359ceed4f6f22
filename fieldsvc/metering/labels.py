"""Words for the metering office's code values (GLOSSARY.md), in the user's language."""
from flask_babel import lazy_gettext as _l

from fieldsvc import labels

GROUPS = {
    "verification": {"initial": _l("Initial verification"), "subsequent": _l("Subsequent verification"),
                     "in_service": _l("In-service inspection")},
    "zone": {"low": _l("Low zone (qmin ≤ q < qt)"), "high": _l("High zone (qt ≤ q ≤ qmax)")},
    "test_failure": {"leak_test": _l("Leak test failed"), "pressure_loss": _l("Pressure loss above the limit")},
    "document_kind": {"certificate": _l("Verification certificate"), "notice": _l("Verification result notice")},
    "document_status": {"valid": _l("Valid"), "expired": _l("Expired"), "superseded": _l("Superseded")},
    "equipment_status": {"valid": _l("Calibrated"), "expiring": _l("Expires soon"),
                         "expired": _l("Calibration expired")},
    "equipment_kind": {"flow_standard": _l("Flow standard"), "leak_bench": _l("Leak and pressure bench"),
                       "climate": _l("Thermometer-hygrometer")},
    "equipment_approval": {"pending": _l("Awaiting approval"), "approved": _l("Approved"),
                           "rejected": _l("Not approved")},
    "check_status": {"planned": _l("Planned"), "done": _l("Checked"), "no_access": _l("No access")},
    "check_finding": {"seal_broken": _l("Seal broken or missing"), "meter_damaged": _l("Meter damaged"),
                      "leak_suspected": _l("Gas smell or leak suspected"),
                      "register_fault": _l("Register stuck or faulty"),
                      "life_reached": _l("Service life reached"), "obstructed": _l("Meter obstructed"),
                      "tampering": _l("Signs of tampering")},
    "lab_case_status": {"removed": _l("Removed, on its way to the lab"), "in_lab": _l("In the lab"),
                        "tested": _l("Tested")},
    "billed_source": {"readings": _l("From the meter readings"), "entered": _l("Entered on the form")},
    "life_status": {"ok": _l("Within service life"), "due_soon": _l("Service life ends soon"),
                    "expired": _l("Past service life"), "unknown": _l("Verification date unknown")},
}


def failure_label(code: str) -> str:
    """point_<n> → "Point n outside the MPE"; the other codes from the table above."""
    if code.startswith("point_"):
        return str(_l("Point %(n)s outside the MPE", n=code.removeprefix("point_")))
    return labels.label(code, "test_failure")


def register(app) -> None:
    labels.register(app, GROUPS)
