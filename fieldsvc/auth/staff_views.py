"""The director's staff pages: everyone by role, a new account, and one person's page
(details, qualifications, password, sessions, deactivation). The services check permissions again."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from fieldsvc.auth import rules, schemas, services
from fieldsvc.customers.services import list_districts
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.labels import options as label_options
from fieldsvc.permissions import ROLE_LABELS, P, Role, permission_required
from fieldsvc.staffing import services as staffing
from fieldsvc.web import load_form

bp = Blueprint("staff", __name__, url_prefix="/staff")

EDIT_FIELDS = ("name", "phone", "role", "district_id", "locale", "education", "experience_since")
STATUS_RANK = {rules.QualificationStatus.expiring: 1, rules.QualificationStatus.expired: 2}
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}  # each language in its own words


def _check_district(data: dict) -> None:
    """A district id from the form must exist (a stale or forged id would otherwise break the FK)."""
    district_id = data.get("district_id")
    if district_id is not None and district_id not in {d.id for d in list_districts()}:
        raise Invalid({"district_id": [_("Unknown district.")]})


def _is_self(user) -> bool:
    return user.id == current_user.id


def _keep_this_device(user) -> None:
    """Acting on your own account rotates your session token: log this browser back in."""
    if _is_self(user):
        login_user(user)


def _form_options() -> dict:
    return {
        "role_options": [(r.value, str(ROLE_LABELS[r])) for r in Role],
        "district_options": [(d.id, d.name) for d in list_districts()],
        "education_options": label_options("education"),
        "locale_options": [("", _("Follow the browser"))]
        + [(code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]],
    }


# --- the list ---------------------------------------------------------------------------------------

def _qualification_alerts() -> dict[int, rules.QualificationStatus]:
    """user id → the worst status among their expired or soon-expiring qualifications."""
    worst: dict[int, rules.QualificationStatus] = {}
    for q in services.expiring_qualifications(current_user):
        status = services.qualification_status(q)
        if STATUS_RANK.get(status, 0) > STATUS_RANK.get(worst.get(q.user_id), 0):
            worst[q.user_id] = status
    return worst


@bp.get("/")
@permission_required(P.staff_manage)
def index():
    role = request.args.get("role") or None
    if role not in {r.value for r in Role}:
        role = None
    by_role: dict[str, list] = {}
    for user in services.list_users(current_user, role):
        by_role.setdefault(user.role, []).append(user)
    # Charter order (director first); within a role the active people first.
    groups = [(r, sorted(by_role[r.value], key=lambda u: (not u.active, u.name)))
              for r in Role if r.value in by_role]
    gap_counts = {s.user.id: len(s.gaps) for s in staffing.shortfalls(current_user)}  # role requirements
    return render_template("staff/index.html", groups=groups, role=role, alerts=_qualification_alerts(),
                           gap_counts=gap_counts,
                           total=sum(len(users) for _r, users in groups), **_form_options())


# --- a new account ---------------------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@permission_required(P.staff_manage)
def new():
    errors = {}
    if request.method == "POST":
        try:
            data = load_form(schemas.StaffIn())
            _check_district(data)
            user = services.create_user(current_user, data)
            flash(_("Account %(username)s created. Give %(name)s the initial password in person.",
                    username=user.username, name=user.name), "success")
            return redirect(url_for("staff.show", user_id=user.id))
        except Invalid as exc:
            db.session.rollback()
            errors = exc.errors
    # The password is deliberately not echoed back into the page.
    values = {k: v for k, v in request.form.items() if k != "password"} if request.method == "POST" \
        else {"role": request.args.get("role", "")}
    return render_template("staff/new.html", values=values, errors=errors,
                           **_form_options()), 422 if errors else 200


# --- one person ------------------------------------------------------------------------------------

def _render_show(user, status: int = 200, **forms):
    """The person's page; `forms` carries the typed values and errors of the form that failed."""
    licence_kind = rules.LICENCE_FOR_ROLE.get(user.role)
    context = {
        "user": user,
        "is_self": _is_self(user),
        "qualifications": [(q, services.qualification_status(q)) for q in user.qualifications],
        "licence_kind": licence_kind,
        "licence_ok": services.has_valid_licence(user),
        "requirement": staffing.requirement(user.role),
        "gaps": [(g, staffing.describe(g)) for g in staffing.gaps_of(current_user, user)],
        "edit_values": forms.get("edit_values") or {k: getattr(user, k) for k in EDIT_FIELDS},
        "edit_errors": forms.get("edit_errors", {}),
        "qual_values": forms.get("qual_values", {}),
        "qual_errors": forms.get("qual_errors", {}),
        "reset_errors": forms.get("reset_errors", {}),
        **_form_options(),
    }
    return render_template("staff/show.html", **context), status


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@permission_required(P.staff_manage)
def show(user_id):
    """GET: the person's page. POST: save the details form (name, phone, role, district, language)."""
    user = services.get_user(current_user, user_id)
    if request.method == "GET":
        return _render_show(user)
    try:
        loaded = load_form(schemas.StaffEdit())
        # A field left empty clears the value (BaseSchema drops empty strings, so fill them in as None).
        data = {k: loaded.get(k) for k in EDIT_FIELDS}
        _check_district(data)
        role_changed = data["role"] != user.role
        services.update_user(current_user, user, data)
    except Invalid as exc:
        db.session.rollback()
        return _render_show(user, 422, edit_values=request.form, edit_errors=exc.errors)
    if role_changed:
        flash(_("Changes saved. The new role applies from their next login; they have been logged out."),
              "success")
    else:
        flash(_("Changes saved."), "success")
    return redirect(url_for("staff.show", user_id=user.id))


