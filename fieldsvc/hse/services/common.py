"""Helpers shared by the HSE services: factor errors in the user's language, staff look-ups, paging."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldsvc.auth.models import User
from fieldsvc.errors import Invalid, NotAllowed, NotAuthenticated
from fieldsvc.extensions import db
from fieldsvc.hse import rules
from fieldsvc.hse.labels import ROLE_UNIT
from fieldsvc.permissions import can


def factor_invalid(exc: rules.FactorError, field: str | None = None) -> Invalid:
    """The one message for a value outside its scale, naming the field and the allowed values."""
    allowed = ", ".join(rules.fmt(v) for v in exc.allowed)
    return Invalid({field or exc.field: [_("Must be one of: %(values)s.", values=allowed)]})


def require_any(actor, *permissions) -> None:
    """Like permissions.require, for actions more than one permission opens."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not any(can(actor, p) for p in permissions):
        raise NotAllowed()


def active_user(user_id, field: str) -> User:
    """A staff member picked in a form (owner, attendee): must exist and be active."""
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.active:
        raise Invalid({field: [_("Choose an active staff member.")]})
    return user


def staff_choices() -> list[User]:
    return list(db.session.execute(select(User).where(User.active.is_(True)).order_by(User.role, User.name))
                .scalars())


def default_unit(actor) -> str:
    return ROLE_UNIT.get(getattr(actor, "role", None), "office")


def paged(stmt, page: int, per_page: int, order_by) -> tuple[list, int]:
    total = db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(stmt.order_by(*order_by).limit(per_page).offset((page - 1) * per_page))
    return list(rows.unique().scalars()), total
