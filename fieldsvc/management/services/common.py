"""Helpers shared by the management services: staff look-ups, paging, 'is that domain installed'."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldsvc import audit
from fieldsvc.auth.models import User
from fieldsvc.errors import Invalid, NotAllowed, NotAuthenticated
from fieldsvc.extensions import db
from fieldsvc.permissions import can


def installed(domain: str) -> bool:
    """Whether a domain package is part of this build (fieldsvc.DOMAINS)."""
    import fieldsvc
    return domain in fieldsvc.DOMAINS


def require_any(actor, *permissions) -> None:
    """Like permissions.require, for what more than one permission opens."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not any(can(actor, p) for p in permissions):
        raise NotAllowed()


def active_user(user_id, field: str, roles=None) -> User:
    """A member of staff picked in a form: must exist, be active and (if given) have one of the roles."""
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.active or (roles is not None and user.role not in roles):
        raise Invalid({field: [_("Choose an active staff member.")]})
    return user


def staff(roles=None) -> list[User]:
    stmt = select(User).where(User.active.is_(True))
    if roles is not None:
        stmt = stmt.where(User.role.in_(list(roles)))
    return list(db.session.execute(stmt.order_by(User.role, User.name)).scalars())


def paged(stmt, page: int, per_page: int, order_by) -> tuple[list, int]:
    total = db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(stmt.order_by(*order_by).limit(per_page).offset((page - 1) * per_page))
    return list(rows.unique().scalars()), total


def required(data: dict, *fields) -> None:
    """Invalid naming every listed field left empty."""
    missing = {f: [_("This field is required.")] for f in fields
               if data.get(f) is None or (isinstance(data.get(f), str) and not data[f].strip())}
    if missing:
        raise Invalid(missing)


def history(entity: str, entity_id: int, skip: tuple = (), last: int = 50) -> list[tuple]:
    """The record's audit entries, newest first, with the actor's name: [(entry, name), …]."""
    entries = [e for e in audit.history(entity, entity_id) if e.action not in skip][-last:]
    ids = {e.actor_id for e in entries if e.actor_id}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    return [(e, names.get(e.actor_id, "")) for e in reversed(entries)]