@bp.post("/<int:user_id>/active")
@permission_required(P.staff_manage)
def set_active(user_id):
    user = services.get_user(current_user, user_id)
    active = request.form.get("active") == "1"
    try:
        services.set_active(current_user, user, active)
    except Conflict as exc:
        db.session.rollback()  # refused, and the redirect below would otherwise commit
        flash(exc.message, "error")
        return redirect(url_for("staff.show", user_id=user.id))
    if active:
        flash(_("%(name)s can log in again.", name=user.name), "success")
    else:
        flash(_("%(name)s is deactivated: logged out everywhere and can no longer log in. "
                "Their records stay.", name=user.name), "success")
    return redirect(url_for("staff.show", user_id=user.id))


@bp.post("/<int:user_id>/password")
@permission_required(P.staff_manage)
def reset_password(user_id):
    user = services.get_user(current_user, user_id)
    try:
        data = load_form(schemas.PasswordReset())
        services.reset_password(current_user, user, data["password"])
    except Invalid as exc:
        db.session.rollback()
        return _render_show(user, 422, reset_errors=exc.errors)
    _keep_this_device(user)
    flash(_("Password reset. %(name)s has been logged out everywhere; give them the new password in person.",
            name=user.name), "success")
    return redirect(url_for("staff.show", user_id=user.id))


@bp.post("/<int:user_id>/sessions/end")
@permission_required(P.staff_manage)
def end_sessions(user_id):
    user = services.get_user(current_user, user_id)
    services.end_sessions(current_user, user)
    _keep_this_device(user)
    flash(_("%(name)s has been logged out on every device, and their API tokens no longer work.",
            name=user.name), "success")
    return redirect(url_for("staff.show", user_id=user.id))


@bp.post("/<int:user_id>/qualifications")
@permission_required(P.staff_manage)
def add_qualification(user_id):
    user = services.get_user(current_user, user_id)
    try:
        services.add_qualification(current_user, user, load_form(schemas.QualificationIn()))
    except Invalid as exc:
        db.session.rollback()
        return _render_show(user, 422, qual_values=request.form, qual_errors=exc.errors)
    flash(_("Qualification recorded."), "success")
    return redirect(url_for("staff.show", user_id=user.id, _anchor="qualifications"))


@bp.post("/<int:user_id>/qualifications/<int:qualification_id>/remove")
@permission_required(P.staff_manage)
def remove_qualification(user_id, qualification_id):
    user = services.get_user(current_user, user_id)
    if qualification_id not in {q.id for q in user.qualifications}:
        raise NotFound()
    services.remove_qualification(current_user, qualification_id)
    flash(_("Qualification removed."), "success")
    return redirect(url_for("staff.show", user_id=user.id, _anchor="qualifications"))
