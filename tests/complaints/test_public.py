"""The public pages: the web form (no login, CSRF, rate limit) and the status page, which shows nothing
but that tracking number's own status and times."""
import re

import pytest

from fieldsvc.complaints.models import Complaint
from tests.complaints.conftest import EN, jpeg_bytes

FORM = {"category": "billing", "description": "这个月账单比平时多了一倍", "contact_name": "隐私姓名",
        "contact_phone": "13911112222"}


def _submit(client, **extra):
    return client.post("/feedback", data={**FORM, **extra}, headers=EN)


def test_form_needs_no_login(staff, client):
    page = client.get("/feedback", headers=EN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="description"' in html and 'type="file"' in html and "nav class=\"tabbar\"" not in html


def test_submit_gives_a_tracking_number_and_a_status_page(staff, customers, client, db):
    response = _submit(client, account_no=customers[1].account_no,
                       photos=[(__import__("io").BytesIO(jpeg_bytes()), "p.jpg")])
    assert response.status_code == 302
    complaint = db.session.query(Complaint).one()
    assert response.location.endswith(f"/feedback/status/{complaint.tracking_no}")
    assert (complaint.channel, complaint.customer_id, complaint.received_by_id) == ("web", customers[1].id, None)
    assert complaint.owner_id == staff["station_chief"].id  # customers[1] is in D03
    page = client.get(response.location, headers=EN).get_data(as_text=True)
    assert complaint.tracking_no in page and 'data-status="received"' in page


def test_bad_input_keeps_what_was_typed(staff, client):
    response = _submit(client, contact_phone="call me maybe", category="")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "这个月账单比平时多了一倍" in html and "隐私姓名" in html and "call me maybe" in html
    assert html.count('class="error"') >= 2


def _status_page(client, number):
    return client.get(f"/feedback/status/{number}", headers=EN)


def test_status_page_shows_only_its_own_status(staff, customers, client, make_complaint, db):
    _submit(client)
    mine = db.session.query(Complaint).one()
    other = make_complaint(contact_name="别人的名字", contact_phone="13055556666", description="别人的投诉内容",
                           upto="closed")
    from fieldsvc.complaints.services import handling
    handling.add_note(staff["station_chief"], mine.id, "内部备注不可公开")
    db.session.commit()
    html = _status_page(client, mine.tracking_no).get_data(as_text=True)
    assert mine.tracking_no in html and 'data-status="received"' in html
    for secret in (FORM["contact_name"], FORM["contact_phone"], FORM["description"], "内部备注不可公开",
                   other.tracking_no, other.contact_name, other.contact_phone, other.description,
                   staff["station_chief"].name, "Billing"):
        assert secret not in html, secret
    assert len(set(re.findall(r"TS-\d{8}-[0-9A-Z]{6}", html))) == 1
    closed = _status_page(client, other.tracking_no.lower()).get_data(as_text=True)
    assert 'data-status="closed"' in closed and other.contact_name not in closed


@pytest.mark.parametrize("number", ["TS-20200101-ZZZZZZ", "TS-2020-0101", "nothing", "TS-20200101-ZZZZZ!"])
def test_unknown_number_is_404(staff, client, make_complaint, number):
    make_complaint()
    assert _status_page(client, number).status_code == 404


def test_lookup_form(staff, client, make_complaint):
    c = make_complaint()
    assert client.get("/feedback/status", headers=EN).status_code == 200
    r = client.get(f"/feedback/status?no={c.tracking_no.lower()}", headers=EN)
    assert r.status_code == 302 and r.location.endswith(f"/feedback/status/{c.tracking_no}")
    r = client.get("/feedback/status?no=hello", headers=EN)
    assert r.status_code == 422 and "hello" in r.get_data(as_text=True)


@pytest.fixture
def guarded_app(app):
    """The same database behind an app with CSRF and rate limits on, as in production."""
    from fieldsvc import create_app
    from tests.conftest import make_test_config
    config = make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    config.update(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True, COMPLAINT_PUBLIC_RATE_LIMIT="2 per minute")
    other = create_app(config)
    with other.app_context():
        yield other


def test_csrf_and_rate_limit_guard_the_form(staff, guarded_app, db):
    client = guarded_app.test_client()
    assert client.post("/feedback", data=FORM).status_code in (302, 400)  # no CSRF token: refused
    assert db.session.query(Complaint).count() == 0
    html = client.get("/feedback").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    codes = [client.post("/feedback", data={**FORM, "csrf_token": token}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert db.session.query(Complaint).count() == 2
