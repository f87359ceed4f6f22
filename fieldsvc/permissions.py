"""Roles, named permissions and the role → permission grants. Deny by default.

Services call `require(actor, P.X)`; views may add `@permission_required(P.X)` so a page is refused
before any work, and the menu uses `can()` so nobody is shown what they may not open.
"""
from enum import StrEnum
from functools import wraps

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from fieldsvc.errors import NotAllowed, NotAuthenticated


class Role(StrEnum):
    director = "director"
    safety_officer = "safety_officer"
    station_chief = "station_chief"
    repair_tech = "repair_tech"
    pipe_fitter = "pipe_fitter"
    meter_reader = "meter_reader"
    card_clerk = "card_clerk"
    statistician = "statistician"
    metering_head = "metering_head"
    metering_tech = "metering_tech"


ROLE_LABELS = {
    Role.director: _l("Director"),
    Role.safety_officer: _l("Safety Officer"),
    Role.station_chief: _l("Station Chief"),
    Role.repair_tech: _l("Indoor Repair Technician"),
    Role.pipe_fitter: _l("Pipe Fitter"),
    Role.meter_reader: _l("Meter Reader"),
    Role.card_clerk: _l("IC-Card Sales Clerk"),
    Role.statistician: _l("Statistics Clerk"),
    Role.metering_head: _l("Metering Office Head"),
    Role.metering_tech: _l("Metering Technician"),
}

FIELD_ROLES = (Role.repair_tech, Role.pipe_fitter, Role.meter_reader, Role.metering_tech)


class P(StrEnum):
    """Named permissions. A new capability gets a new name here and an explicit line in WHO_MAY."""

    # foundation
    staff_view = "staff.view"          # list staff (e.g. to pick an assignee or a checker)
    staff_manage = "staff.manage"      # create, edit, deactivate, reset passwords, qualifications
    customers_view = "customers.view"
    customers_edit = "customers.edit"  # create and change customers and appliances
    customers_import = "customers.import"
    meters_edit = "meters.edit"        # register meters, install and remove them
    audit_view = "audit.view"
    # dispatch (work orders)
    # readings (routes, readings, bills, arrears)
    # inspections (household safety, hazards, pressure)
    # metering (bench tests, documents, equipment)
    # hse (registers, training, nonconformities)


ALL_ROLES = frozenset(Role)
FIELD = frozenset(FIELD_ROLES)
METERING = frozenset({Role.metering_head, Role.metering_tech})

# Who may do what, one line per permission: read it as the charter (RULES.md §1).
WHO_MAY: dict[P, frozenset[Role]] = {
    # foundation
    P.staff_view: ALL_ROLES,
    P.staff_manage: frozenset({Role.director}),
    P.customers_view: ALL_ROLES,
    P.customers_edit: frozenset({Role.director, Role.station_chief, Role.card_clerk}),
    P.customers_import: frozenset({Role.director, Role.station_chief}),
    P.meters_edit: frozenset({Role.director, Role.station_chief, Role.card_clerk}) | METERING,
    P.audit_view: frozenset({Role.director}),
    # dispatch
    # readings
    # inspections
    # metering
    # hse
}

GRANTS: dict[Role, frozenset[P]] = {
    role: frozenset(p for p, roles in WHO_MAY.items() if role in roles) for role in Role
}


def can(actor, permission: P) -> bool:
    """True when the actor is an active, logged-in user whose role grants the permission."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    try:
        role = Role(actor.role)
    except ValueError:
        return False
    return role in WHO_MAY.get(permission, frozenset())


def require(actor, permission: P) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not can(actor, permission):
        raise NotAllowed()


def permission_required(permission: P):
    """View decorator: login required, then the permission; otherwise 401/redirect or 403."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            require(current_user, permission)
            return view(*args, **kwargs)
        return wrapped
    return decorator
