"""Issue #23, item 10: a fresh login dropped right after POST /login answered 302. A request sent with the
anonymous cookie just before the login (a page's favicon or icon, the worker fetching the shell or the
offline page, another tab) and answered just after it must not hand the browser a cookie that undoes the
login. Each test replays that order of events with the browser's cookie jar."""
import pytest

from tests.conftest import DEMO_PASSWORD

# What a browser or the service worker may ask for, with the cookie it had, while the user logs in.
LATE = ["/login", "/", "/favicon.ico", "/offline", "/sw.js", "/manifest.webmanifest", "/static/css/app.css",
        "/static/missing.css", "/outbox", "/sync/csrf", "/complaints/new"]


def _store(browser, response) -> None:
    """Do what a browser does with a response's Set-Cookie for the session."""
    for header in response.headers.getlist("Set-Cookie"):
        name, _eq, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if name != "session":
            continue
        if not value or "Expires=Thu, 01 Jan 1970" in header:
            browser.delete_cookie("session")
        else:
            browser.set_cookie("session", value)


def _anonymous_cookie(app) -> str:
    browser = app.test_client()
    browser.get("/login")  # the login form: its CSRF token lives in the session
    return browser.get_cookie("session").value


@pytest.mark.parametrize("path", LATE)
def test_an_answer_sent_before_the_login_and_landing_after_it_keeps_the_login(app, staff, path):
    browser = app.test_client()
    browser.get("/login")
    before = browser.get_cookie("session").value
    logged_in = browser.post("/login", data={"username": "meter_reader", "password": DEMO_PASSWORD})
    assert logged_in.status_code == 302 and "session=" in logged_in.headers.get("Set-Cookie", "")
    late = app.test_client()  # the same browser's earlier request, still carrying the anonymous cookie
    late.set_cookie("session", before)
    _store(browser, late.get(path))
    assert browser.get("/").status_code == 200  # still logged in: home, not the login page
    assert browser.get("/api/v1/me").get_json()["username"] == "meter_reader"


def test_the_first_anonymous_requests_send_no_cookie_they_did_not_change(app, staff):
    """The mechanism: the anonymous session's first read by Flask-Login wrote `_fresh` and sent the cookie."""
    cookie = _anonymous_cookie(app)
    for path in ("/login", "/favicon.ico", "/"):
        client = app.test_client()
        client.set_cookie("session", cookie)
        assert "Set-Cookie" not in client.get(path).headers, path


def test_real_changes_still_send_the_cookie(app, staff, login):
    fresh = app.test_client()
    assert "session=" in fresh.get("/login").headers.get("Set-Cookie", "")  # a new CSRF token
    client = login("meter_reader")
    client.get("/")  # the first page adds its CSRF token
    assert "Set-Cookie" not in client.get("/").headers  # nothing changed
    out = client.post("/logout")
    assert "session=" in out.headers.get("Set-Cookie", "")
    assert client.get("/").status_code == 302  # logged out for good
