"""Staff use cases. Every function takes the acting user, checks permission, flushes, never commits."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, delete, func, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from fieldsvc import audit, clock
from fieldsvc.auth import rules
from fieldsvc.auth.models import ApiToken, LoginSession, Qualification, User
from fieldsvc.errors import Conflict, Duplicate, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, Role, require

# A real hash to compare against when the username is unknown, so timing does not reveal which usernames exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password")

PASSWORD_MESSAGES = {
    "too_short": lambda: _("At least %(n)d characters.", n=rules.MIN_PASSWORD_LENGTH),
    "letters_and_digits": lambda: _("Mix letters with digits or symbols."),
    "contains_username": lambda: _("Must not contain the username."),
    "blank": lambda: _("A password cannot be only spaces or invisible characters."),
    "invisible": lambda: _("Use only characters you can see: no tabs, special spaces or zero-width characters."),
    "edge_spaces": lambda: _("A password cannot start or end with a space."),
    "repetitive": lambda: _("Use at least %(n)d different characters.", n=rules.MIN_DISTINCT_CHARACTERS),
    "common": lambda: _("This password is one of the most common ones, which are tried first. Choose another."),
}


def _check_password(password: str, username: str) -> None:
    problems = rules.password_problems(password, username)
    if problems:
        raise Invalid({"password": [PASSWORD_MESSAGES[p]() for p in problems]})


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _new_session_token() -> str:
    return secrets.token_hex(16)


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, else None (one outcome for every kind of failure)."""
    user = db.session.execute(select(User).where(func.lower(User.username) == username.strip().lower())
                              ).scalar_one_or_none()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def load_session_user(user_id: str) -> User | None:
    """Flask-Login loader: '<id>:<session_token>[:<login key>]'. A rotated token ends every session of the user;
    an ended login (logout) ends that device's. One statement either way: this runs on every page."""
    uid, _sep, rest = user_id.partition(":")
    token, _sep, key = rest.partition(":")
    if not uid.isdigit():
        return None
    if key:
        row = db.session.execute(select(User, LoginSession.ended_at).join(
            LoginSession, and_(LoginSession.user_id == User.id, LoginSession.key == key)).where(User.id == int(uid))
        ).first()
        if row is None or row.ended_at is not None:
            return None
        user = row[0]
    else:  # a session from before logins were recorded: it ends with its cookie (or a token rotation)
        user = db.session.get(User, int(uid))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    user.login_key = key or None
    return user


def start_login(user: User) -> User:
    """Record a new login of this user on this device (before flask_login.login_user, which stores its key)."""
    user.login_key = secrets.token_hex(16)
    db.session.add(LoginSession(key=user.login_key, user_id=user.id))
    return user


def prune_logins(now, keep_ended_days: int = 30) -> int:
    """Housekeeping for the server's operator (cron, `flask users prune-logins`): drop logins ended more than
    `keep_ended_days` ago, and logins older than any cookie could be (remember-me: REMEMBER_DAYS, 30 by default)."""
    horizon = now - current_app.config["REMEMBER_COOKIE_DURATION"] - timedelta(days=1)
    result = db.session.execute(delete(LoginSession).where(or_(
        LoginSession.ended_at < now - timedelta(days=keep_ended_days), LoginSession.created_at < horizon)))
    return result.rowcount or 0


def end_login(user) -> None:
    """Logging out: this device's login ends on the server (its cookies, or copies of them, stop working)."""
    key = getattr(user, "login_key", None)
    if key:
        db.session.execute(update(LoginSession).where(LoginSession.key == key, LoginSession.ended_at.is_(None))
                           .values(ended_at=utcnow()))


def get_user(actor, user_id: int) -> User:
    require(actor, P.staff_view)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def list_users(actor, role: str | None = None, active_only: bool = False) -> list[User]:
    require(actor, P.staff_view)
    stmt = select(User).order_by(User.role, User.name)
    if role:
        stmt = stmt.where(User.role == role)
    if active_only:
        stmt = stmt.where(User.active.is_(True))
    return list(db.session.execute(stmt).scalars())


def _check_username_free(username: str) -> None:
    """A taken username is a Duplicate (409 on the API, a message at the field on the page). Two directors
    creating the same account at once both pass this; the unique index stops the second (IntegrityError →
    409 by the request's unit of work)."""
    if db.session.execute(select(User.id).where(func.lower(User.username) == username)).first():
        raise Duplicate("username", _("This username is taken."))


def create_user(actor, data: dict) -> User:
    """data: username, name, role, password, optional phone, district_id, locale."""
    if actor is not None:  # None: the CLI, run by whoever operates the server
        require(actor, P.staff_manage)
    username = data["username"].strip().lower()
    _check_username_free(username)
    Role(data["role"])
    _check_password(data["password"], username)
    user = User(username=username, name=data["name"], role=data["role"], phone=data.get("phone"),
                district_id=data.get("district_id"), locale=data.get("locale"),
                password_hash=_hash(data["password"]),
                session_token=_new_session_token(), active=True)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", "user", user.id, username=username, role=user.role)
    return user


def update_user(actor, user: User, data: dict) -> User:
    """Change name, phone, role, district, locale. A role change ends the user's sessions."""
    require(actor, P.staff_manage)
    from fieldsvc.staffing.services import check_profile
    check_profile(data)  # education level known, start of experience not in the future
    changes = {}
    for key in ("name", "phone", "role", "district_id", "locale", "education", "experience_since"):
        if key in data and getattr(user, key) != data[key]:
            changes[key] = [getattr(user, key), data[key]]
            setattr(user, key, data[key])
    if "role" in changes:
        if user.id == getattr(actor, "id", None):
            raise Invalid({"role": [_("You cannot change your own role.")]})
        user.session_token = _new_session_token()
    if changes:
        audit.record(actor, "user.update", "user", user.id, changes=changes)
    return user


