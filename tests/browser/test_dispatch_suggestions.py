"""Who to send, at 360 px (zh-CN): the new-order form shows only the fields the type uses and lists the
staff who may do it, best first with the reasons; the board's assign picker does the same."""
import re

from tests.browser.conftest import log_in

ACCOUNT_NO = "20000177"  # a demo customer
PASSWORD = "fieldsvc-demo"
FAR_DOOR = {"lat": "30.593099", "lng": "114.305393"}  # far from every other fix the shared server has seen


def _api(request, base_url, username):
    token = request.post(f"{base_url}/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['token']}"}

    def call(path, data=None):
        response = request.post(f"{base_url}/api/v1{path}", headers=headers, data=data)
        assert response.status in (200, 201), response.text()
        return response.json()
    return call


def _user(live_server, username):
    from fieldsvc.auth.models import User
    from fieldsvc.extensions import db
    with live_server.app.app_context():
        user = db.session.query(User).filter_by(username=username).one()
        return user.id, user.name


def _at_the_door(browser, browser_context_args, base_url, live_server, username):
    """`username` reaches the customer's door on a job there (a GPS fix at the door, and they are out today)."""
    ctx = browser.new_context(**browser_context_args)
    chief = _api(ctx.request, base_url, "director")
    order = chief("/work-orders", {"type": "repair", "account_no": ACCOUNT_NO, "description": "表前阀漏气"})
    order = chief(f"/work-orders/{order['id']}/assign", {"assignee_id": _user(live_server, username)[0],
                                                         "version": order["version"]})
    tech = _api(ctx.request, base_url, username)
    version = order["version"]
    for to in ("accepted", "en_route", "on_site"):
        version = tech(f"/work-orders/{order['id']}/transition", {"to": to, "version": version, **FAR_DOOR})["version"]
    ctx.close()


def _options(page, select):
    return page.locator(f"{select} option").evaluate_all(
        "els => els.map(o => ({value: o.value, text: o.textContent.trim(), group: o.parentElement.label || ''}))")


def test_new_order_form_lists_suggestions_first_with_reasons(browser, browser_context_args, base_url, live_server):
    _at_the_door(browser, browser_context_args, base_url, live_server, "repair_tech3")
    near_id, near_name = _user(live_server, "repair_tech3")
    ctx = browser.new_context(**browser_context_args)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, base_url, "station_chief")
    page.goto(f"{base_url}/dispatch/new")

    # An emergency has no hazard deadline; a rectification has.
    page.select_option("#f-type", "emergency")
    assert not page.locator("#f-deadline").is_visible()
    page.select_option("#f-type", "rectification")
    page.locator("#f-deadline").wait_for(state="visible")
    page.locator("#wo-suggest[data-for='type=rectification']").wait_for(state="attached")
    fitters = _options(page, "#f-assignee_id")[1:]
    assert fitters and all("改管员" not in o["text"] for o in fitters)  # names and reasons, not roles
    assert {o["value"] for o in fitters} == {str(_user(live_server, u)[0])
                                             for u in ("pipe_fitter", "pipe_fitter2", "pipe_fitter3")}

    # A leak at this customer: the repair technician at their door comes first, 0 km away.
    page.select_option("#f-type", "emergency")
    page.fill("#f-account_no", ACCOUNT_NO)
    page.locator("#f-account_no").dispatch_event("change")
    page.locator(f"#wo-suggest[data-for='type=emergency&account_no={ACCOUNT_NO}']").wait_for(state="attached")
    options = _options(page, "#f-assignee_id")
    assert options[0]["value"] == ""
    best = options[1]
    assert best["value"] == str(near_id) and best["group"] == options[2]["group"]
    reasons = best["text"].split(" · ")
    assert reasons[0] == near_name and len(reasons) == 5 and re.match(r"^0(\.0)? ", reasons[2]), reasons
    listed = page.locator("#wo-suggest .suggest-list li")
    assert listed.count() == 3 and near_name in listed.first.inner_text()
    assert listed.first.locator(".suggest-reasons").is_visible()
    assert not page.locator("#f-deadline").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Created with the suggestion chosen; the board's picker for a new repair there also puts them first.
    page.select_option("#f-assignee_id", str(near_id))
    page.fill("#f-description", "楼道燃气味，用户已关阀")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/dispatch/orders/\d+$"))
    assert near_name in page.locator("main").inner_text()

    other = browser.new_context(**browser_context_args)
    repair = _api(other.request, base_url, "director")("/work-orders", {
        "type": "repair", "account_no": ACCOUNT_NO, "description": "灶具打不着火"})
    other.close()
    page.goto(f"{base_url}/dispatch/?type=repair")
    picker = _options(page, f"#assign-{repair['id']}")
    assert picker[1]["value"] == str(near_id) and picker[1]["group"]  # under "Suggested"
    assert len(picker[1]["text"].split(" · ")) == 5
    hint = page.locator(f"#wo-{repair['id']} .wo-suggest")
    assert hint.is_visible() and near_name in hint.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not errors, errors
    ctx.close()
