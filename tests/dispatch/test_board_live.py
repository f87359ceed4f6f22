"""The live board (/dispatch/board/live): 304 while nothing changed, the new fragment when an order is made
or moves; the new-order form's fields follow the type and its "Assign to" lists who to send first."""
import re
from datetime import timedelta

import pytest

from fieldsvc import clock
from fieldsvc.dispatch.services import orders

EN = {"Accept-Language": "en"}


@pytest.fixture
def chief(staff, login):
    return login("station_chief")


def _live(client, etag=None, query="view=board"):
    headers = {**EN, **({"If-None-Match": f'"{etag}"'} if etag else {})}
    return client.get(f"/dispatch/board/live?{query}", headers=headers)


def _page_etag(client, path="/dispatch/") -> str:
    page = client.get(path, headers=EN).get_data(as_text=True)
    return re.search(r'data-etag="([0-9a-f]+)"', page).group(1)


def test_page_carries_its_version_and_the_live_url(chief, make_order):
    make_order("repair")
    page = chief.get("/dispatch/?district_id=1", headers=EN).get_data(as_text=True)
    assert 'id="board-live"' in page and "js/board.js" in page
    assert 'data-live-url="/dispatch/board/live?view=board&amp;district_id=1"' in page
    assert 'id="board-alerts"' in page and 'data-new-emergency="New emergency"' in page
    assert re.search(r'data-etag="[0-9a-f]{32}"', page)
    assert "<script>" not in page  # the CSP allows no inline script


def test_unchanged_is_304_and_a_new_emergency_is_200_with_it_pinned(chief, make_order):
    make_order("repair")
    etag = _page_etag(chief)
    unchanged = _live(chief, etag)
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert unchanged.headers["ETag"] == f'"{etag}"'
    leak = make_order("emergency")
    changed = _live(chief, etag)
    assert changed.status_code == 200 and changed.headers["ETag"] != f'"{etag}"'
    body = changed.get_data(as_text=True)
    assert f'data-emergency="{leak.id}"' in body and "Emergency repair #" in body
    assert "<html" not in body and 'id="h-emergencies"' in body
    assert _live(chief, changed.headers["ETag"].strip('"')).status_code == 304


def test_a_move_or_a_job_done_changes_the_version(chief, make_order, staff, db, en_request):
    order = make_order("repair", assignee="repair_tech", status="en_route")
    etag = _page_etag(chief)
    assert _live(chief, etag).status_code == 304
    orders.transition(staff["repair_tech"], order.id, "on_site", order.version)
    db.session.commit()
    moved = _live(chief, etag)
    assert moved.status_code == 200 and "On site" in moved.get_data(as_text=True)


def test_the_version_is_per_view_and_filter(chief, make_order):
    make_order("repair")
    board = _page_etag(chief)
    assert _page_etag(chief, "/dispatch/?type=repair") != board
    assert _page_etag(chief, "/dispatch/followups") != board
    assert _live(chief, _page_etag(chief, "/dispatch/followups"), "view=followups").status_code == 304


def test_fragment_links_back_to_the_board_not_to_itself(chief, make_order):
    order = make_order("repair")
    body = _live(chief, query="view=board&type=repair").get_data(as_text=True)
    assert f'action="/dispatch/orders/{order.id}/assign"' in body
    assert 'name="next" value="/dispatch/?type=repair"' in body
    assert "/dispatch/board/live" not in body


@pytest.mark.parametrize("username", ["repair_tech", "meter_reader", "safety_officer"])
def test_live_board_is_for_dispatchers_only(login, staff, username):
    assert login(username).get("/dispatch/board/live").status_code == 403


@pytest.mark.parametrize("query", ["view=<script>", "view=board&page=-3&district_id=x&status=zz&type=%00",
                                   "view=followups&view=board", "page=99999"])
def test_hostile_queries_do_not_break_it(chief, make_order, query):
    make_order("repair")
    assert _live(chief, query=query).status_code == 200
    assert chief.get(f"/dispatch/?{query}").status_code == 200


