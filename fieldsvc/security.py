"""Who is calling: session login (pages and same-origin API), bearer tokens (API), and response headers."""
from flask import g, request
from flask_babel import lazy_gettext as _l

from fieldsvc.errors import NotAuthenticated
from fieldsvc.extensions import login_manager

# A strict policy: no inline script anywhere, every asset served by the app itself.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


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
