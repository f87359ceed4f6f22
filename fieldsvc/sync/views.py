"""The outbox page and the fresh CSRF token the phone needs before it replays a stored form."""
from flask import Blueprint, jsonify, render_template
from flask_login import login_required
from flask_wtf.csrf import generate_csrf

bp = Blueprint("sync", __name__)


@bp.get("/outbox")
@login_required
def outbox():
    """What is waiting on this phone: the list itself lives in the browser (IndexedDB)."""
    return render_template("sync/outbox.html")


@bp.get("/sync/csrf")
@login_required
def csrf_token():
    """A CSRF token for this session, fetched right before a replay (a stored form's token may be stale)."""
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response
