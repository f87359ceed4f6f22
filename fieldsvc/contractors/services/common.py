"""Helpers shared by the contractor services: paging, required fields, the audit trail with names."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldsvc import audit
from fieldsvc.auth.models import User
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db


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


def active_user(user_id, field: str) -> User:
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.active:
        raise Invalid({field: [_("Choose an active staff member.")]})
    return user


def history(entity: str, entity_id: int, last: int = 50) -> list[tuple]:
    """The record's audit entries, newest first, with the actor's name: [(entry, name), …]."""
    entries = list(audit.history(entity, entity_id))[-last:]
    ids = {e.actor_id for e in entries if e.actor_id}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    return [(e, names.get(e.actor_id, "")) for e in reversed(entries)]
