"""Append-only, hash-chained audit trail of every state change.

Each entry's hash covers its own fields and the previous entry's hash, so an entry changed or removed
directly in the database breaks the chain (`flask audit verify` finds it). Writers serialise on the
chain head: SQLite already serialises writers (BEGIN IMMEDIATE); PostgreSQL takes an advisory lock.
"""
import hashlib
import json
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, select, text
from sqlalchemy.orm import Mapped, mapped_column

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, UTCDateTime, utcnow

GENESIS = "0" * 64
_PG_LOCK_KEY = 727_100_001


class AuditEntry(IdMixin, db.Model):
    __tablename__ = "audit_entries"

    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    __table_args__ = (db.Index("ix_audit_entity", "entity", "entity_id"),)


def _digest(prev_hash: str, at: datetime, actor_id, action, entity, entity_id, data) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), actor_id, action, entity, entity_id, data],
        sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def record(actor, action: str, entity: str, entity_id: int | None = None, **data) -> AuditEntry:
    """Append an entry for a state change made by `actor` (None for the system). Flushes, never commits."""
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    prev = session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
    at = utcnow()
    actor_id = getattr(actor, "id", None)
    clean = json.loads(json.dumps(data, default=str))
    entry = AuditEntry(at=at, actor_id=actor_id, action=action, entity=entity, entity_id=entity_id,
                       data=clean, prev_hash=prev or GENESIS)
    entry.hash = _digest(entry.prev_hash, at, actor_id, action, entity, entity_id, clean)
    session.add(entry)
    session.flush()
    return entry


def verify() -> list[str]:
    """Walk the chain; return a description of every break (empty list: intact)."""
    problems = []
    prev = GENESIS
    for e in db.session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars():
        if e.prev_hash != prev:
            problems.append(f"entry {e.id}: previous hash does not match entry before it (removed or reordered)")
        expected = _digest(e.prev_hash, e.at, e.actor_id, e.action, e.entity, e.entity_id, e.data)
        if expected != e.hash:
            problems.append(f"entry {e.id}: contents changed after it was written")
        prev = e.hash
    return problems


def export_jsonl(out) -> int:
    """Every entry as one JSON line (oldest first), hashes included, so the chain can be verified elsewhere."""
    count = 0
    for e in db.session.execute(select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=1000)).scalars():
        out.write(json.dumps({"id": e.id, "at": e.at.isoformat(timespec="microseconds"), "actor_id": e.actor_id,
                              "action": e.action, "entity": e.entity, "entity_id": e.entity_id, "data": e.data,
                              "prev_hash": e.prev_hash, "hash": e.hash}, ensure_ascii=False) + "\n")
        count += 1
    return count


def history(entity: str, entity_id: int) -> list[AuditEntry]:
    stmt = (select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id))
    return list(db.session.execute(stmt).scalars())
