"""A short-lived cache for what many page views share and a write changes: the home page's cards.

Why: the director's home asks every domain for its figures (27 statements, p95 350 ms at city size on
PostgreSQL); the figures change only when someone writes, and a minute's age is fine on a home page.

Rules:
- An entry lives at most CACHE_SECONDS (env FIELDSVC_CACHE_SECONDS, default 60; 0 turns caching off).
- Any committed write drops every entry: a commit of a session that flushed ORM changes or executed
  INSERT/UPDATE/DELETE bumps a generation, and keys carry the generation (`after_commit` below).
- Where: CACHE_URL (env FIELDSVC_CACHE_URL) redis://… shares entries and the generation between workers
  and hosts; by default the rate limiter's Redis is used when it has one, else each process keeps its
  own entries in memory, and then a write in one worker reaches the others' entries only by expiry
  (≤ CACHE_SECONDS). Redis being down never fails a page: the value is computed as if not cached.
- Values must be plain (strings, numbers, lists, dicts): never ORM objects, which belong to one session.
"""
import json
import logging
import threading
import time

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_KEY = "fieldsvc_cache"


class MemoryStore:
    """Entries in this process only (one worker, tests, or no Redis configured)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, object]] = {}

    def get(self, key: str):
        hit = self._entries.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def put(self, key: str, value, seconds: int) -> None:
        with self._lock:
            if len(self._entries) > 10_000:  # bounded: old generations and expired keys go first
                self._entries.clear()
            self._entries[key] = (time.monotonic() + seconds, value)

    def generation(self) -> str:
        return ""  # a bump clears the entries instead

    def bump(self) -> None:
        with self._lock:
            self._entries.clear()


class RedisStore:
    """Entries and the write generation in Redis: every worker and host sees one write's bump."""

    def __init__(self, url: str, prefix: str = "fieldsvc:cache:"):
        import redis
        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._prefix = prefix

    def get(self, key: str):
        raw = self._redis.get(self._prefix + key)
        return None if raw is None else json.loads(raw)

    def put(self, key: str, value, seconds: int) -> None:
        self._redis.set(self._prefix + key, json.dumps(value), ex=seconds)

    def generation(self) -> str:
        return (self._redis.get(self._prefix + "generation") or b"0").decode()

    def bump(self) -> None:
        self._redis.incr(self._prefix + "generation")


def _store():
    return current_app.extensions[_KEY]


def cached(key: str, compute):
    """compute() once per CACHE_SECONDS and write; its value must be plain (JSON-able)."""
    seconds = int(current_app.config.get("CACHE_SECONDS", 0))
    if seconds <= 0:
        return compute()
    store = _store()
    try:
        full = f"{store.generation()}:{key}"
        value = store.get(full)
    except Exception:  # noqa: BLE001 - a cache that is down must not take the page with it
        log.warning("cache unreachable; computing %s", key, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            store.put(full, value, seconds)
        except Exception:  # noqa: BLE001
            log.warning("cache unreachable; not keeping %s", key, exc_info=True)
    return value


def invalidate() -> None:
    try:
        _store().bump()
    except Exception:  # noqa: BLE001 - entries then expire on their own
        log.warning("cache unreachable; entries expire by age", exc_info=True)


# --- what counts as a write ------------------------------------------------------------------------

@event.listens_for(Session, "after_flush")
def _flushed(session, flush_context):
    session.info["cache_wrote"] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state):
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["cache_wrote"] = True


@event.listens_for(Session, "after_commit")
def _committed(session):
    if session.info.pop("cache_wrote", False) and has_app_context() and _KEY in current_app.extensions:
        invalidate()



@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session, previous_transaction):
    if previous_transaction.parent is None:  # the whole transaction is gone, and what it wrote with it
        session.info.pop("cache_wrote", None)


def init_app(app) -> None:
    url = app.config.get("CACHE_URL") or ""
    limiter = app.config.get("RATELIMIT_STORAGE_URI") or ""
    if not url and limiter.startswith(("redis://", "rediss://")):
        url = limiter
    app.extensions[_KEY] = RedisStore(url) if url.startswith(("redis://", "rediss://")) else MemoryStore()
