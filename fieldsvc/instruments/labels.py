"""Words for the instrument register's codes, registered with fieldsvc.labels."""
from flask_babel import lazy_gettext as _l

from fieldsvc import labels

GROUPS = {
    "instrument_kind": {"gas_detector": _l("Gas detector"), "manometer": _l("Manometer"),
                        "leak_detector": _l("Leak detector"), "other": _l("Other instrument")},
    "instrument_check": {"calibration": _l("Calibration"), "bump_test": _l("Bump test"),
                         "damage": _l("Damage"), "loss": _l("Loss")},
    "instrument_status": {"in_service": _l("In service"), "out_of_service": _l("Out of service"),
                          "lost": _l("Lost")},
    "instrument_due": {"ok": _l("In calibration"), "due_soon": _l("Calibration due soon"),
                       "overdue": _l("Calibration overdue"), "not_calibrated": _l("No calibration on record")},
}


def register(app) -> None:
    labels.register(app, GROUPS)