def set_role(actor, user: User, role: str) -> User:
    Role(role)
    if actor is None:
        user.role = role
        user.session_token = _new_session_token()
        audit.record(None, "user.update", "user", user.id, changes={"role": role})
        return user
    return update_user(actor, user, {"role": role})


def set_active(actor, user: User, active: bool) -> User:
    """Deactivating keeps the record (orders and tests refer to it) and ends every session and token."""
    if actor is not None:
        require(actor, P.staff_manage)
        if user.id == actor.id and not active:
            raise Conflict(_("You cannot deactivate yourself."))
    user.active = active
    end_sessions(actor, user, _audit=False)
    audit.record(actor, "user.activate" if active else "user.deactivate", "user", user.id)
    return user


def end_sessions(actor, user: User, _audit: bool = True) -> None:
    """Cut off every browser session and API token of the user (a lost phone)."""
    if actor is not None:
        require(actor, P.staff_manage)
    user.session_token = _new_session_token()
    now = utcnow()
    for token in db.session.execute(select(ApiToken).where(ApiToken.user_id == user.id,
                                                           ApiToken.revoked_at.is_(None))).scalars():
        token.revoked_at = now
    if _audit:
        audit.record(actor, "user.end_sessions", "user", user.id)


def reset_password(actor, user: User, password: str) -> None:
    if actor is not None:
        require(actor, P.staff_manage)
    _check_password(password, user.username)
    user.password_hash = _hash(password)
    end_sessions(actor, user, _audit=False)
    audit.record(actor, "user.reset_password", "user", user.id)


def change_own_password(actor: User, current: str, new: str) -> None:
    if not check_password_hash(actor.password_hash, current):
        raise Invalid({"current_password": [_("The current password is wrong.")]})
    _check_password(new, actor.username)
    actor.password_hash = _hash(new)
    actor.session_token = _new_session_token()
    audit.record(actor, "user.change_password", "user", actor.id)


def set_locale(actor: User, locale: str | None) -> None:
    if locale not in (None, *current_app.config["LANGUAGES"]):
        raise Invalid({"locale": [_("Unknown language.")]})
    actor.locale = locale


def add_qualification(actor, user: User, data: dict) -> Qualification:
    require(actor, P.staff_manage)
    if data.get("issued_on") and data.get("expires_on") and data["expires_on"] < data["issued_on"]:
        raise Invalid({"expires_on": [_("The expiry date is before the issue date.")]})
    q = Qualification(user=user, **data)
    db.session.add(q)
    db.session.flush()
    audit.record(actor, "qualification.add", "user", user.id, kind=q.kind, number=q.number,
                 expires_on=q.expires_on)
    return q


def remove_qualification(actor, qualification_id: int) -> None:
    require(actor, P.staff_manage)
    q = db.session.get(Qualification, qualification_id)
    if q is None:
        raise NotFound()
    audit.record(actor, "qualification.remove", "user", q.user_id, kind=q.kind, number=q.number)
    db.session.delete(q)


def qualification_status(q: Qualification) -> rules.QualificationStatus:
    return rules.qualification_status(q.expires_on, clock.today(), current_app.config["QUALIFICATION_WARN_DAYS"])


def expiring_qualifications(actor, only_user: User | None = None) -> list[Qualification]:
    """Qualifications expired or expiring soon: everyone's for staff managers, else the actor's own."""
    warn_until = clock.today() + timedelta(days=current_app.config["QUALIFICATION_WARN_DAYS"])
    stmt = (select(Qualification).join(User).where(Qualification.expires_on <= warn_until, User.active.is_(True))
            .order_by(Qualification.expires_on))
    from fieldsvc.permissions import can
    if only_user is not None or not can(actor, P.staff_manage):
        stmt = stmt.where(Qualification.user_id == (only_user or actor).id)
    return list(db.session.execute(stmt).scalars())


def has_valid_licence(user: User, on=None) -> bool:
    """True when the user's role needs no licence, or they hold one valid on that business date."""
    kind = rules.LICENCE_FOR_ROLE.get(user.role)
    if kind is None:
        return True
    day = on or clock.today()
    return any(q.kind == kind and (q.expires_on is None or q.expires_on >= day) for q in user.qualifications)


# --- API tokens ---------------------------------------------------------------------------------

def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> tuple[str, ApiToken]:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(user_id=user.id, token_hash=_hash_token(token), created_at=now,
                   expires_at=now + timedelta(hours=current_app.config["API_TOKEN_HOURS"]))
    db.session.add(row)
    db.session.flush()
    audit.record(user, "token.issue", "user", user.id, token_id=row.id)
    return token, row


def user_for_token(token: str) -> User | None:
    row = db.session.execute(select(ApiToken).where(ApiToken.token_hash == _hash_token(token))).scalar_one_or_none()
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow() or not row.user.active:
        return None
    return row.user


def revoke_token(actor: User, token: str) -> None:
    row = db.session.execute(select(ApiToken).where(ApiToken.token_hash == _hash_token(token))).scalar_one_or_none()
    if row is not None and row.user_id == actor.id and row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(actor, "token.revoke", "user", actor.id, token_id=row.id)
