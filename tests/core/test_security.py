"""Login throttling per username and per address, and the CSRF requirement on forms."""
import pytest

from fieldsvc import create_app
from fieldsvc.extensions import db, limiter
from tests.conftest import make_test_config


@pytest.fixture
def limited_app(app, tmp_path):
    """The session app's database, with rate limits switched on (3 per minute to keep the test short)."""
    config = make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    config.update(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute",
                  RATELIMIT_STORAGE_URI=f"memory://{tmp_path.name}")
    limited = create_app(config)
    yield limited
    with limited.app_context():
        db.engine.dispose()
    # The limiter is one extension object: switch it back off for the rest of the session.
    limiter.reset()
    limiter.enabled = False


def test_login_throttled_per_username_across_addresses(staff, limited_app):
    client = limited_app.test_client()
    codes = [client.post("/login", data={"username": "director", "password": "bad"},
                         environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code for i in range(5)]
    assert codes[:3] == [401, 401, 401]
    assert codes[3:] == [429, 429]


def test_login_throttled_per_address_across_usernames(staff, limited_app):
    client = limited_app.test_client()
    codes = [client.post("/login", data={"username": f"user{i}", "password": "bad"}).status_code
             for i in range(5)]
    assert codes[3:] == [429, 429]


def test_token_endpoint_throttled(staff, limited_app):
    client = limited_app.test_client()
    codes = [client.post("/api/v1/auth/token", json={"username": "director", "password": "bad"}).status_code
             for _ in range(5)]
    assert codes[:3] == [401, 401, 401] and codes[3:] == [429, 429]
    assert "error" in client.post("/api/v1/auth/token", json={"username": "x", "password": "y"}).json


def test_form_without_csrf_token_is_refused_and_says_why(app, staff):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = client.post("/login", data={"username": "director", "password": "fieldsvc-demo"})
        assert response.status_code == 302  # back to the form with a message, nothing done
        assert client.get("/").status_code == 302  # still not logged in
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_session_cookie_flags(app, staff):
    client = app.test_client()
    response = client.post("/login", data={"username": "director", "password": "fieldsvc-demo"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_revoked_token_no_longer_works(staff, api):
    client, headers = api("repair_tech")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.delete("/api/v1/auth/token/current", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
