from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from fieldsvc.auth import services as auth_services
from fieldsvc.core import services
from fieldsvc.permissions import ROLE_LABELS
from fieldsvc.web import safe_next

bp = Blueprint("core", __name__)


@bp.get("/")
@login_required
def home():
    summary = services.home_summary(current_user)
    return render_template(f"home/{current_user.role}.html", summary=summary,
                           role_label=ROLE_LABELS.get(current_user.role, current_user.role))


@bp.get("/healthz")
def healthz():
    ok = services.database_ok()
    return jsonify(status="ok" if ok else "error", db="ok" if ok else "unreachable"), 200 if ok else 503


@bp.post("/language")
def set_language():
    """Switch language; kept on the user when logged in, in the session before login."""
    locale = request.form.get("locale") or None
    if current_user.is_authenticated:
        auth_services.set_locale(current_user, locale)
    session["locale"] = locale
    return redirect(safe_next(request.form.get("next")) or url_for("core.home"))
