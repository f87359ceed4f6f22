"""What the HSE pages share besides fieldsvc.web's form helpers: paging and the staff pickers."""
from flask import request

from fieldsvc.hse.services.common import staff_choices
from fieldsvc.permissions import ROLE_LABELS, P

PER_PAGE = 30


def page_arg() -> int:
    return max(request.args.get("page", 1, type=int), 1)


def staff_options() -> list[tuple[str, str]]:
    """(id, "name · role") of active staff, for owner and attendee pickers."""
    return [(str(u.id), f"{u.name} · {ROLE_LABELS.get(u.role, u.role)}") for u in staff_choices()]


def any_of(*permissions):
    """Like permissions.permission_required for pages more than one permission opens (the safety office,
    or a unit head for their own unit: the service then scopes the record, hse/services/units.py)."""
    from functools import wraps

    from flask_login import current_user

    from fieldsvc.hse.services.common import require_any

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            require_any(current_user._get_current_object(), *permissions)
            return view(*args, **kwargs)
        wrapped.required_permission = tuple(permissions)  # read by the access-matrix test
        return wrapped
    return decorator


HSE_WRITE = (P.hse_manage, P.hse_unit)


def _register_unit_helpers():
    from flask_login import current_user

    from fieldsvc.customers.models import District
    from fieldsvc.errors import DomainError
    from fieldsvc.extensions import db
    from fieldsvc.hse.services import units
    from fieldsvc.hse.views import bp
    from fieldsvc.labels import label

    def may_train(session) -> bool:
        try:
            units.training_scope(current_user, session)
        except DomainError:
            return False
        return True

    def unit_text(record) -> str:
        """"Service station · <district>" for a station's line; the department's word otherwise."""
        if not record.unit:
            return ""
        district = db.session.get(District, record.district_id) if getattr(record, "district_id", None) else None
        return " · ".join(x for x in (str(label(record.unit, "hse_unit")), district.name if district else "") if x)

    @bp.context_processor
    def _unit_helpers():
        return {"hse_may_write": lambda record: units.may_write(current_user, record),
                "hse_may_train": may_train, "hse_unit_text": unit_text}


_register_unit_helpers()
