"""Words for the contractor codes, registered with fieldsvc.labels."""
from flask_babel import lazy_gettext as _l

from fieldsvc import labels

GROUPS = {
    "licence_state": {"valid": _l("Licence valid"), "expiring": _l("Licence expiring"),
                      "expired": _l("Licence expired")},
    "permit_status": {
        "issued": _l("Issued"), "closed": _l("Work finished"), "cancelled": _l("Cancelled")},
    "contractor_audit": {
        "contractor.create": _l("Registered"), "contractor.update": _l("Details changed"),
        "contractor.supervisors": _l("Supervisors changed"), "contractor.retire": _l("Retired"),
        "contractor.reinstate": _l("Reinstated"),
        "permit.issue": _l("Permit issued"), "permit.update": _l("Permit changed"),
        "permit.close": _l("Work finished"), "permit.cancel": _l("Permit cancelled"),
    },
}


def register(app) -> None:
    labels.register(app, GROUPS)
