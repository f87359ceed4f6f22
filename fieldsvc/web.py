"""The edge kit pages share: where a page may send the browser next.

`safe_next` is the one check every `next` / `back` / Referer redirect goes through, so a link like
`/login?next=/%09/evil.example` can never send a logged-in user to another site: browsers drop tabs and
newlines from a Location and read `//host` or `/\\host` as another host, so anything but a plain local
path is refused and the caller falls back to its own default.
"""
import unicodedata
from urllib.parse import unquote, urlsplit

from flask import make_response, request

MAX_LENGTH = 2000
# Letters that show nothing although they are not "format" characters (Hangul fillers, Braille blank…).
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})


def invisible(ch: str) -> bool:
    """Control, format (zero-width, bidi), separator or blank-looking characters: nothing a person can see."""
    return ch.isspace() or unicodedata.category(ch) in _REFUSED_CATEGORIES or ch in _BLANK_LOOKING


def _decoded_forms(target: str) -> list[str]:
    """The value as given and as percent-decoded (repeatedly: %2509 → %09 → tab), until it stops changing."""
    forms = [target]
    for _ in range(4):
        decoded = unquote(forms[-1])
        if decoded == forms[-1]:
            break
        forms.append(decoded)
    return forms


def _local_path(form: str) -> bool:
    if not form.startswith("/") or form.startswith("//") or "\\" in form:
        return False
    if any(invisible(ch) for ch in form):
        return False
    parts = urlsplit(form)
    if parts.scheme or parts.netloc:
        return False
    # A path segment "." or ".." in front of "//" normalises to an authority on some clients; no page of
    # this app has an empty segment, so refuse "//" anywhere in the path.
    return "//" not in parts.path


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site ("/…"), else None (the caller uses its default).

    Refused: a scheme (`https:`, `javascript:`), an authority (`//host`, `///host`, `/\\host`), any
    backslash, any control, format or whitespace character (tab, newline, zero-width, bidi, no-break
    space…), in the value itself or in any percent-decoded form of it.
    """
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return None
    if all(_local_path(form) for form in _decoded_forms(target)):
        return target
    return None


def safe_referrer() -> str | None:
    """The Referer of this request as a local path (`/page?query`) when it is a page of this site, else None."""
    referrer = request.referrer
    if not referrer or len(referrer) > MAX_LENGTH:
        return None
    try:
        parts = urlsplit(referrer)
    except ValueError:  # e.g. an invalid IPv6 literal
        return None
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != request.host.lower():
        return None
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))


# --- the request's unit of work ----------------------------------------------------------------------
# Handlers never commit (indico's way): services flush, and the request commits once after the handler
# when it answered with success (< 400), or rolls back otherwise. A stale version or a unique key taken
# meanwhile, found at that commit, answers 409 like the same error raised in a handler.

def finish_unit_of_work(response):
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm.exc import StaleDataError

    from fieldsvc import errors
    from fieldsvc.extensions import db
    if response.status_code >= 400:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except StaleDataError as exc:  # the handlers answer (body, status) tuples: after_request needs a response
        return make_response(errors.handle_stale(exc))
    except IntegrityError as exc:
        return make_response(errors.handle_integrity(exc))
    return response


def init_app(app) -> None:
    """Registered before every domain: after_request functions run last-registered first, so the commit
    comes after the domains' own after_request steps (the offline replay records where a form went)."""
    app.after_request(finish_unit_of_work)


# --- forms --------------------------------------------------------------------------------------------

def flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested errors ({"points": {0: {"flow_m3h": [...]}}}) in the one shape pages use:
    dotted names ({"points.0.flow_m3h": [...]}), each with a list of messages."""
    if not isinstance(messages, dict):
        return {prefix.rstrip(".") or "_schema": [str(m) for m in (messages if isinstance(messages, list)
                                                                    else [messages])]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, item in enumerate(value):
                flat.update(flatten(item, f"{name}.{i}."))
        else:
            flat[name] = [str(m) for m in value] if isinstance(value, list | tuple) else [str(value)]
    return flat


def load_form(schema, data=None) -> dict:
    """Read a posted form (default: this request's) through the API's schema. Errors → `Invalid` in the
    one shape every page shows (`flatten`)."""
    from marshmallow import ValidationError

    from fieldsvc.errors import Invalid
    if data is None:
        data = request.form
    if hasattr(data, "to_dict"):
        data = data.to_dict()
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise Invalid(flatten(exc.messages)) from exc


def form_page(template: str, process, values=None, **ctx):
    """GET: the form with `values`. POST: process() → its response (the unit of work commits it); on
    Invalid: roll back at once (the page is drawn from what is stored), re-render with what was typed and
    the errors, 422."""
    from flask import render_template

    from fieldsvc.errors import Invalid
    from fieldsvc.extensions import db
    errors = {}
    if request.method == "POST":
        try:
            return process()
        except Invalid as exc:
            db.session.rollback()
            errors = exc.errors
    shown = request.form if request.method == "POST" else (values or {})
    return render_template(template, values=shown, errors=errors, **ctx), 422 if errors else 200


def act(process, success: str, back: str):
    """A one-button action (a move, close, done…): flash and go back; when refused, flash why (nothing kept)."""
    from flask import flash, redirect

    from fieldsvc.errors import Conflict, Invalid
    from fieldsvc.extensions import db
    try:
        process()
        flash(success, "success")
    except (Invalid, Conflict) as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(back)


def on_record(render, process, back: str):
    """A form posted on a record's page: on Invalid re-render that page with the typed values and the
    errors (422); a conflict (illegal move, stale page) is flashed on the fresh record."""
    from flask import flash, redirect

    from fieldsvc.errors import Conflict, Invalid
    from fieldsvc.extensions import db
    try:
        message = process()
        flash(message, "success")
        return redirect(back)
    except Invalid as exc:
        db.session.rollback()
        return render(values=request.form, errors=exc.errors, status=422)
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(back)
