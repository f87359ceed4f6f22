"""Staff use cases: accounts, roles, sessions, passwords, qualifications, and who may do them."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from fieldsvc import clock
from fieldsvc.audit import AuditEntry
from fieldsvc.auth import services
from fieldsvc.auth.models import ApiToken, Qualification, User
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotAuthenticated, NotFound
from fieldsvc.permissions import Role

GOOD_PASSWORD = "Valve2026ok"
pytestmark = pytest.mark.usefixtures("en_request")


def _actions(db, entity_id=None) -> list[str]:
    stmt = select(AuditEntry.action).order_by(AuditEntry.id)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity == "user", AuditEntry.entity_id == entity_id)
    return list(db.session.execute(stmt).scalars())


def _new_user(director, **overrides) -> User:
    data = {"username": "zhao", "name": "赵六", "role": "repair_tech", "password": GOOD_PASSWORD}
    data.update(overrides)
    return services.create_user(director, data)


# --- creating accounts ----------------------------------------------------------------------------

def test_create_user_stores_a_hash_and_audits(staff, db):
    user = _new_user(staff["director"], username="  Zhao.Liu ", phone="13900001111")
    db.session.commit()
    assert user.username == "zhao.liu"
    assert user.password_hash != GOOD_PASSWORD and user.active and len(user.session_token) == 32
    assert services.authenticate("ZHAO.LIU", GOOD_PASSWORD) == user
    assert "user.create" in _actions(db, user.id)


@pytest.mark.parametrize(("password", "messages"), [
    ("short1", ["At least 10 characters."]),
    ("onlyletters", ["Mix letters with digits or symbols."]),
    ("9081726354", ["Mix letters with digits or symbols."]),
    ("zhao20261234", ["Must not contain the username."]),
    ("zhao1", ["At least 10 characters.", "Must not contain the username."]),
    # The outside probe's passwords (issue 23), each refused with a message that says why.
    (" " * 10, ["A password cannot be only spaces or invisible characters."]),
    ("." * 10, ["Mix letters with digits or symbols.", "Use at least 5 different characters."]),
    ("\u200b" * 10, ["A password cannot be only spaces or invisible characters."]),
    ("gas\u200b2026safe", ["Use only characters you can see: no tabs, special spaces or zero-width characters."]),
    ("password12", ["This password is one of the most common ones, which are tried first. Choose another."]),
])
def test_create_user_enforces_the_password_policy(staff, db, password, messages):
    with pytest.raises(Invalid) as exc:
        _new_user(staff["director"], password=password)
    assert exc.value.errors == {"password": messages}


@pytest.mark.parametrize("password", ["short1", "onlyletters", "1234567890", "repair_tech2026"])
def test_reset_password_enforces_the_policy(staff, db, password):
    before = staff["repair_tech"].password_hash
    with pytest.raises(Invalid) as exc:
        services.reset_password(staff["director"], staff["repair_tech"], password)
    assert list(exc.value.errors) == ["password"]
    assert staff["repair_tech"].password_hash == before


def test_username_taken_case_insensitively(staff, db):
    with pytest.raises(Invalid) as exc:
        _new_user(staff["director"], username="Repair_Tech")
    assert "username" in exc.value.errors


# --- who may ---------------------------------------------------------------------------------------

def _calls(staff):
    target = staff["repair_tech"]
    return {
        "create_user": lambda a: _new_user(a),
        "update_user": lambda a: services.update_user(a, target, {"name": "x"}),
        "set_role": lambda a: services.set_role(a, target, "pipe_fitter"),
        "set_active": lambda a: services.set_active(a, target, False),
        "end_sessions": lambda a: services.end_sessions(a, target),
        "reset_password": lambda a: services.reset_password(a, target, GOOD_PASSWORD),
        "add_qualification": lambda a: services.add_qualification(
            a, target, {"kind": "other", "number": "1", "issuer": "x"}),
    }


@pytest.mark.parametrize("call", ["create_user", "update_user", "set_role", "set_active", "end_sessions",
                                  "reset_password", "add_qualification"])
@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.director])
def test_only_the_director_manages_staff(staff, db, call, role):
    token_before = staff["repair_tech"].session_token
    with pytest.raises(NotAllowed):
        _calls(staff)[call](staff[role])
    assert staff["repair_tech"].session_token == token_before and staff["repair_tech"].active


def test_removing_a_qualification_needs_the_director(staff, db):
    q = staff["repair_tech"].qualifications[0]
    with pytest.raises(NotAllowed):
        services.remove_qualification(staff["station_chief"], q.id)
    with pytest.raises(NotFound):
        services.remove_qualification(staff["director"], 999_999)


def test_a_deactivated_director_may_do_nothing(staff, db):
    director = staff["director"]
    director.active = False  # Flask-Login: an inactive user is not authenticated
    with pytest.raises(NotAuthenticated):
        _new_user(director)


def test_anonymous_may_do_nothing(staff, db):
    from flask_login import AnonymousUserMixin
    with pytest.raises(NotAuthenticated):
        services.list_users(AnonymousUserMixin())


def test_every_role_may_list_staff(staff, db):
    for role in Role:
        assert len(services.list_users(staff[role.value])) == len(staff)
    repair = services.list_users(staff["meter_reader"], role="repair_tech")
    assert {u.username for u in repair} == {"repair_tech", "repair_tech2", "repair_tech3"}


# --- roles and sessions ----------------------------------------------------------------------------

def test_role_change_rotates_the_session_token_and_logs_the_old_session_out(staff, db, login):
    client = login("repair_tech")
    assert client.get("/").status_code == 200
    old_token = staff["repair_tech"].session_token
    services.update_user(staff["director"], staff["repair_tech"], {"role": "pipe_fitter"})
    db.session.commit()
    assert staff["repair_tech"].session_token != old_token
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.location
    assert login("repair_tech").get("/").status_code == 200  # a new login works, with the new role


def test_other_changes_keep_the_session(staff, db, login):
    client = login("repair_tech")
    old_token = staff["repair_tech"].session_token
    services.update_user(staff["director"], staff["repair_tech"], {"name": "王磊磊", "phone": None})
    db.session.commit()
    assert staff["repair_tech"].session_token == old_token
    assert client.get("/").status_code == 200
    assert _actions(db, staff["repair_tech"].id)[-1] == "user.update"


def test_unchanged_values_are_not_audited(staff, db):
    user = staff["repair_tech"]
    services.update_user(staff["director"], user, {"name": user.name, "role": user.role})
    assert "user.update" not in _actions(db, user.id)


def test_director_cannot_change_own_role(staff, db):
    with pytest.raises(Invalid) as exc:
        services.update_user(staff["director"], staff["director"], {"role": "repair_tech"})
    assert "role" in exc.value.errors


def test_deactivate_blocks_login_and_revokes_api_tokens(staff, db, login, api):
    browser = login("repair_tech")
    client, headers = api("repair_tech")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    services.set_active(staff["director"], staff["repair_tech"], False)
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert browser.get("/").status_code == 302
    assert client.post("/login", data={"username": "repair_tech", "password": "fieldsvc-demo"}).status_code == 401
    tokens = db.session.execute(select(ApiToken).where(ApiToken.user_id == staff["repair_tech"].id)).scalars()
    assert all(t.revoked_at is not None for t in tokens)
    assert "user.deactivate" in _actions(db, staff["repair_tech"].id)


def test_reactivated_user_can_log_in_again_but_old_tokens_stay_dead(staff, db, login, api):
    client, headers = api("repair_tech")
    services.set_active(staff["director"], staff["repair_tech"], False)
    services.set_active(staff["director"], staff["repair_tech"], True)
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert login("repair_tech").get("/").status_code == 200


def test_cannot_deactivate_yourself(staff, db):
    with pytest.raises(Conflict):
        services.set_active(staff["director"], staff["director"], False)
    assert staff["director"].active


def test_end_sessions_logs_a_logged_in_client_out(staff, db, login, api):
    browser = login("meter_reader")
    client, headers = api("meter_reader")
    assert browser.get("/").status_code == 200
    services.end_sessions(staff["director"], staff["meter_reader"])
    db.session.commit()
    response = browser.get("/")
    assert response.status_code == 302 and "/login" in response.location
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert staff["meter_reader"].active  # a lost phone is not a dismissal
    assert login("meter_reader").get("/").status_code == 200
    assert _actions(db, staff["meter_reader"].id)[-1] == "user.end_sessions"


def test_reset_password_replaces_the_password_and_ends_sessions(staff, db, login):
    browser = login("card_clerk")
    services.reset_password(staff["director"], staff["card_clerk"], GOOD_PASSWORD)
    db.session.commit()
    assert browser.get("/").status_code == 302
    assert services.authenticate("card_clerk", "fieldsvc-demo") is None
    assert services.authenticate("card_clerk", GOOD_PASSWORD) == staff["card_clerk"]
    assert _actions(db, staff["card_clerk"].id)[-1] == "user.reset_password"


def test_change_own_password(staff, db):
    user = staff["statistician"]
    with pytest.raises(Invalid) as exc:
        services.change_own_password(user, "wrong", GOOD_PASSWORD)
    assert list(exc.value.errors) == ["current_password"]
    with pytest.raises(Invalid) as exc:
        services.change_own_password(user, "fieldsvc-demo", "short")
    assert list(exc.value.errors) == ["password"]
    services.change_own_password(user, "fieldsvc-demo", GOOD_PASSWORD)
    assert services.authenticate("statistician", GOOD_PASSWORD) == user


# --- qualifications --------------------------------------------------------------------------------

def _qualify(user, kind="metrology_licence", expires_on=None, issued_on=None) -> Qualification:
    q = Qualification(kind=kind, number=f"N{len(user.qualifications)}", issuer="市场监督管理局",
                      issued_on=issued_on, expires_on=expires_on)
    user.qualifications.append(q)
    return q


@pytest.mark.parametrize(("days_left", "status"), [
    (None, "valid"), (-30, "expired"), (-1, "expired"), (0, "expiring"), (1, "expiring"),
    (60, "expiring"), (61, "valid"), (900, "valid"),
])
def test_qualification_status_uses_business_today_and_the_configured_window(staff, db, days_left, status):
    expires = None if days_left is None else clock.today() + timedelta(days=days_left)
    assert services.qualification_status(_qualify(staff["metering_tech"], expires_on=expires)) == status


def test_qualification_window_follows_config(app, staff, db, monkeypatch):
    monkeypatch.setitem(app.config, "QUALIFICATION_WARN_DAYS", 10)
    q = _qualify(staff["metering_tech"], expires_on=clock.today() + timedelta(days=11))
    assert services.qualification_status(q) == "valid"
    q.expires_on = clock.today() + timedelta(days=10)
    assert services.qualification_status(q) == "expiring"


@pytest.mark.parametrize(("role", "quals", "valid"), [
    ("repair_tech", [], True),                                     # no licence needed
    ("metering_tech", [], False),
    ("metering_head", [], False),
    ("metering_tech", [("metrology_licence", 0)], True),           # its last valid day
    ("metering_tech", [("metrology_licence", -1)], False),         # expired yesterday
    ("metering_tech", [("metrology_licence", None)], True),        # no expiry date
    ("metering_tech", [("service_cert_1", 400)], False),           # the wrong kind
    ("metering_tech", [("metrology_licence", -10), ("metrology_licence", 300)], True),  # renewed
    ("metering_head", [("metrology_licence", 5)], True),
])
def test_has_valid_licence(staff, db, role, quals, valid):
    user = staff[role]
    user.qualifications.clear()
    for kind, days in quals:
        _qualify(user, kind, None if days is None else clock.today() + timedelta(days=days))
    assert services.has_valid_licence(user) is valid


def test_has_valid_licence_on_a_given_day(staff, db):
    user = staff["metering_tech"]
    user.qualifications.clear()
    expires = clock.today() + timedelta(days=10)
    _qualify(user, expires_on=expires)
    assert services.has_valid_licence(user, on=expires)
    assert not services.has_valid_licence(user, on=expires + timedelta(days=1))


def test_add_and_remove_qualification_are_audited(staff, db):
    user = staff["pipe_fitter"]
    q = services.add_qualification(staff["director"], user, {
        "kind": "driving_licence", "number": "D-1", "issuer": "车管所",
        "issued_on": clock.today() - timedelta(days=10), "expires_on": clock.today() + timedelta(days=3000)})
    db.session.commit()
    assert q in user.qualifications
    services.remove_qualification(staff["director"], q.id)
    db.session.commit()
    assert db.session.get(Qualification, q.id) is None
    assert _actions(db, user.id)[-2:] == ["qualification.add", "qualification.remove"]


def test_qualification_cannot_expire_before_it_was_issued(staff, db):
    with pytest.raises(Invalid) as exc:
        services.add_qualification(staff["director"], staff["pipe_fitter"], {
            "kind": "other", "number": "1", "issuer": "x",
            "issued_on": clock.today(), "expires_on": clock.today() - timedelta(days=1)})
    assert list(exc.value.errors) == ["expires_on"]


def test_expiring_qualifications_for_director_and_for_oneself(staff, db):
    for user in staff.values():
        user.qualifications.clear()
    soon = clock.today() + timedelta(days=5)
    _qualify(staff["metering_tech"], expires_on=soon)
    _qualify(staff["metering_tech2"], expires_on=clock.today() - timedelta(days=1))
    _qualify(staff["metering_tech3"], expires_on=clock.today() + timedelta(days=200))
    _qualify(staff["repair_tech"], kind="service_cert_1", expires_on=soon)
    staff["repair_tech"].active = False  # the inactive are not warned about
    db.session.commit()
    director_sees = {q.user.username for q in services.expiring_qualifications(staff["director"])}
    assert director_sees == {"metering_tech", "metering_tech2"}
    own = services.expiring_qualifications(staff["metering_tech"])
    assert [q.user.username for q in own] == ["metering_tech"]
    assert services.expiring_qualifications(staff["metering_tech3"]) == []


def _cookie(client, name):
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def test_logout_ends_that_login_on_the_server_even_for_a_copied_cookie(app, staff, db, login):
    """A signed session cookie alone would stay valid until it expires: the login record makes logout final."""
    from fieldsvc.auth.models import LoginSession
    phone, office = login("repair_tech"), login("repair_tech")
    copied = _cookie(phone, "session")
    assert db.session.query(LoginSession).filter_by(user_id=staff["repair_tech"].id).count() == 2
    phone.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.location
    assert office.get("/").status_code == 200  # the user's other device stays logged in
    ended = db.session.query(LoginSession).filter(LoginSession.ended_at.is_not(None)).count()
    assert ended == 1


def test_a_copied_remember_me_cookie_stops_working_after_logout(app, staff, db):
    client = app.test_client()
    client.post("/login", data={"username": "repair_tech", "password": "fieldsvc-demo", "remember": "1"})
    remember = _cookie(client, "remember_token")
    assert remember
    fresh = app.test_client()  # a new browser: only the remember-me cookie
    fresh.set_cookie("remember_token", remember)
    assert fresh.get("/").status_code == 200
    client.post("/logout")
    copy = app.test_client()
    copy.set_cookie("remember_token", remember)
    response = copy.get("/")
    assert response.status_code == 302 and "/login" in response.location


def test_password_change_keeps_this_login(staff, db, login):
    client = login("repair_tech")
    response = client.post("/me/password", data={"current_password": "fieldsvc-demo",
                                                 "new_password": "Another-pass-2026", "confirm_password":
                                                 "Another-pass-2026"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
