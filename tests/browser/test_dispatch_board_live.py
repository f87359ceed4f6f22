"""The chief's board at 360 px (zh-CN) keeps itself current: an emergency taken by another session appears
within 15 s without a reload, announced by a banner, a beep and a notification; a technician arriving on
site shows too."""
import time

from tests.browser.conftest import log_in

ACCOUNT_NO = "20000131"  # a demo customer
PASSWORD = "fieldsvc-demo"

# Stand-ins the test can read: the browser's Notification (granted) and the beeps made through WebAudio.
SPIES = """
window.__notes = [];
window.__beeps = 0;
function FakeNotification(title, options) { window.__notes.push({title: title, body: (options || {}).body}); }
FakeNotification.permission = "granted";
FakeNotification.requestPermission = function () { return Promise.resolve("granted"); };
window.Notification = FakeNotification;
var RealAudio = window.AudioContext;
if (RealAudio) {
  window.AudioContext = function () {
    var ctx = new RealAudio();
    var make = ctx.createOscillator.bind(ctx);
    ctx.createOscillator = function () { window.__beeps += 1; return make(); };
    return ctx;
  };
}
"""


def _api(request, base_url, username):
    token = request.post(f"{base_url}/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['token']}"}

    def call(path, data=None):
        response = request.post(f"{base_url}/api/v1{path}", headers=headers, data=data)
        assert response.status in (200, 201), response.text()
        return response.json()
    return call


def _user_id(live_server, username):
    from fieldsvc.auth.models import User
    from fieldsvc.extensions import db
    with live_server.app.app_context():
        return db.session.query(User.id).filter_by(username=username).scalar()


def test_board_shows_a_new_emergency_and_a_technician_on_site_without_reload(browser, browser_context_args,
                                                                              base_url, live_server):
    chief_ctx = browser.new_context(**browser_context_args)
    chief_ctx.add_init_script(SPIES)
    chief = chief_ctx.new_page()
    errors = []
    chief.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(chief, base_url, "station_chief")
    chief.goto(f"{base_url}/dispatch/")
    chief.evaluate("window.__sameLoad = true")
    assert chief.locator("#board-live").get_attribute("data-etag")
    chief.locator("main").click(position={"x": 5, "y": 5})  # a touch: browsers let the page beep after one

    # Another session (the dispatch centre's system, as another user) takes the leak call.
    other_ctx = browser.new_context(**browser_context_args)
    centre = _api(other_ctx.request, base_url, "director")
    started = time.monotonic()
    order = centre("/work-orders", {"type": "emergency", "account_no": ACCOUNT_NO, "priority": "urgent",
                                    "description": "单元门口闻到燃气味"})
    row = chief.locator(f"#wo-{order['id']}")
    row.wait_for(timeout=15_000)
    assert time.monotonic() - started <= 15
    assert chief.evaluate("window.__sameLoad") is True  # swapped in, not reloaded
    assert row.locator(".since").is_visible()  # pinned with its clock

    alert = chief.locator(f".board-alert[role=alert][data-order='{order['id']}']")
    alert.wait_for(timeout=5_000)
    assert f"#{order['id']}" in alert.inner_text()
    notes = chief.evaluate("window.__notes")
    assert any(f"#{order['id']}" in (n["body"] or "") for n in notes), notes
    assert chief.evaluate("window.__beeps") >= 2
    assert chief.evaluate("document.documentElement.scrollWidth") <= 360

    # The technician reaches the door: the chief's board says so by itself.
    centre(f"/work-orders/{order['id']}/assign", {"assignee_id": _user_id(live_server, "repair_tech2"),
                                                 "version": order["version"]})
    tech = _api(other_ctx.request, base_url, "repair_tech2")
    current = order["version"] + 1
    for to in ("accepted", "en_route", "on_site"):
        current = tech(f"/work-orders/{order['id']}/transition",
                       {"to": to, "version": current, "lat": "31.2304", "lng": "121.4737"})["version"]
    started = time.monotonic()
    row.locator(".badge-status-on_site").wait_for(timeout=15_000)
    assert time.monotonic() - started <= 15
    assert chief.evaluate("window.__sameLoad") is True
    # An emergency already announced is not announced again.
    assert chief.locator(f".board-alert[data-order='{order['id']}']").count() == 1
    alert.locator("button").click()
    assert chief.locator(f".board-alert[data-order='{order['id']}']").count() == 0
    assert not errors, errors
    chief_ctx.close()
    other_ctx.close()


def test_a_chosen_technician_is_not_pulled_away_by_an_update(browser, browser_context_args, base_url):
    """While the chief has picked someone in a row's picker, a newer board waits; it comes once they are done."""
    chief_ctx = browser.new_context(**browser_context_args)
    chief = chief_ctx.new_page()
    log_in(chief, base_url, "station_chief")
    other_ctx = browser.new_context(**browser_context_args)
    centre = _api(other_ctx.request, base_url, "director")
    first = centre("/work-orders", {"type": "repair", "account_no": ACCOUNT_NO, "description": "灶具打不着火"})
    chief.goto(f"{base_url}/dispatch/?type=repair")
    picker = chief.locator(f"#assign-{first['id']}")
    value = picker.locator("option").nth(1).get_attribute("value")
    picker.select_option(value)
    second = centre("/work-orders", {"type": "repair", "account_no": ACCOUNT_NO, "description": "热水器点不着"})
    chief.wait_for_timeout(12_000)  # more than one poll
    assert chief.locator(f"#wo-{second['id']}").count() == 0
    assert chief.locator(f"#assign-{first['id']}").input_value() == value
    picker.select_option("")  # changed their mind: the board catches up
    chief.locator(f"#wo-{second['id']}").wait_for(timeout=15_000)
    chief_ctx.close()
    other_ctx.close()
