"""API tokens (issue, expiry, revocation) and the staff list of the API."""
from datetime import timedelta

from sqlalchemy import select

from fieldsvc.auth import services
from fieldsvc.auth.models import ApiToken
from fieldsvc.models import utcnow


def _row(db, headers) -> ApiToken:
    token = headers["Authorization"].removeprefix("Bearer ")
    return db.session.execute(select(ApiToken).where(ApiToken.token_hash == services._hash_token(token))
                              ).scalar_one()


def test_token_issue_and_me(staff, db, api):
    client, headers = api("repair_tech")
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    assert {k: response.json[k] for k in ("username", "name", "role")} == \
        {"username": "repair_tech", "name": staff["repair_tech"].name, "role": "repair_tech"}
    row = _row(db, headers)
    assert row.token_hash != headers["Authorization"]  # only a hash is stored
    hours = (row.expires_at - row.created_at) / timedelta(hours=1)
    assert hours == 12


def test_token_refused_for_wrong_password_or_inactive_user(staff, db, client):
    assert client.post("/api/v1/auth/token", json={"username": "repair_tech", "password": "x"}).status_code == 401
    staff["pipe_fitter"].active = False
    db.session.commit()
    response = client.post("/api/v1/auth/token", json={"username": "pipe_fitter", "password": "fieldsvc-demo"})
    assert response.status_code == 401


def test_expired_token_is_401(staff, db, api):
    client, headers = api("repair_tech")
    _row(db, headers).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert "error" in response.json


def test_revoked_token_is_401_and_other_tokens_still_work(staff, db, api):
    client, headers = api("repair_tech")
    _client2, other = api("repair_tech")
    services.revoke_token(staff["repair_tech"], headers["Authorization"].removeprefix("Bearer "))
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get("/api/v1/me", headers=other).status_code == 200


def test_nobody_revokes_someone_elses_token(staff, db, api):
    client, headers = api("repair_tech")
    services.revoke_token(staff["pipe_fitter"], headers["Authorization"].removeprefix("Bearer "))
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_garbage_or_missing_token_is_401(staff, client):
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert client.get("/api/v1/me").status_code == 401


def test_a_token_does_not_open_pages(app, staff, api):
    _client, headers = api("director")
    response = app.test_client().get("/staff/", headers=headers)
    assert response.status_code == 302 and "/login" in response.location


def test_users_filtered_by_role(staff, db, api):
    client, headers = api("station_chief")
    response = client.get("/api/v1/users?role=repair_tech", headers=headers)
    assert response.status_code == 200
    assert {u["username"] for u in response.json["items"]} == {"repair_tech", "repair_tech2", "repair_tech3"}
    assert {u["role"] for u in response.json["items"]} == {"repair_tech"}
    assert response.json["total"] == 3


def test_users_list_hides_the_inactive_unless_asked(staff, db, api):
    staff["repair_tech3"].active = False
    db.session.commit()
    client, headers = api("station_chief")
    active = client.get("/api/v1/users?role=repair_tech", headers=headers).json["items"]
    assert {u["username"] for u in active} == {"repair_tech", "repair_tech2"}
    everyone = client.get("/api/v1/users?role=repair_tech&active=false", headers=headers).json["items"]
    assert {u["username"] for u in everyone} == {"repair_tech", "repair_tech2", "repair_tech3"}


def test_users_unknown_role_is_422(staff, api):
    client, headers = api("station_chief")
    response = client.get("/api/v1/users?role=king", headers=headers)
    assert response.status_code == 422
    assert "role" in response.json["errors"]


def test_users_needs_a_login(staff, client):
    assert client.get("/api/v1/users").status_code == 401
