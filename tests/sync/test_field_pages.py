"""What the phone needs from the field pages to work offline: every script in the service worker's shell, a
"data as of" stamp on the day's pages, the precached completion form, and the reading's typed time field."""
import json
import re
from datetime import datetime

from fieldsvc.dispatch.services import orders
from tests import factories


def _shell(client) -> list[str]:
    body = client.get("/sw.js").get_data(as_text=True)
    return json.loads(re.search(r"const SHELL = (\[.*?\]);", body).group(1))


def test_shell_holds_every_script_a_field_form_needs(client):
    shell = _shell(client)
    for script in ("app.js", "outbox-db.js", "outbox-page.js", "signature.js", "dispatch.js", "readings.js",
                   "inspections.js", "hse.js", "complaints.js", "photos.js"):
        assert f"/static/js/{script}" in shell, script
    assert "/static/js/sw.js" not in shell


def _as_of(body: str) -> datetime:
    stamp = re.search(r'data-as-of="([^"]+)"', body).group(1)
    return datetime.fromisoformat(stamp)


def test_my_jobs_and_the_job_carry_data_as_of_and_precache_the_completion_form(staff, login, db, app):
    customer = factories.customer("83000001", name="离线", address="离线路2号", commit=False)
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        order = orders.create_order(staff["station_chief"], {"type": "repair", "customer_id": customer.id,
                                                             "description": "点不着火"})
        orders.assign(staff["station_chief"], order.id, staff["repair_tech"].id, order.version)
        for to in ("accepted", "en_route", "on_site"):
            orders.transition(staff["repair_tech"], order.id, to, order.version)
    db.session.commit()
    client = login("repair_tech")
    jobs = client.get("/dispatch/jobs", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert _as_of(jobs).tzinfo is not None
    assert "Data as of {time}" in jobs  # the words app.js fills in when the page is the phone's copy
    complete = f"/dispatch/orders/{order.id}/complete"
    assert f'data-offline-link="{complete}"' in jobs
    page = client.get(f"/dispatch/orders/{order.id}").get_data(as_text=True)
    assert _as_of(page) and re.search(rf'href="{complete}" data-offline-link', page)
    form = client.get(complete).get_data(as_text=True)
    assert _as_of(form) and "data-offline" in form


def test_chinese_words_for_data_as_of(staff, login, db):
    client = login("repair_tech")
    body = client.get("/dispatch/jobs", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "数据截至 {time}" in body


def test_what_the_browser_fetches_on_its_own_never_resets_the_session_cookie(client):
    """The service worker installs (fetching /offline) while the user logs in: had its answer set the session
    cookie, landing after the login's it would put the logged-out session back (the "fresh session dropped"
    seen now and then in the browser tests)."""
    client.get("/login")  # a session cookie from before the login, as the phone has it
    for url in ("/offline", "/manifest.webmanifest", "/sw.js"):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.headers.getlist("Set-Cookie"), url
