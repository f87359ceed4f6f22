"""Words shown for code values (GLOSSARY.md), in the user's language. Templates: {{ value|label('gas') }}."""
from flask_babel import lazy_gettext as _l

from fieldsvc import i18n, registry

LABELS = {
    "category": {"residential": _l("Residential"), "commercial": _l("Commercial"),
                 "industrial": _l("Industrial")},
    "gas": {"NG": _l("Natural gas"), "LPG": _l("LPG"), "MG": _l("Manufactured gas")},
    "meter_kind": {"diaphragm": _l("Diaphragm meter"), "ic_card": _l("IC-card meter"),
                   "smart": _l("Smart meter")},
    "meter_location": {"indoor": _l("Indoor meter"), "outdoor": _l("Outdoor meter")},
    "meter_status": {"in_stock": _l("In stock"), "installed": _l("Installed"), "removed": _l("Removed"),
                     "scrapped": _l("Scrapped")},
    "customer_status": {"active": _l("Active"), "suspended": _l("Supply suspended"), "closed": _l("Closed")},
    "supply": {"on": _l("Gas on"), "shut_off": _l("Gas shut off")},
    "supply_reason": {"arrears": _l("arrears"), "safety": _l("safety hazard"), "emergency": _l("emergency"),
                      "request": _l("customer's request")},
    "appliance_kind": {"stove": _l("Stove"), "water_heater": _l("Water heater"),
                       "wall_boiler": _l("Wall boiler"), "other": _l("Other appliance")},
    "flue_type": {"none": _l("No flue"), "natural": _l("Natural draught"), "forced": _l("Forced draught"),
                  "balanced": _l("Balanced flue")},
    "qualification": {"service_cert_1": _l("Service certificate level 1"),
                      "service_cert_2": _l("Service certificate level 2"),
                      "service_cert_3": _l("Service certificate level 3"),
                      "metrology_licence": _l("Metrology licence"),
                      "internal_auditor": _l("Internal auditor"),
                      "driving_licence": _l("Driving licence"), "other": _l("Other qualification")},
    "qualification_status": {"valid": _l("Valid"), "expiring": _l("Expiring soon"), "expired": _l("Expired")},
}


def register(app, groups: dict) -> None:
    """Domains add their own groups ({"group": {"code": _l("Word")}}) from their labels module."""
    registry.of(app).labels.update(groups)


def _groups() -> dict:
    """The app's words (the foundation's and every domain's); outside an app, the foundation's."""
    reg = registry.of()
    return reg.labels if reg is not None else LABELS


def label(value, group: str) -> str:
    if value is None:
        return ""
    word = _groups().get(group, {}).get(str(value))
    return str(value) if word is None else i18n.word(word)


def options(group: str) -> list[tuple[str, str]]:
    """(value, label) pairs for a <select>."""
    return [(k, str(v)) for k, v in _groups()[group].items()]


def init_app(app) -> None:
    from fieldsvc import clock
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["zip_self"] = lambda values: [(v, v) for v in values]
    app.jinja_env.filters["qualification_kind"] = lambda v: label(v, "qualification")
    app.jinja_env.globals.update(label_options=options, today=clock.today)
