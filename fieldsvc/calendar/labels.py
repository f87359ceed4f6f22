"""Words for the calendar's codes, registered with fieldsvc.labels."""
from flask_babel import lazy_gettext as _l

from fieldsvc import labels

GROUPS = {
    "calendar_kind": {"holiday": _l("Public holiday (day off)"), "workday": _l("Make-up working day")},
}


def register(app) -> None:
    labels.register(app, GROUPS)
