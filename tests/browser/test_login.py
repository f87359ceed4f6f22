"""Each demo user logs in on a 360×740 phone and lands on their home page."""
import pytest

from fieldsvc.core.demo import STAFF
from fieldsvc.permissions import Role
from tests.browser.conftest import log_in

ROLE_USERS = [username for username, role, _ in STAFF if username == role]


@pytest.mark.parametrize("username", ROLE_USERS)
def test_demo_user_lands_on_home(page, base_url, username):
    log_in(page, base_url, username)
    name = next(n for u, _, n in STAFF if u == username)
    assert page.locator(".greeting").inner_text().find(name) >= 0
    tabbar = page.locator("nav.tabbar")
    assert tabbar.is_visible()
    # The bar fits the phone: no horizontal scrolling anywhere on the home page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Every tab is a comfortable touch target.
    for box in (tabbar.locator("a").nth(i).bounding_box() for i in range(tabbar.locator("a").count())):
        assert box["height"] >= 44


def test_wrong_password_then_right(page, base_url):
    page.goto(f"{base_url}/login")
    page.fill("#f-username", "director")
    page.fill("#f-password", "wrong-password1")
    page.click("button[type=submit]")
    assert page.locator(".flash-error").is_visible()
    assert page.input_value("#f-username") == "director"
    page.fill("#f-password", "fieldsvc-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_roles_are_all_demo_users():
    assert set(ROLE_USERS) == {r.value for r in Role}


def test_customer_search_on_phone(page, base_url):
    log_in(page, base_url, "station_chief")
    page.fill("#home-q", "2000001")
    page.click("form.search button")
    page.locator("ul.list a").first.click()
    assert page.locator("#h-timeline").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
