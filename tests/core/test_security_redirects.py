"""Open redirects (issue 23, item 1): one strict `safe_next` behind every `next`, `back` and CSRF Referer.

The probe: `GET /login?next=/%09/evil.example`, log in → `302 Location: //evil.example` (browsers drop the
tab); the same through the language form; `next=/%0A/evil.example` → 500 (a newline in a header)."""
from urllib.parse import quote

import pytest

from fieldsvc.web import safe_next
from tests.conftest import DEMO_PASSWORD

HOSTILE = [
    "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\r\n/evil.example",  # as Flask decodes %09 %0A %0D
    "/%09/evil.example", "/%0A/evil.example", "/%0D/evil.example", "/%0d%0a/evil.example",  # still encoded
    "/%2509/evil.example",                       # encoded twice
    "//evil.example", "///evil.example", "////evil.example", "//evil.example/path",
    "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "\\/evil.example", "/%5Cevil.example",
    "https://evil.example", "http://evil.example/", "HTTPS://evil.example", "//evil.example@ours",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,hi",
    "%2F%2Fevil.example", "/%2F/evil.example", "/%2f%2fevil.example", "%2Fpath",
    "/\t/evil", " /path", "/path ", "\t/path", "/pa th", "/path%20x",
    "/\x00/evil", "/\x0b/evil", "/\x0c/evil", "/\x7f/evil", "/\x85/evil",
    "/\u200b/evil.example",                      # zero-width space
    "/\u202e/evil.example",                      # right-to-left override
    "/\u2028/evil.example", "/\u2029/evil.example",  # line and paragraph separators
    "/\u00a0/evil.example", "/\u3000/evil.example", "/\ufeff/evil.example",
    "/%E2%80%8B/evil.example", "/%E2%80%AE/evil.example", "/%C2%A0/evil.example",
    "/./evil.example//x", "/.//evil.example", "/..//evil.example",
    "evil.example", "path", "", None, 42, ["/"], "/" + "a" * 2001,
]

LOCAL = ["/", "/customers", "/customers/12?tab=meters", "/dispatch/orders?status=open&page=2",
         "/customers?q=%E7%8E%8B", "/customers?q=a+b", "/客户", "/path#part", "/a/b/../c", "/a;b=c"]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_are_refused(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", LOCAL)
def test_local_paths_pass_unchanged(target):
    assert safe_next(target) == target


def _login(client, next_raw: str):
    """POST /login?next=<raw query text> as the probe sent it (already percent-encoded)."""
    return client.post(f"/login?next={next_raw}", data={"username": "director", "password": DEMO_PASSWORD})


@pytest.mark.parametrize("next_raw", ["/%09/evil.example", "/%0A/evil.example", "/%0D/evil.example",
                                      "//evil.example", "/%5Cevil.example", "https://evil.example",
                                      "javascript:alert(1)", "%2F%2Fevil.example", "/%2509/evil.example",
                                      "/%E2%80%AE/evil.example", "///evil.example"])
def test_login_never_redirects_off_site(app, staff, next_raw):
    response = _login(app.test_client(), next_raw)
    assert response.status_code == 302  # the /%0A/ one answered 500 before
    assert response.headers["Location"] == "/"


def test_login_keeps_a_local_next(app, staff):
    response = _login(app.test_client(), quote("/customers?q=王", safe="/?="))
    assert response.status_code == 302 and response.headers["Location"].startswith("/customers?q=")


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example"])
def test_language_form_never_redirects_off_site(client, target):
    response = client.post("/language", data={"locale": "en", "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.post("/language", data={"locale": "en", "next": "/login"}).headers["Location"] == "/login"


@pytest.mark.parametrize(("referer", "expected"), [
    ("https://evil.example/login", "/"),
    ("http://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("http://localhost.evil.example/me", "/"),
    ("http://localhost/\t/evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("http://localhost/me?tab=password", "/me?tab=password"),  # this site: back to the form
])
def test_csrf_refusal_goes_back_only_to_this_site(app, staff, referer, expected):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post("/login", data={"username": "director", "password": DEMO_PASSWORD},
                                          headers={"Referer": referer})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 302 and response.headers["Location"] == expected


BACKS = ["/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example", "https://evil.example",
         "javascript:alert(1)", "/%09/evil.example"]


def test_policy_acknowledgement_back_is_local_only(app, db, staff, login):
    from datetime import timedelta

    from fieldsvc import clock
    from fieldsvc.management.services import policies
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        today = clock.today()
        policy = policies.create_policy(staff["safety_officer"], {
            "number": "ZD-AQ-009", "title": "户内维修安全操作规程", "applies_to": ["repair_tech"], "summary": "检漏。",
            "effective_on": today, "review_on": today + timedelta(days=365)})
        version = policy.versions[-1]
        policies.transition(staff["safety_officer"], version, "submitted")
        policies.transition(staff["director"], version, "approved")
        policies.transition(staff["safety_officer"], version, "in_force")
        db.session.commit()
    client = login("repair_tech")
    url = f"/management/policies/versions/{version.id}/acknowledge"
    for back in BACKS:
        response = client.post(url, data={"back": back})
        assert response.status_code == 302 and response.location == "/management/acknowledgements", back
    assert client.post(url, data={"back": "/management/policies"}).location == "/management/policies"


def test_capa_action_done_back_is_local_only(app, db, staff, login):
    from fieldsvc import clock
    from fieldsvc.hse.services import capa
    officer = staff["safety_officer"]
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        nc = capa.create(officer, {"title": "Van extinguisher", "description": "Expired", "origin": "audit"})
        capa.transition(officer, nc, "analysis")
        capa.record_analysis(officer, nc, "Not on the checklist")
        capa.transition(officer, nc, "action_plan")
        action = capa.add_action(officer, nc, {"kind": "corrective", "description": "Add to checklist",
                                               "owner_id": staff["repair_tech"].id, "deadline": clock.today()})
        db.session.commit()
    own = f"/hse/nonconformities/{nc.id}"
    client = login("repair_tech")
    for back in BACKS:
        response = client.post(f"/hse/actions/{action.id}/done", data={"done_on": clock.today().isoformat(),
                                                                       "back": back})
        assert response.status_code == 302 and response.location == own, back
