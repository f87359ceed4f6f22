"""The app shell: health check, login, role home pages, permissions at the door."""
import pytest

from fieldsvc.permissions import Role


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "db": "ok"}


def test_healthz_503_when_database_unreachable(app, client, monkeypatch):
    from fieldsvc.core import services

    def broken():
        return False
    monkeypatch.setattr(services, "database_ok", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["db"] == "unreachable"


def test_anonymous_page_redirects_to_login(client):
    response = client.get("/customers/")
    assert response.status_code == 302
    assert "/login" in response.location


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_lands_on_its_home_page(staff, login, role):
    client = login(role)
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert staff[role].name in page
    assert 'class="tabbar"' in page


def test_wrong_password_gives_one_generic_message(staff, client):
    wrong_password = client.post("/login", data={"username": "director", "password": "nope"})
    unknown_user = client.post("/login", data={"username": "nobody", "password": "nope"}, headers={"Accept-Language": "en"})
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert "Wrong username or password." in unknown_user.get_data(as_text=True)
    assert 'value="nobody"' in unknown_user.get_data(as_text=True)  # what was typed is kept


def test_deactivated_user_cannot_log_in(staff, client, db):
    staff["repair_tech"].active = False
    db.session.commit()
    response = client.post("/login", data={"username": "repair_tech", "password": "fieldsvc-demo"})
    assert response.status_code == 401


def test_meter_reader_refused_director_page(staff, login):
    response = login("meter_reader").get("/staff/")
    assert response.status_code == 403


def test_open_redirect_refused(staff, client):
    response = client.post("/login?next=//evil.example/", data={"username": "director", "password": "fieldsvc-demo"})
    assert response.location == "/"


def test_security_headers(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
