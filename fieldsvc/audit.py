"""Append-only audit trail of every state change: a keyed hash chain, anchored outside the database.

Each entry's hash is an HMAC-SHA256, under a key that is not in the database (AUDIT_KEY, or one derived
from SECRET_KEY), of its own fields and the previous entry's hash. Someone who can write to the database
but does not hold the key can neither change an entry nor recompute the hashes after it. Cutting entries
off the end leaves a shorter chain that is still whole, so `flask audit checkpoint` (cron) appends the
chain's head to a file outside the database (and to syslog), and `flask audit verify` checks the chain
against the latest checkpoint. Writers serialise on the chain head: SQLite already serialises writers
(BEGIN IMMEDIATE); PostgreSQL takes an advisory lock. docs/SECURITY.md
"""
import hashlib
import hmac
import json
import os
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import JSON, ForeignKey, Integer, String, func, select, text
from sqlalchemy.orm import Mapped, mapped_column

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, UTCDateTime, utcnow
from fieldsvc.security import derive_key, derived_key

GENESIS = "0" * 64
KEY_LABEL = "fieldsvc audit chain v1"
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


class ChainBroken(Exception):
    """The chain does not verify: `problems` says where."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# --- keys and hashes ------------------------------------------------------------------------------

def key_from_setting(value: str | None) -> bytes:
    """The chain key for an AUDIT_KEY value; none set: derived from SECRET_KEY with a fixed label."""
    return value.encode() if value else derived_key(KEY_LABEL)


def key_from_secret_key(secret_key: str) -> bytes:
    """The chain key an app with this SECRET_KEY and no AUDIT_KEY uses (to re-sign after changing SECRET_KEY)."""
    return derive_key(secret_key, KEY_LABEL)


def chain_key() -> bytes:
    return key_from_setting(current_app.config.get("AUDIT_KEY"))


def key_id(key: bytes) -> str:
    """A short fingerprint naming a key in checkpoints without revealing it."""
    return hmac.new(key, b"key id", hashlib.sha256).hexdigest()[:12]


def _payload(prev_hash: str, at: datetime, actor_id, action, entity, entity_id, data) -> bytes:
    return json.dumps([prev_hash, at.isoformat(timespec="microseconds"), actor_id, action, entity, entity_id, data],
                      sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":")).encode()


def _digest(key: bytes, prev_hash: str, *fields) -> str:
    return hmac.new(key, _payload(prev_hash, *fields), hashlib.sha256).hexdigest()


def _legacy_digest(prev_hash: str, *fields) -> str:
    """The unkeyed hash entries had before the chain was keyed (anyone could recompute it)."""
    return hashlib.sha256(_payload(prev_hash, *fields)).hexdigest()


def _fields(e: AuditEntry) -> tuple:
    return e.at, e.actor_id, e.action, e.entity, e.entity_id, e.data


def _lock_chain(session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})


# --- writing --------------------------------------------------------------------------------------

def record(actor, action: str, entity: str, entity_id: int | None = None, **data) -> AuditEntry:
    """Append an entry for a state change made by `actor` (None for the system). Flushes, never commits."""
    session = db.session
    _lock_chain(session)
    prev = session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
    at = utcnow()
    actor_id = getattr(actor, "id", None)
    clean = json.loads(json.dumps(data, default=str))
    entry = AuditEntry(at=at, actor_id=actor_id, action=action, entity=entity, entity_id=entity_id,
                       data=clean, prev_hash=prev or GENESIS)
    entry.hash = _digest(chain_key(), entry.prev_hash, at, actor_id, action, entity, entity_id, clean)
    session.add(entry)
    session.flush()
    return entry


def _entries(after_id: int | None = None):
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    if after_id is not None:
        stmt = stmt.where(AuditEntry.id > after_id)
    return db.session.execute(stmt.execution_options(yield_per=1000)).scalars()


# --- verifying ------------------------------------------------------------------------------------

def verify_chain(after_id: int | None = None, prev: str = GENESIS) -> list[str]:
    """Walk the chain under the current key; return a description of every break (empty list: intact).
    `after_id`, `prev`: only the entries after that one, whose hash is `prev` (the part since a checkpoint)."""
    key, problems, legacy = chain_key(), [], []
    for e in _entries(after_id):
        if e.prev_hash != prev:
            problems.append(f"entry {e.id}: previous hash does not match entry before it (removed or reordered)")
        if not hmac.compare_digest(_digest(key, e.prev_hash, *_fields(e)), e.hash):
            if hmac.compare_digest(_legacy_digest(e.prev_hash, *_fields(e)), e.hash):
                legacy.append(e.id)
            else:
                problems.append(f"entry {e.id}: contents changed after it was written")
        prev = e.hash
    if legacy:
        problems.append(f"{len(legacy)} entries (ids {legacy[0]}–{legacy[-1]}) carry an unkeyed hash: either written "
                        "before the chain was keyed (run `flask audit rekey` once after upgrading) or rewritten by "
                        "someone without the key")
    return problems


def verify() -> list[str]:
    """The chain, then the chain against the latest checkpoint (when there is one): every problem found."""
    return verify_chain() + check_checkpoint()[0]


def head() -> dict:
    """The chain's head: how many entries, the last one's id and its hash."""
    count, last_id = db.session.execute(select(func.count(AuditEntry.id), func.max(AuditEntry.id))).one()
    last = db.session.get(AuditEntry, last_id) if last_id is not None else None
    return {"count": count, "last_id": last_id, "head": last.hash if last else GENESIS}


# --- checkpoints ----------------------------------------------------------------------------------

def checkpoint_path() -> Path:
    configured = current_app.config.get("AUDIT_CHECKPOINT_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / "audit-checkpoints.jsonl"


def _signature(key: bytes, point: dict) -> str:
    body = {k: v for k, v in point.items() if k != "sig"}
    return hmac.new(key, json.dumps(body, sort_keys=True, separators=(",", ":")).encode(), hashlib.sha256).hexdigest()


def checkpoint(note: str | None = None, force: bool = False, to_syslog: bool = False, rekeyed: bool = False) -> dict:
    """Append the head to the checkpoint file (and syslog), signed under the chain key. Refuses (ChainBroken)
    when the chain or the previous checkpoint does not verify, so a broken chain is never anchored as good,
    unless `force` (after a restore from backup, say, which really does lose the entries since the backup).
    Only the entries since the previous checkpoint are walked (cron runs this often; `verify` walks them all)."""
    problems, previous = check_checkpoint()
    if previous is None or previous["last_id"] is None:
        problems += verify_chain()
    elif not problems:
        problems += verify_chain(previous["last_id"], previous["head"])
    if problems and not force:
        raise ChainBroken(problems)
    key = chain_key()
    point = {"at": utcnow().isoformat(timespec="seconds"), **head(), "key_id": key_id(key)}
    if note:
        point["note"] = note
    if rekeyed:
        point["rekey"] = True  # the chain was re-signed: the lines before this one no longer apply
    point["sig"] = _signature(key, point)
    line = json.dumps(point, sort_keys=True, ensure_ascii=False)
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as out:  # append only: earlier lines are never rewritten
        out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())
    if to_syslog:
        import syslog
        syslog.openlog("fieldsvc-audit", 0, syslog.LOG_AUTHPRIV)
        syslog.syslog(syslog.LOG_NOTICE, "checkpoint " + line)
    return point


def read_checkpoints() -> tuple[list[dict], list[str]]:
    """The file's checkpoints that are signed under the current key, oldest first, and a problem for each line
    that is not (edited, forged, or written under another key). A checkpoint written by `rekey` starts over:
    the lines before it belong to the chain as it was before re-signing."""
    path = checkpoint_path()
    if not path.exists():
        return [], []
    key = chain_key()
    good, problems = [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            point = json.loads(line)
            fields_ok = isinstance(point, dict) and isinstance(point.get("count"), int) \
                and isinstance(point.get("sig"), str)
        except ValueError:
            fields_ok = False
        if not fields_ok:
            problems.append(f"checkpoint line {n}: not a checkpoint")
        elif point.get("key_id") != key_id(key):
            problems.append(f"checkpoint line {n}: written under another audit key")
        elif not hmac.compare_digest(_signature(key, point), point["sig"]):
            problems.append(f"checkpoint line {n}: signature does not match (edited or forged)")
        elif point.get("rekey") is True:
            good, problems = [point], []
        else:
            good.append(point)
    return good, problems


def check_checkpoint() -> tuple[list[str], dict | None]:
    """Compare the database with the latest good checkpoint: (problems, that checkpoint or None)."""
    points, problems = read_checkpoints()
    if not points:
        return problems, None
    point = points[-1]
    last_id, at = point["last_id"], point["at"]
    if last_id is None:
        return problems, point
    entry = db.session.get(AuditEntry, last_id)
    kept = db.session.execute(select(func.count(AuditEntry.id)).where(AuditEntry.id <= last_id)).scalar_one()
    if entry is None:
        problems.append(f"truncated: entry {last_id}, the last one at the checkpoint of {at}, is missing "
                        f"({point['count']} entries then, {kept} of them left)")
    elif not hmac.compare_digest(entry.hash, point["head"]):
        problems.append(f"entry {last_id} differs from the checkpoint of {at} (rewritten)")
    if entry is not None and kept != point["count"]:
        problems.append(f"entries removed: the checkpoint of {at} counted {point['count']} up to entry {last_id}, "
                        f"{kept} are left")
    return problems, point


# --- re-signing -----------------------------------------------------------------------------------

def rekey(old_key: bytes | None = None) -> int:
    """Re-sign the whole chain under the current key, once: after upgrading from the unkeyed chain, or after
    changing the key (`old_key`: the previous one). Every entry must verify first, under the unkeyed hash
    (only before any keyed entry), the old key, or the current key, in that order; else ChainBroken and
    nothing changes. Records `audit.rekey`. Flushes, never commits; write a checkpoint after committing."""
    session = db.session
    _lock_chain(session)
    key = chain_key()
    schemes = [("unkeyed", lambda e: _legacy_digest(e.prev_hash, *_fields(e)))]
    if old_key:
        schemes.append(("old key", lambda e: _digest(old_key, e.prev_hash, *_fields(e))))
    schemes.append(("current key", lambda e: _digest(key, e.prev_hash, *_fields(e))))
    entries, problems, stage, prev = list(_entries()), [], 0, GENESIS
    for e in entries:
        if e.prev_hash != prev:
            problems.append(f"entry {e.id}: previous hash does not match entry before it (removed or reordered)")
        matched = next((i for i, (_n, digest) in enumerate(schemes) if hmac.compare_digest(digest(e), e.hash)), None)
        if matched is None:
            problems.append(f"entry {e.id}: contents changed after it was written")
        elif matched < stage:
            problems.append(f"entry {e.id}: {schemes[matched][0]} hash after entries under the "
                            f"{schemes[stage][0]} (rewritten)")
        else:
            stage = matched
        prev = e.hash
    if problems:
        raise ChainBroken(problems)
    prev = GENESIS
    for n, e in enumerate(entries, start=1):
        e.prev_hash = prev
        e.hash = prev = _digest(key, prev, *_fields(e))
        if n % 1000 == 0:
            session.flush()
    session.flush()
    record(None, "audit.rekey", "audit", None, entries=len(entries), key_id=key_id(key))
    return len(entries)


def export_jsonl(out) -> int:
    """Every entry as one JSON line (oldest first), hashes included, so the chain can be verified elsewhere."""
    count = 0
    for e in _entries():
        out.write(json.dumps({"id": e.id, "at": e.at.isoformat(timespec="microseconds"), "actor_id": e.actor_id,
                              "action": e.action, "entity": e.entity, "entity_id": e.entity_id, "data": e.data,
                              "prev_hash": e.prev_hash, "hash": e.hash}, ensure_ascii=False) + "\n")
        count += 1
    return count


def history(entity: str, entity_id: int) -> list[AuditEntry]:
    stmt = (select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id))
    return list(db.session.execute(stmt).scalars())
