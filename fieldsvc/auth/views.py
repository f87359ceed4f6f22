"""Login, logout and the user's own page (language, password, qualifications)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from fieldsvc.auth import services, throttle
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.web import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    username = request.form.get("username", "")
    if request.method == "POST":
        throttle.check_attempt(username)  # shared with the API's token door
        user = services.authenticate(username, request.form.get("password", ""))
        if user is not None:
            login_user(services.start_login(user), remember=bool(request.form.get("remember")))
            return redirect(safe_next(request.args.get("next")) or url_for("core.home"))
        flash(_("Wrong username or password."), "error")
    return render_template("auth/login.html", username=username), 200 if request.method == "GET" else 401


@bp.post("/logout")
def logout():
    services.end_login(current_user)
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/me")
@login_required
def profile():
    return render_template("auth/profile.html", errors={}, qualification_status=services.qualification_status)


@bp.post("/me/password")
@login_required
def change_password():
    form = request.form
    try:
        if form.get("new_password") != form.get("confirm_password"):
            raise Invalid({"confirm_password": [_("The two new passwords differ.")]})
        services.change_own_password(current_user, form.get("current_password", ""), form.get("new_password", ""))
    except Invalid as exc:
        db.session.rollback()  # the page is drawn again from the stored account
        # The service names the policy errors "password"; on this form that field is new_password.
        errors = dict(exc.errors)
        if "password" in errors:
            errors.setdefault("new_password", []).extend(errors.pop("password"))
        return render_template("auth/profile.html", errors=errors,
                               qualification_status=services.qualification_status), 422
    login_user(current_user._get_current_object())  # the session token rotated: keep this device in
    flash(_("Your password has been changed. Other devices have been logged out."), "success")
    return redirect(url_for("auth.profile"))
