"""The installable app: web manifest, service worker (versioned by the static files), offline page."""
import hashlib
import json
from functools import cache
from pathlib import Path

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import gettext as _

bp = Blueprint("pwa", __name__)

SHELL_FILES = ("css/app.css", "js/app.js", "js/outbox-db.js", "js/outbox-page.js", "icons/icon.svg",
               "icons/sprite.svg", "icons/icon-192.png")


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
    shell = [url_for("static", filename=f) for f in SHELL_FILES] + [url_for("pwa.offline")]
    body = source.replace("__VERSION__", static_version(current_app.static_folder)).replace(
        "__SHELL__", json.dumps(shell))
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"  # the browser must see a new version at once
    response.headers["Service-Worker-Allowed"] = "/"
    return response


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


@bp.get("/offline")
def offline():
    return render_template("core/offline.html")