def test_board_rows_offer_suggestions_first_with_reasons(chief, make_order, staff, db):
    for username in ("repair_tech", "repair_tech2", "repair_tech3"):
        staff[username].qualifications[0].expires_on = clock.today() + timedelta(days=365)
    staff["repair_tech2"].qualifications[0].expires_on = clock.today() - timedelta(days=1)
    db.session.commit()
    order = make_order("repair")
    page = chief.get("/dispatch/", headers=EN).get_data(as_text=True)
    row = page.split(f'id="wo-{order.id}"')[1].split("</li>")[0]
    picker = row.split(f'id="assign-{order.id}"')[1].split("</select>")[0]
    assert picker.index('<optgroup label="Suggested">') < picker.index(staff["repair_tech"].name)
    assert staff["repair_tech2"].name not in picker  # licence expired yesterday
    assert staff["pipe_fitter"].name not in picker  # a fitter does not do repairs
    assert "0 open jobs · Location unknown · Not out yet today · Licence valid" in picker
    assert "Suggested: " in row and "open jobs" in row.split("Suggested: ")[1]


def test_new_order_form_hides_what_the_type_does_not_use(chief, staff):
    emergency = chief.get("/dispatch/new?type=emergency", headers=EN).get_data(as_text=True)
    block = emergency.split('data-types="rectification"')[1].split("</div>")[0]
    assert block.lstrip().startswith("hidden") and "disabled" in block
    rectification = chief.get("/dispatch/new?type=rectification", headers=EN).get_data(as_text=True)
    block = rectification.split('data-types="rectification"')[1].split("</div>")[0]
    assert not block.lstrip().startswith("hidden") and "disabled" not in block
    assert "js/board.js" in emergency and "data-new-order" in emergency


def test_new_order_form_lists_who_may_do_the_type_best_first(chief, staff, db):
    page = chief.get("/dispatch/new?type=meter_verification", headers=EN).get_data(as_text=True)
    picker = page.split('id="f-assignee_id"')[1].split("</select>")[0]
    assert staff["metering_tech"].name in picker
    assert staff["repair_tech"].name not in picker and staff["pipe_fitter"].name not in picker
    assert 'class="suggest-list"' in page and "open jobs" in page.split('class="suggest-list"')[1]


@pytest.mark.parametrize(("query", "present", "absent"), [
    ("type=rectification", "pipe_fitter", "repair_tech"),
    ("type=emergency&account_no=51000001", "repair_tech", "metering_tech"),
    ("type=repair&district_id=1&assignee_id=abc", "repair_tech", "pipe_fitter"),
    ("type=meter_replacement&account_no=%27%3B--", "pipe_fitter", "metering_tech"),
])
def test_suggestions_fragment_follows_the_form(chief, staff, customers, query, present, absent):
    response = chief.get(f"/dispatch/new/suggestions?{query}", headers=EN)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert staff[present].name in body and staff[absent].name not in body
    assert 'name="assignee_id"' in body and "<html" not in body


def test_suggestions_fragment_keeps_the_choice_and_survives_nonsense(chief, staff):
    chosen = staff["repair_tech2"].id
    body = chief.get(f"/dispatch/new/suggestions?type=repair&assignee_id={chosen}", headers=EN).get_data(as_text=True)
    assert f'<option value="{chosen}" selected>' in body
    for query in ("type=bogus", "", "type=followup_visit", "district_id=%ff&type=repair"):
        response = chief.get(f"/dispatch/new/suggestions?{query}", headers=EN)
        assert response.status_code == 200
    assert staff["repair_tech"].name not in chief.get("/dispatch/new/suggestions?type=bogus").get_data(as_text=True)


def test_suggestions_fragment_is_for_dispatchers_only(login, staff):
    assert login("repair_tech").get("/dispatch/new/suggestions?type=repair").status_code == 403


def test_a_refused_new_order_keeps_the_type_and_its_suggestions(chief, staff):
    response = chief.post("/dispatch/new", data={"type": "rectification", "description": "",
                                                 "assignee_id": str(staff["pipe_fitter"].id)}, headers=EN)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    picker = page.split('id="f-assignee_id"')[1].split("</select>")[0]
    assert f'<option value="{staff["pipe_fitter"].id}" selected>' in picker
    assert staff["repair_tech"].name not in picker
    block = page.split('data-types="rectification"')[1].split("</div>")[0]
    assert not block.lstrip().startswith("hidden")
