"""The installable app: web manifest, service worker (versioned by the static files), offline page."""
import hashlib
import json
from functools import cache
from pathlib import Path

from flask import Blueprint, current_app, render_template, request, session, url_for
from flask_babel import gettext as _

from fieldsvc.models import utcnow

bp = Blueprint("pwa", __name__)

SHELL_FILES = ("css/app.css", "icons/icon.svg", "icons/sprite.svg", "icons/icon-192.png")


@cache
def shell_files(static_folder: str) -> tuple[str, ...]:
    """What the phone keeps at install: the stylesheet, the icons and every script (about 50 KB), so a field
    form opened without signal has its helpers (signature pad, photo shrinking, reading checks) too."""
    scripts = sorted(p.relative_to(static_folder).as_posix() for p in (Path(static_folder) / "js").glob("*.js")
                     if p.name != "sw.js")
    return SHELL_FILES + tuple(scripts)


@cache
def static_version(static_folder: str) -> str:
    """A hash of every static file: a deploy that changes any of them renews the service worker's caches."""
    digest = hashlib.sha256()
    for path in sorted(Path(static_folder).rglob("*")):
        if path.is_file() and path.name != "sw.js":
            digest.update(path.relative_to(static_folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@bp.get("/sw.js")
def service_worker():
    source = (Path(current_app.static_folder) / "js" / "sw.js").read_text()
    shell = [url_for("static", filename=f) for f in shell_files(current_app.static_folder)] + [url_for("pwa.offline")]
    body = source.replace("__VERSION__", static_version(current_app.static_folder)).replace(
        "__SHELL__", json.dumps(shell))
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"  # the browser must see a new version at once
    response.headers["Service-Worker-Allowed"] = "/"
    response.add_etag()  # the update check on every page load then costs a 304, not the whole script
    return response.make_conditional(request)


@bp.get("/manifest.webmanifest")
def manifest():
    data = {
        "name": _("Gas Customer Service"),
        "short_name": _("Gas service"),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f3f5f8",
        "theme_color": "#0b5394",
        "icons": [
            {"src": url_for("static", filename="icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": url_for("static", filename="icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any maskable"},
            {"src": url_for("static", filename="icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return current_app.response_class(json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json")


@bp.app_context_processor
def _as_of():
    """`as_of()`: when the server rendered the page. The day's pages carry it (core/offline_as_of.html), so a
    copy kept on the phone says how old its data is."""
    return {"as_of": lambda: utcnow().isoformat(timespec="seconds")}


@bp.get("/offline")
def offline():
    return render_template("core/offline.html")


@bp.after_request
def _keep_the_session_cookie(response):
    """These are fetched by the browser and the service worker on their own, perhaps while the user logs in:
    they never send the session cookie back, or an answer landing after the login's would put the old
    (logged-out) session back. (Runs before the session is saved.)"""
    session.modified = False
    return response
