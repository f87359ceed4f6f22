"""Field pages keep what Lighthouse checks for accessibility (bench/lighthouse.py measures the scores; this
guards the basics cheaply): a language, a zoomable viewport, a name for every form control, alt text, headings
in order. Static files and the service worker are revalidated (a repeat costs a 304), never long-cached."""
from datetime import date
from html.parser import HTMLParser
from itertools import pairwise

from sqlalchemy import select

from fieldsvc.auth.models import User
from fieldsvc.core import demo
from fieldsvc.customers.models import Customer
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.readings.models import Route

CONTROLS = {"input", "select", "textarea"}
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}


class Page(HTMLParser):
    """What the checks need: the html lang, the viewport, form controls and whether each has a name."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.viewport = None
        self.label_for: set[str] = set()
        self.controls: list[tuple[str, dict, bool]] = []  # (tag, attributes, inside a <label>)
        self.images: list[dict] = []
        self.headings: list[int] = []
        self.buttons: list[list] = []  # [attributes, text]
        self.open_labels = 0

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "meta" and a.get("name") == "viewport":
            self.viewport = a.get("content", "")
        elif tag == "label":
            self.open_labels += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in CONTROLS:
            if tag != "input" or a.get("type", "text") not in UNLABELLED_INPUTS:
                self.controls.append((tag, a, self.open_labels > 0))
        elif tag == "img":
            self.images.append(a)
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        elif tag == "button":
            self.buttons.append([a, ""])

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels = max(0, self.open_labels - 1)

    def handle_data(self, data):
        if self.buttons:
            self.buttons[-1][1] += data.strip()

    def unnamed_controls(self) -> list[str]:
        return [f"<{tag} {a}>" for tag, a, wrapped in self.controls
                if not (wrapped or a.get("id") in self.label_for or a.get("aria-label") or a.get("aria-labelledby")
                        or a.get("title"))]


def check(html: str) -> list[str]:
    page = Page()
    page.feed(html)
    problems = []
    if not page.lang:
        problems.append("<html> has no lang")
    if page.viewport is None or "width=device-width" not in page.viewport:
        problems.append("no mobile viewport")
    elif "user-scalable=no" in page.viewport.replace(" ", "") or "maximum-scale=1" in page.viewport.replace(" ", ""):
        problems.append("viewport forbids zooming")
    problems += [f"control without a label: {c}" for c in page.unnamed_controls()]
    problems += [f"image without alt: {a}" for a in page.images if "alt" not in a]
    problems += [f"button without a name: {a}" for a, text in page.buttons
                 if not (text or a.get("aria-label") or a.get("title"))]
    if page.headings.count(1) != 1:
        problems.append(f"{page.headings.count(1)} <h1> (one expected)")
    for before, after in pairwise(page.headings):
        if after > before + 1:
            problems.append(f"heading order skips a level: h{before} → h{after}")
    return problems


def test_checks_find_the_problems_they_guard():
    assert check('<html><body><input name="q"><img src="x"><h1>a</h1><h3>b</h3></body></html>') == [
        "<html> has no lang", "no mobile viewport", "control without a label: <input {'name': 'q'}>",
        "image without alt: {'src': 'x'}", "heading order skips a level: h1 → h3"]
    assert check('<html lang="en"><meta name="viewport" content="width=device-width, initial-scale=1">'
                 '<h1>a</h1><label for="q">Q</label><input id="q"><label>R <select name="r"></select></label>'
                 '<button type="submit">Go</button></html>') == []


def test_field_pages_are_accessible(db, client, login):
    demo.seed("small", date(2026, 11, 28))
    db.session.commit()
    reader = db.session.execute(select(User.id).where(User.username == "meter_reader")).scalar_one()
    tech = db.session.execute(select(User.id).where(User.username == "repair_tech")).scalar_one()
    route = db.session.execute(select(Route.id).where(Route.reader_id == reader).order_by(Route.id)).scalars().first()
    household = db.session.execute(select(Customer.id).where(Customer.category == "residential")
                                   .order_by(Customer.id)).scalars().first()
    order = db.session.execute(select(WorkOrder.id).where(WorkOrder.assignee_id == tech)
                               .order_by(WorkOrder.id)).scalars().first()
    pages = {
        "/login": client,
        "/dispatch/jobs": login("repair_tech"),
        f"/dispatch/orders/{order}": login("repair_tech"),
        f"/inspections/new/{household}": login("repair_tech"),
        f"/readings/routes/{route}": login("meter_reader"),
        f"/readings/routes/{route}/stops/1": login("meter_reader"),
    }
    found = {}
    for path, user_client in pages.items():
        response = user_client.get(path)
        assert response.status_code == 200, path
        problems = check(response.get_data(as_text=True))
        if problems:
            found[path] = problems
    assert not found


def test_static_files_are_revalidated_not_long_cached(client):
    """Static URLs carry no version, and the service worker's install copies them from the HTTP cache: a
    long max-age would let a new version keep yesterday's files. An ETag makes a repeat cost a 304."""
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.cache_control.no_cache and not response.cache_control.max_age
    assert client.get("/static/css/app.css", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    worker = client.get("/sw.js")
    assert worker.headers["Cache-Control"] == "no-cache"
    # The browser checks for a new worker on every page load: unchanged, that costs a 304, not the script.
    assert client.get("/sw.js", headers={"If-None-Match": worker.headers["ETag"]}).status_code == 304
