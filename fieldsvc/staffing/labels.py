"""Words for education levels and requirement gaps."""
from flask_babel import lazy_gettext as _l

from fieldsvc import labels

GROUPS = {
    "education": {
        "junior_high": _l("Junior high school"),
        "senior_high": _l("Senior high or technical school"),
        "college": _l("College (3-year)"),
        "bachelor": _l("Bachelor's degree"),
        "postgraduate": _l("Postgraduate"),
    },
    "requirement_gap": {
        "education_unknown": _l("Education not on file"),
        "education_below": _l("Education below the role's requirement"),
        "experience_unknown": _l("Start of experience not on file"),
        "experience_short": _l("Too few years of experience"),
        "certificate_missing": _l("Required certificate missing"),
        "certificate_expired": _l("Required certificate expired"),
    },
}


def register(app) -> None:
    labels.register(app, GROUPS)
