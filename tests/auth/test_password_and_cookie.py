"""Smaller findings of the outside probe (issue 23, item 9) at the pages: weak passwords refused with a
message that says why, at every form that sets one; the remember-me cookie lasts 30 days, not a year."""
import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from tests.conftest import DEMO_PASSWORD

EN = {"Accept-Language": "en"}


@pytest.mark.parametrize(("password", "message"), [
    (" " * 10, "only spaces or invisible characters"),
    ("." * 10, "Use at least 5 different characters"),
    ("\u200b" * 10, "only spaces or invisible characters"),
    ("gas\u200b2026safe", "no tabs, special spaces or zero-width characters"),
    ("password12", "one of the most common ones"),
    ("Qwerty1234", "one of the most common ones"),
    ("gas2026safe ", "cannot start or end with a space"),
])
def test_own_password_change_refuses_weak_passwords_and_says_why(staff, login, password, message):
    client = login("statistician")
    response = client.post("/me/password", headers=EN, data={
        "current_password": DEMO_PASSWORD, "new_password": password, "confirm_password": password})
    assert response.status_code == 422
    shown = re.search(r'id="e-new_password">(.*?)</', response.get_data(as_text=True), re.S)
    assert shown and message in shown.group(1)
    assert client.get("/me").status_code == 200  # nothing changed: still logged in


@pytest.mark.parametrize("password", ["password12", "12345678", "qwerty123", "woaini1314"])
def test_staff_pages_and_api_refuse_common_passwords(staff, login, password):
    client = login("director")
    user = staff["repair_tech"]
    reset = client.post(f"/staff/{user.id}/password", headers=EN, data={"password": password})
    assert reset.status_code == 422
    page = reset.get_data(as_text=True)
    assert "most common" in page or "At least 10 characters" in page


def test_remember_me_lasts_30_days(app, staff):
    client = app.test_client()
    response = client.post("/login", data={"username": "director", "password": DEMO_PASSWORD, "remember": "1"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    left = expires - datetime.now(UTC)
    assert timedelta(days=29) < left <= timedelta(days=30)
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)


def test_without_remember_me_there_is_no_lasting_cookie(app, staff):
    response = app.test_client().post("/login", data={"username": "director", "password": DEMO_PASSWORD})
    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))
