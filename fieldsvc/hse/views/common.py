"""What the HSE pages share besides fieldsvc.web's form helpers: paging and the staff pickers."""
from flask import request

from fieldsvc.hse.services.common import staff_choices
from fieldsvc.permissions import ROLE_LABELS

PER_PAGE = 30


def page_arg() -> int:
    return max(request.args.get("page", 1, type=int), 1)


def staff_options() -> list[tuple[str, str]]:
    """(id, "name · role") of active staff, for owner and attendee pickers."""
    return [(str(u.id), f"{u.name} · {ROLE_LABELS.get(u.role, u.role)}") for u in staff_choices()]
