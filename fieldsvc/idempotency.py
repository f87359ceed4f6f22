"""Idempotent creates by client_id (API.md): a repeat returns the first record, different content → 409.

The key row is inserted in the same transaction as the record, and `client_id` is unique, so two
concurrent repeats cannot both create: the loser's flush fails and it is answered from the winner.
"""
import hashlib
import json
import uuid

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from fieldsvc.errors import Conflict
from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin


class IdempotencyKey(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "idempotency_keys"

    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int] = mapped_column(Integer)
    payload_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


def fingerprint(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def find(kind: str, client_id, payload: dict):
    """The id of the record first created with this client_id, or None. Different content → Conflict."""
    if client_id is None:
        return None
    key = db.session.query(IdempotencyKey).filter_by(client_id=str(client_id)).one_or_none()
    if key is None:
        return None
    if key.kind != kind or key.payload_hash != fingerprint(payload):
        raise Conflict(_("This client_id was already used for different content."))
    return key.object_id


def create_once(actor, kind: str, client_id, payload: dict, create):
    """Run `create()` unless this client_id was seen. Returns (record_id, created: bool)."""
    existing = find(kind, client_id, payload)
    if existing is not None:
        return existing, False
    if client_id is None:
        return create().id, True
    nested = db.session.begin_nested()
    try:
        obj = create()
        db.session.add(IdempotencyKey(client_id=str(uuid.UUID(str(client_id))), kind=kind, object_id=obj.id,
                                      payload_hash=fingerprint(payload), user_id=getattr(actor, "id", None)))
        db.session.flush()
        nested.commit()
    except IntegrityError:
        nested.rollback()
        existing = find(kind, client_id, payload)
        if existing is None:
            raise
        return existing, False
    return obj.id, True


def respond_created(kind: str, data: dict, create, get):
    """An API create handler's answer: 201 with the new record, or 200 with the first one on a repeated
    client_id. `create(data)` makes the record for the current user; `get(actor, id)` reads it back. The
    record and its key are committed together by the request's unit of work (fieldsvc.web)."""
    from flask_login import current_user
    client_id = data.pop("client_id", None)
    record_id, created = create_once(current_user, kind, client_id, data, lambda: create(data))
    return get(current_user, record_id), 201 if created else 200
