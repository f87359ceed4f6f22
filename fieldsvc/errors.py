"""Domain errors, and the handlers that turn them (and HTTP errors) into HTML pages or API JSON.

Services raise these; views may catch Invalid to re-render a form with the typed data kept.
JSON shape per API.md: {"error": "..."} or, for 422, {"errors": {"field": ["message", ...]}}.
"""
from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    status = 400

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default_message())
        self.message = message or self.default_message()

    def default_message(self) -> str:
        return _("The request could not be processed.")


class NotAuthenticated(DomainError):
    status = 401

    def default_message(self):
        return _("Please log in.")


class NotAllowed(DomainError):
    status = 403

    def default_message(self):
        return _("You are not allowed to do this.")


class NotFound(DomainError):
    status = 404

    def default_message(self):
        return _("Not found.")


class Conflict(DomainError):
    status = 409

    def default_message(self):
        return _("This record was changed by someone else. Reload and try again.")


class Invalid(DomainError):
    """Validation failed: `errors` maps field names to lists of messages (in the user's language)."""

    status = 422

    def __init__(self, errors: dict[str, list[str]] | str, field: str = "_schema"):
        if isinstance(errors, str):
            errors = {field: [errors]}
        self.errors = _string_keys(errors)
        super().__init__("; ".join(_flatten(self.errors)))


class Duplicate(Invalid, Conflict):
    """A unique key already in use (a customer's account number, a meter's or an equipment's serial number).

    409 `{"error": ...}` on the API, so a client retrying a create can tell "already exists" from "bad field";
    a page catches it as Invalid and shows the message at the field, with what was typed kept."""

    status = 409

    def __init__(self, field: str, message: str):
        super().__init__({field: [message]})


def _string_keys(errors):
    """marshmallow keys a list's errors by position (ints); JSON and templates want strings."""
    if isinstance(errors, dict):
        return {str(k): _string_keys(v) for k, v in errors.items()}
    return errors


def _flatten(errors) -> list[str]:
    if isinstance(errors, dict):
        return [m for v in errors.values() for m in _flatten(v)]
    if isinstance(errors, list | tuple):
        return [m for v in errors for m in _flatten(v)]
    return [str(errors)]


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _json(status: int, message: str, errors: dict | None = None):
    body = {"errors": errors} if errors is not None else {"error": message}
    return jsonify(body), status


def handle_domain_error(exc: DomainError):
    if wants_json():
        return _json(exc.status, exc.message, getattr(exc, "errors", None) if exc.status == 422 else None)
    if isinstance(exc, NotAuthenticated):
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None))
    return render_template("errors/error.html", status=exc.status, message=exc.message,
                           errors=getattr(exc, "errors", None)), exc.status


def handle_http_error(exc: HTTPException):
    if isinstance(exc, CSRFError):
        message = _("Your form expired. It has been kept: please submit it again.")
        if not wants_json():
            flash(message, "error")
            from fieldsvc.web import safe_referrer  # back to the form, never to another site
            return redirect(safe_referrer() or url_for("core.home"))
        return _json(400, message)
    status = exc.code or 500
    messages = {
        400: _("The request is malformed."),
        401: _("Please log in."),
        403: _("You are not allowed to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Please wait a minute and try again."),
    }
    message = messages.get(status, exc.description or exc.name)
    if wants_json():
        errors = _webargs_errors(exc) if status == 422 else None
        return _json(status, message, errors)
    return render_template("errors/error.html", status=status, message=message, errors=None), status


def _webargs_errors(exc: HTTPException) -> dict:
    """Flatten webargs' {"json": {...}, "query": {...}} into API.md's {"field": [...]}."""
    messages = (getattr(exc, "data", None) or {}).get("messages", {})
    flat: dict = {}
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            flat.update(location_errors)
        else:
            flat.setdefault("_schema", []).extend(location_errors)
    return flat or {"_schema": [exc.description or "invalid"]}


def handle_out_of_range(exc: Exception):
    """A number too large for its column reached the database: the input's fault, not ours."""
    from fieldsvc.extensions import db
    db.session.rollback()
    return handle_domain_error(Invalid(_("A number is out of range.")))


def stale_message() -> str:
    return _("Someone else changed this record — reload and try again.")


def _back() -> str:
    """Where a page goes after a stale write: the page the form was on (same site, path only), else this
    URL when it can be shown again (GET), else home."""
    from fieldsvc.web import safe_referrer  # the one local-redirect check (issue 23, item 1)
    local = safe_referrer()
    if local:
        return local
    if request.method == "GET":
        return request.full_path.rstrip("?")
    return url_for("core.home")


def handle_stale(exc: Exception):
    """A version-checked row changed between our read and our write (StaleDataError at flush): nothing of
    this request is kept (rolled back) and the other person's change stands. API: 409 {"error"}; a page goes
    back to where the form was, with the message; the offline outbox (it asks for JSON) keeps its form."""
    from fieldsvc.extensions import db
    db.session.rollback()
    if wants_json():
        return _json(409, stale_message())
    flash(stale_message(), "error")
    return redirect(_back())


def handle_integrity(exc: IntegrityError):
    """A unique key taken between our check and our insert (two clerks at once), or another row's constraint:
    a conflict with what is stored, never a 500."""
    from flask import current_app

    from fieldsvc.extensions import db
    db.session.rollback()
    current_app.logger.warning("integrity error answered 409: %s", exc.orig)
    return handle_domain_error(Conflict(_("This conflicts with a record already stored (for example the same "
                                          "number twice). Reload and try again.")))


def handle_unexpected(exc: Exception):
    from flask import current_app
    current_app.logger.exception("unhandled error", exc_info=exc)
    message = _("Something went wrong on our side. Nothing was saved; please try again.")
    if wants_json():
        return _json(500, message)
    return render_template("errors/error.html", status=500, message=message, errors=None), 500


def register(app) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OverflowError, handle_out_of_range)
    app.register_error_handler(DataError, handle_out_of_range)
    app.register_error_handler(StaleDataError, handle_stale)
    app.register_error_handler(IntegrityError, handle_integrity)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
