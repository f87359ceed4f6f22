"""Batch sync: a phone back online sends its queued records in a few requests (POST /api/v1/sync).

Each item names a kind that a domain registered (its input schema and its create function) and
carries the client_id made on the phone. Items are applied one by one, each in its own savepoint and
through the same idempotency as a single create, so one bad item never takes the others with it and
a batch sent twice creates nothing the second time.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError
from sqlalchemy.exc import IntegrityError

from fieldsvc import idempotency
from fieldsvc.errors import Conflict, DomainError, Invalid
from fieldsvc.extensions import db
from fieldsvc.schemas import translate


@dataclass(frozen=True)
class Kind:
    schema: type[Schema]
    create: Callable  # (actor, data) -> record with .id
    idempotency_kind: str  # the kind name used by the single-record API, so both paths share keys


KINDS: dict[str, Kind] = {}


def register_kind(name: str, schema: type[Schema], create: Callable, idempotency_kind: str | None = None) -> None:
    KINDS[name] = Kind(schema, create, idempotency_kind or name)


def integrity_message() -> str:
    """The words fieldsvc.errors.handle_integrity answers a whole request with (one catalogue entry)."""
    return _("This conflicts with a record already stored (for example the same number twice). Reload and try again.")


def apply_item(actor, item: dict) -> dict:
    """One queued record → {"client_id", "status", "id"} or {"client_id", "status", "errors"|"error"}."""
    client_id = item.get("client_id")
    kind = KINDS.get(item.get("kind"))
    if kind is None:
        return {"client_id": client_id, "status": 422, "errors": {"kind": [_("Unknown kind of record.")]}}
    try:
        data = kind.schema().load({**(item.get("data") or {}), "client_id": client_id})
    except ValidationError as exc:
        return {"client_id": client_id, "status": 422, "errors": translate(exc.messages)}
    data.pop("client_id", None)
    savepoint = db.session.begin_nested()
    try:
        record_id, created = idempotency.create_once(actor, kind.idempotency_kind, client_id, data,
                                                     lambda: kind.create(actor, data))
        savepoint.commit()
    except Conflict as exc:
        # Before Invalid: a Duplicate (a unique key taken) is both, and is a conflict with what is stored
        # (409 {"error"}, as the single-record API answers), not a bad field the phone could correct.
        savepoint.rollback()
        return {"client_id": client_id, "status": 409, "error": exc.message}
    except IntegrityError:
        # A unique key taken by someone else between the service's check and this item's insert: this item
        # only is a conflict; the savepoint keeps the others (the whole request is not a 409).
        savepoint.rollback()
        return {"client_id": client_id, "status": 409, "error": integrity_message()}
    except Invalid as exc:
        savepoint.rollback()
        return {"client_id": client_id, "status": 422, "errors": exc.errors}
    except DomainError as exc:
        savepoint.rollback()
        return {"client_id": client_id, "status": exc.status, "error": exc.message}
    return {"client_id": client_id, "status": 201 if created else 200, "id": record_id}


def apply_batch(actor, items: list[dict]) -> list[dict]:
    """Apply every item; the caller commits once. Results are in the order of the items."""
    return [apply_item(actor, item) for item in items]
