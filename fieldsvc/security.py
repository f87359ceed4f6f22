"""Who is calling: session login (pages and same-origin API), bearer tokens (API), response headers, and the
keys the app derives from its configuration to sign what it hands out (audit chain, QR links)."""
import hashlib
import hmac

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l

from fieldsvc.errors import NotAuthenticated
from fieldsvc.extensions import login_manager

# A strict policy: no inline script anywhere, every asset served by the app itself.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


def derive_key(secret: str, label: str) -> bytes:
    """A key for one purpose: HMAC-SHA256(secret, label). A leak of one derived key reveals neither the
    secret nor the keys derived for other purposes."""
    return hmac.new(secret.encode(), label.encode(), hashlib.sha256).digest()


def derived_key(label: str) -> bytes:
    """derive_key(SECRET_KEY, label): it lives only in memory, never in the database."""
    return derive_key(current_app.config["SECRET_KEY"], label)


def sign(label: str, value: str, length: int = 16) -> str:
    """A short signature of `value` for one purpose (e.g. the `s=` of a printed QR link): hex, `length` chars."""
    return hmac.new(derived_key(label), value.encode(), hashlib.sha256).hexdigest()[:length]


def signature_ok(label: str, value: str, signature, length: int = 16) -> bool:
    """True when `signature` is sign(label, value); constant-time, and False for anything not a string."""
    if not isinstance(signature, str) or len(signature) != length:
        return False
    return hmac.compare_digest(sign(label, value, length), signature.lower())


def _load_user(user_id: str):
    from fieldsvc.auth.services import load_session_user
    return load_session_user(user_id)


def _load_from_request(req):
    """Bearer tokens count only on the API; pages need the session cookie."""
    header = req.headers.get("Authorization", "")
    if not req.path.startswith("/api/") or not header.startswith("Bearer "):
        return None
    from fieldsvc.auth.services import user_for_token
    user = user_for_token(header.removeprefix("Bearer ").strip())
    if user is not None:
        g.auth_via_token = True
    return user


def _unauthorized():
    raise NotAuthenticated()


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.path.startswith("/api/") or request.endpoint not in (None, "static"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app) -> None:
    # "basic": a changed IP or user agent marks the session non-fresh but keeps the user logged in,
    # so a phone moving between mobile networks and Wi-Fi is not thrown out mid-job.
    login_manager.session_protection = "basic"
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in.")
    login_manager.user_loader(_load_user)
    login_manager.request_loader(_load_from_request)
    login_manager.unauthorized_handler(_unauthorized)
    app.after_request(_headers)
