"""flask users …: what whoever runs the server uses before anyone can log in."""
from sqlalchemy import select

from fieldsvc.audit import AuditEntry
from fieldsvc.auth import services
from fieldsvc.auth.models import User


def _user(db, username):
    db.session.expire_all()
    return db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()


def test_users_create_with_password(app, db):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "Boss", "--name", "周主任", "--role", "director", "--password", "Valve2026ok",
        "--phone", "13900000000"])
    assert result.exit_code == 0, result.output
    assert "created boss (director)" in result.output
    user = _user(db, "boss")
    assert (user.name, user.role, user.phone, user.active) == ("周主任", "director", "13900000000", True)
    assert services.authenticate("boss", "Valve2026ok") == user
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "user.create")).scalar_one()
    assert entry.actor_id is None  # the system, not a user


def test_users_create_refuses_a_weak_password_and_a_taken_name(app, db, staff):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["users", "create", "newbie", "--name", "N", "--role", "repair_tech",
                               "--password", "short"])
    assert weak.exit_code != 0 and _user(db, "newbie") is None
    taken = runner.invoke(args=["users", "create", "director", "--name", "N", "--role", "director",
                                "--password", "Valve2026ok"])
    assert taken.exit_code != 0
    bad_role = runner.invoke(args=["users", "create", "newbie", "--name", "N", "--role", "king",
                                   "--password", "Valve2026ok"])
    assert bad_role.exit_code != 0 and _user(db, "newbie") is None


def test_users_set_role_rotates_the_session(app, db, staff, login):
    client = login("repair_tech")
    result = app.test_cli_runner().invoke(args=["users", "set-role", "repair_tech", "pipe_fitter"])
    assert result.exit_code == 0, result.output
    assert "repair_tech is now pipe_fitter" in result.output
    assert _user(db, "repair_tech").role == "pipe_fitter"
    assert client.get("/").status_code == 302


def test_users_set_role_unknown_user_or_role(app, db, staff):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "set-role", "ghost", "pipe_fitter"]).exit_code != 0
    assert runner.invoke(args=["users", "set-role", "repair_tech", "king"]).exit_code != 0
    assert _user(db, "repair_tech").role == "repair_tech"


def test_users_deactivate_and_activate(app, db, staff, client, api):
    api_client, headers = api("meter_reader")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "deactivate", "meter_reader"])
    assert result.exit_code == 0, result.output
    assert not _user(db, "meter_reader").active
    assert client.post("/login", data={"username": "meter_reader", "password": "fieldsvc-demo"}).status_code == 401
    assert api_client.get("/api/v1/me", headers=headers).status_code == 401
    assert runner.invoke(args=["users", "activate", "meter_reader"]).exit_code == 0
    assert _user(db, "meter_reader").active
    assert client.post("/login", data={"username": "meter_reader", "password": "fieldsvc-demo"}).status_code == 302


def test_users_list(app, db, staff):
    result = app.test_cli_runner().invoke(args=["users", "list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(staff)
    assert any(line.startswith("metering_tech3") and "active" in line for line in lines)


def test_prune_logins_drops_long_ended_and_ancient_logins_only(app, db, staff, login):
    from datetime import timedelta

    from fieldsvc.auth.models import LoginSession
    from fieldsvc.models import utcnow
    now, uid = utcnow(), staff["repair_tech"].id
    rows = {"ended_long_ago": LoginSession(key="a" * 32, user_id=uid, created_at=now - timedelta(days=90),
                                           ended_at=now - timedelta(days=60)),
            "ended_lately": LoginSession(key="b" * 32, user_id=uid, created_at=now - timedelta(days=9),
                                         ended_at=now - timedelta(days=2)),
            "open_recent": LoginSession(key="c" * 32, user_id=uid, created_at=now - timedelta(days=29)),
            # remember-me lasts 30 days: a login opened 32 days ago has no cookie left anywhere
            "older_than_any_cookie": LoginSession(key="d" * 32, user_id=uid, created_at=now - timedelta(days=32))}
    db.session.add_all(rows.values())
    db.session.commit()
    client = login("repair_tech")  # a live login survives
    result = app.test_cli_runner().invoke(args=["users", "prune-logins"])
    assert result.exit_code == 0 and "removed 2" in result.output, result.output
    db.session.expire_all()
    left = {row.key for row in db.session.query(LoginSession)}
    assert {"b" * 32, "c" * 32} <= left and not {"a" * 32, "d" * 32} & left
    assert len(left) == 3  # and the live login
    assert client.get("/").status_code == 200
