"""Configuration: defaults here, overridden by environment variables and by the test config.

`DATABASE_URL` and `SECRET_KEY` are read as such; every other setting is read from
`FIELDSVC_<NAME>` (JSON values are parsed, so `FIELDSVC_SECURE_COOKIES=true` is a bool).
"""
import json
import os
import secrets
from datetime import timedelta
from pathlib import Path


class Defaults:
    TIMEZONE = "Asia/Shanghai"  # business dates and times are in this zone
    BABEL_DEFAULT_LOCALE = "zh_CN"
    LANGUAGES = ["zh_CN", "en"]
    SECURE_COOKIES = False  # set true behind HTTPS
    PROXIES = 0  # number of reverse proxies in front (nginx: 1) whose X-Forwarded-* headers are trusted
    SESSION_LIFETIME_HOURS = 12
    REMEMBER_DAYS = 30  # "stay logged in on this device": the remember-me cookie's lifetime
    API_TOKEN_HOURS = 12
    LOGIN_RATE_LIMIT = "10 per minute"  # login page and token API together: per address, account, both (SECURITY.md)
    RATELIMIT_STORAGE_URI = "memory://"  # one process only: production sets redis:// (docs/DEPLOY.md)
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True  # Redis down: each worker counts alone instead of every login failing
    SQLITE_BUSY_TIMEOUT_MS = 15000
    # PostgreSQL: a pooled connection idle this long (seconds) is checked before use (fieldsvc/db.py)
    DB_PING_IDLE_SECONDS = 10
    QUALIFICATION_WARN_DAYS = 60
    # The 24-hour repair (抢修) hotline printed on the customer's documents (hazard notice). Set it to the
    # company's own number (FIELDSVC_REPAIR_HOTLINE); 96777 is the number many city gas companies use.
    REPAIR_HOTLINE = "96777"
    IMPORT_BATCH_SIZE = 1000
    PAGE_SIZE = 50
    MAX_PAGE_SIZE = 200
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    UPLOAD_MAX_PIXELS = 24_000_000  # width × height read from the header; more is refused before decoding
    PASSWORD_HASH_METHOD = "scrypt"  # tests use a cheap pbkdf2 to stay fast
    # Static files: "no-cache" + ETag (a repeat costs a 304), never a long max-age: their URLs carry no
    # version and the service worker's install copies them from the HTTP cache. Repeat loads are served
    # from the service worker's cache anyway.
    SEND_FILE_MAX_AGE_DEFAULT = None
    # The dashboard's monthly trend keeps closed months' figures this long (seconds; 0: always live). docs/REPORTS.md
    REPORTS_TREND_CACHE_SECONDS = 3600
    # The home page's cards and figures are kept this long (seconds; 0: always live); any write drops them.
    # CACHE_URL redis://… shares them between workers (default: the rate limiter's Redis). fieldsvc/cache.py
    CACHE_SECONDS = 60
    CACHE_URL = None
    # The audit chain's HMAC key; None: derived from SECRET_KEY (never stored in the database). docs/SECURITY.md
    AUDIT_KEY = None
    # Where `flask audit checkpoint` appends the chain's head (JSON lines); None: instance/audit-checkpoints.jsonl
    AUDIT_CHECKPOINT_FILE = None


def _instance_secret(instance_path: Path) -> str:
    """A secret key generated once and kept in instance/, so sessions survive restarts."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _parse(value: str):
    try:
        return json.loads(value)
    except ValueError:
        return value


def load(app, overrides: dict | None = None) -> None:
    """Fill app.config: defaults, then the environment, then explicit overrides (tests)."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_object(Defaults)
    for key, value in os.environ.items():
        if key.startswith("FIELDSVC_"):
            app.config[key.removeprefix("FIELDSVC_")] = _parse(value)
    overrides = overrides or {}
    url = overrides.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL") \
        or f"sqlite:///{instance / 'fieldsvc.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_db_url(url)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _instance_secret(instance)
    app.config.update(overrides)
    _derive(app.config)


def normalise_db_url(url: str) -> str:
    """Plain postgres URLs go through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _derive(cfg) -> None:
    secure = bool(cfg["SECURE_COOKIES"])
    cfg.setdefault("BABEL_DEFAULT_TIMEZONE", cfg["TIMEZONE"])
    cfg["BABEL_DEFAULT_TIMEZONE"] = cfg["TIMEZONE"]
    cfg.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_DURATION=timedelta(days=cfg["REMEMBER_DAYS"]),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=cfg["SESSION_LIFETIME_HOURS"]),
        SQLALCHEMY_TRACK_MODIFICATIONS=False,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session: phones stay on a form for hours
        RATELIMIT_STORAGE_URI=cfg["RATELIMIT_STORAGE_URI"],
        API_TITLE="fieldsvc API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
    )
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        cfg["SQLALCHEMY_ENGINE_OPTIONS"].setdefault(
            "connect_args", {"timeout": cfg["SQLITE_BUSY_TIMEOUT_MS"] / 1000, "check_same_thread": False})
    else:
        cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})  # no pool_pre_ping: DB_PING_IDLE_SECONDS instead
