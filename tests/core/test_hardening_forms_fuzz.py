"""Every page form, fuzzed with hostile values (issue 23, "Done means"): no input makes a page answer 5xx.

On the demo city, each of a few roles walks the pages it can reach from home (one page per URL shape)
and collects every POST form on them (its action and field names, hidden ones included); each distinct
form is then posted, as the first role that found it, with values drawn by Hypothesis from a hostile set:
dates in year 0001 and 9999, control characters, formulas, 1 MB of text, deeply nested JSON as text,
numbers past any column, path tricks. A 5xx or an exception (the test app propagates them) is a failure;
4xx answers and redirects are fine. Bounded to stay under a minute on SQLite (MAX_PAGES, EXAMPLES).
"""
import contextlib
import re
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fieldsvc.core import demo
from fieldsvc.extensions import db

ROLES = ("director", "station_chief", "safety_officer", "metering_head", "card_clerk", "repair_tech",
         "meter_reader")
MAX_PAGES = 160
EXAMPLES = 6
MEGABYTE = "燃气" + "x" * (1024 * 1024 - 6)  # 1 MB of text (mostly ASCII: cheap to encode in the test)
HOSTILE = [
    "0001-01-01", "9999-12-31", "0001-01", "9999-12", "9999-12-31T23:59", "0001-01-01T00:00:00+14:00",
    "\x00", "a\x07b\x1bc", "\x7f\x9b", "\r\n\r\n", "=HYPERLINK(\"http://evil.example\",\"x\")", "+1", "@SUM(A1)",
    "[" * 1000, '{"a":' * 500, '{"results": {"x": [[[[[[]]]]]]}}',
    "-1", "0", "1e309", "NaN", "-Infinity", str(2**63), "9" * 40, "0.0000000001",
    "", " ", "../../etc/passwd", "<script>alert(1)</script>", "%00", "💥" * 50, "\u202e\u200b",
]
SKIP_ACTIONS = re.compile(r"^/(logout|api/|static/|uploads/)")
SKIP_LINKS = re.compile(r"^/(logout|api/|static/|uploads/|sw\.js|manifest)|\.(pdf|xlsx|csv|svg|json|js|png|jpg)$")
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ATTR = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')
FIELD = re.compile(r"<(input|textarea|select|button)\b([^>]*)>", re.I)


def _attrs(text: str) -> dict:
    return {k.lower(): unescape(v) for k, v in ATTR.findall(text)}


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _forms(page_url: str, html: str) -> list[tuple[str, dict]]:
    """(action, {field name: original value}) of the page's POST forms."""
    found = []
    for form_attrs, body in FORM.findall(html):
        attrs = _attrs(form_attrs)
        if attrs.get("method", "get").lower() != "post":
            continue
        action = urlsplit(urljoin(page_url, attrs.get("action") or page_url))
        fields = {}
        for _tag, field_attrs in FIELD.findall(body):
            field = _attrs(field_attrs)
            name = field.get("name")
            if name and name != "csrf_token" and field.get("type") != "file":
                fields.setdefault(name, field.get("value", ""))
        found.append((action.path + (f"?{action.query}" if action.query else ""), fields))
    return found


def _crawl(client, start=("/",)) -> dict[tuple, tuple[str, dict]]:
    """Forms reachable from `start` (home), one per (action shape, field names)."""
    queue, seen, forms = deque(start), set(), {}
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        db.session.rollback()
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code != 200 or "html" not in response.mimetype:
            continue
        pages += 1
        html = response.get_data(as_text=True)
        for action, fields in _forms(url, html):
            if not SKIP_ACTIONS.match(action):
                forms.setdefault((_shape(urlsplit(action).path), tuple(sorted(fields))), (action, fields))
        for href in re.findall(r'href="(/[^"#]*)', html):
            path = urlsplit(unescape(href)).path
            if not SKIP_LINKS.search(path) and _shape(path) not in seen:
                seen.add(_shape(path))
                queue.append(path)
    return forms


def _post(client, action: str, data: dict, failures: list) -> None:
    try:
        response = client.post(action, data=data, headers={"Accept-Language": "en"})
        status = response.status_code
    except Exception as exc:  # noqa: BLE001  (the test app propagates what would be a 500)
        status = f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        db.session.rollback()
        with client.session_transaction() as session:  # nobody follows the redirects to read the flashes
            session.pop("_flashes", None)
    if not isinstance(status, int) or status >= 500:
        failures.append((action, {k: (v[:40] + "…") if len(v) > 40 else v for k, v in data.items()}, status))
        raise AssertionError(status)


def _fuzz(client, action: str, fields: dict, failures: list) -> None:
    names = sorted(fields)
    hostile = st.sampled_from(HOSTILE)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({name: hostile for name in names}))
    def attempt(values):
        _post(client, action, values, failures)

    with contextlib.suppress(AssertionError):  # recorded in failures; go on with the next form
        attempt()
    # 1 MB in each long-text field, year 9999 everywhere else: one post per form
    if names:
        big = next((n for n in names if n in ("description", "note", "notes", "reason", "comment", "text",
                                               "actions", "address", "name", "title")), names[0])
        with contextlib.suppress(AssertionError):
            _post(client, action, {n: (MEGABYTE if n == big else "9999-12-31") for n in names}, failures)


def test_no_page_form_answers_5xx_to_hostile_input(app, login):
    with app.test_request_context():
        demo.seed("small")
    db.session.commit()
    forms: dict[tuple, tuple[str | None, str, dict]] = {}
    for key, (action, fields) in _crawl(app.test_client(), ("/feedback", "/login")).items():  # no login
        forms.setdefault(key, (None, action, fields))
    for role in ROLES:
        found = _crawl(login(role))
        assert len(found) >= 2, f"{role}: only {len(found)} forms found"
        for key, (action, fields) in found.items():
            forms.setdefault(key, (role, action, fields))
    failures: list = []
    clients = {}
    for role, action, fields in forms.values():
        if role is None:
            clients[role] = app.test_client()
        elif role not in clients or clients[role].get("/").status_code != 200:  # a form may log us out
            clients[role] = login(role)
        _fuzz(clients[role], action, fields, failures)
    assert len(forms) >= 60  # 82 on the small demo city
    assert failures == [], "\n".join(map(str, failures[:20]))
