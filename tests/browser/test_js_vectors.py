"""Each live preview in static/js against the shared vectors (tests/vectors) that rules.py passes too
(tests/<domain>/test_vectors.py): a preview that drifts from its rule fails here.

The scripts run in Chromium on an app page (its Content-Security-Policy in force), loaded with a plain
<script src>, and are called through window.fieldsvc.<domain>. The figures a page carries (meter figures,
pressure bands, LEC bands) come from where the server takes them."""
from decimal import Decimal

import pytest

from fieldsvc.inspections.services import common as inspections_common
from fieldsvc.metering import rules as metering_rules
from fieldsvc.uploads import MAX_SIDE
from tests import factories
from tests.browser.conftest import log_in
from tests.vectors import load


@pytest.fixture
def page_with(page, base_url):
    """An app page (the login page: no session needed), with one of static/js loaded when named."""
    def load_script(name: str | None):
        page.goto(f"{base_url}/login")
        if name:
            page.add_script_tag(url=f"/static/js/{name}")
        return page
    return load_script


def _each(page, script: str, vectors: list[dict]) -> list:
    """Runs `script` (a JS function of one vector's input) on every vector in one round trip."""
    return page.evaluate(f"vectors => vectors.map(v => ({script})(v.input))", vectors)


def test_meter_error_matches_rules(page_with):
    vectors = load("meter_error")
    page = page_with("metering.js")
    got = _each(page, "i => window.fieldsvc.metering.error(i.reference_l, i.indicated_l)", vectors)
    for vector, text in zip(vectors, got, strict=True):
        assert Decimal(text) == Decimal(vector["expected"]), vector["case"]
        assert len(text.split(".")[1]) == 2, text  # shown with two decimals, as on the certificate


def test_meter_points_match_rules(page_with):
    vectors = load("meter_point")
    for vector in vectors:
        i = vector["input"]
        vector["input"] = {**i, "figures": metering_rules.page_figures(i["size"], i["accuracy_class"])}
    page = page_with("metering.js")
    got = _each(page, "i => window.fieldsvc.metering.point(i.figures, i.verification, i.flow_m3h, "
                      "i.reference_l, i.indicated_l)", vectors)
    for vector, point in zip(vectors, got, strict=True):
        expected = vector["expected"]
        if expected["zone"] is None:
            assert point["state"] == "range", vector["case"]
            continue
        assert point["state"] == "done", vector["case"]
        assert (point["zone"], Decimal(point["mpe"]), Decimal(point["error"]), point["ok"]) == (
            expected["zone"], Decimal(expected["mpe"]), Decimal(expected["error"]), expected["ok"]), vector["case"]


def test_meter_pressure_loss_matches_rules(page_with):
    vectors = load("meter_pressure_loss")
    for vector in vectors:
        vector["input"] = {**vector["input"], "figures": metering_rules.page_figures(vector["input"]["size"], "1.5")}
    page = page_with("metering.js")
    got = _each(page, "i => window.fieldsvc.metering.lossWithin(i.figures, i.pressure_loss_pa)", vectors)
    assert got == [v["expected"] for v in vectors]


def test_stove_pressure_matches_rules(page_with, live_server):
    vectors = load("stove_pressure")
    with live_server.app.app_context():
        bands = inspections_common.bands()  # what the inspection form carries in data-bands
    for vector in vectors:
        vector["input"] = {**vector["input"], "band": bands[vector["input"]["gas"]],
                           "share": str(inspections_common.rules.RESTRICTION_SHARE)}
    page = page_with("inspections.js")
    got = _each(page, "i => window.fieldsvc.inspections.pressure(i.band, i.share, "
                      "i.static_pa === null ? NaN : i.static_pa, i.working_pa)", vectors)
    for vector, result in zip(vectors, got, strict=True):
        expected = vector["expected"]
        assert result["verdict"] == expected["verdict"], vector["case"]
        assert result["restricted"] is bool(expected["restriction"]), vector["case"]


def test_consumption_hint_matches_rules(page_with):
    """readings.js reads its figures from the register field once: one fresh page per vector, through the DOM."""
    for vector in load("consumption"):
        i = vector["input"]
        page = page_with(None)
        page.evaluate("""i => {
            const input = document.createElement("input");
            input.className = "reading-input";
            input.setAttribute("data-previous", i.previous);
            input.setAttribute("data-limit", String(10 ** i.digits));
            input.setAttribute("data-used", "{m3}");
            const hint = document.createElement("p");
            hint.id = "consumption-hint";
            document.body.append(input, hint);
        }""", i)
        page.add_script_tag(url="/static/js/readings.js")
        page.fill(".reading-input", i["value"])
        assert Decimal(page.text_content("#consumption-hint")) == Decimal(vector["expected"]), vector["case"]


def test_cash_change_matches_rules(page_with):
    vectors = load("cash_change")
    page = page_with("cardsales.js")
    got = _each(page, "i => { const c = window.fieldsvc.cardsales; "
                      "return c.change(c.cents(i.due), c.cents(i.paid)); }", vectors)
    for vector, change in zip(vectors, got, strict=True):
        expected = vector["expected"]
        assert change["short"] is expected["short"], vector["case"]
        signed = -change["cents"] if change["short"] else change["cents"]
        assert Decimal(signed) / 100 == Decimal(expected["difference"]), vector["case"]


def test_lec_and_aspects_match_rules(page, base_url):
    """The HSE forms' own bands and thresholds (data-bands, data-thresholds), with hse.js as the page loads it."""
    log_in(page, base_url, "safety_officer")
    page.goto(f"{base_url}/hse/hazards/new")
    vectors = load("lec")
    got = page.evaluate("""vectors => {
        const bands = JSON.parse(document.querySelector("form[data-lec]").getAttribute("data-bands"));
        return vectors.map(v => window.fieldsvc.hse.lec(bands, v.input.l, v.input.e, v.input.c,
                                                        v.input.criteria.length > 0));
    }""", vectors)
    for vector, result in zip(vectors, got, strict=True):
        expected = vector["expected"]
        assert (Decimal(str(result["d"])), result["grade"], result["significant"]) == (
            Decimal(expected["d"]), expected["grade"], expected["significant"]), vector["case"]

    page.goto(f"{base_url}/hse/aspects/new")
    vectors = load("aspect")
    got = page.evaluate("""vectors => {
        const thresholds = JSON.parse(document.querySelector("form[data-aspect]").getAttribute("data-thresholds"));
        return vectors.map(v => window.fieldsvc.hse.aspect(thresholds, v.input.kind, v.input.scores));
    }""", vectors)
    assert got == [v["expected"] for v in vectors]


def _big_jpeg() -> bytes:
    return factories.jpeg((3200, 2400), (90, 120, 160))


def test_every_photo_input_shrinks_to_the_servers_limit(page, base_url):
    """photos.js on a page that never loaded dispatch.js (the hazard report): a camera-sized photo leaves the
    phone cut to MAX_SIDE, the server's own limit, as a JPEG."""
    log_in(page, base_url, "meter_reader")
    page.goto(f"{base_url}/hse/report")
    page.set_input_files("#f-photo", files=[{"name": "riser.png", "mimeType": "image/jpeg", "buffer": _big_jpeg()}])
    page.wait_for_function("() => !document.querySelector('form [data-shrinking], form[data-shrinking]')"
                           " && document.querySelector('#f-photo').files[0].name === 'riser.jpg'")
    size = page.evaluate("""async () => {
        const file = document.querySelector("#f-photo").files[0];
        const bitmap = await createImageBitmap(file);
        return {width: bitmap.width, height: bitmap.height, type: file.type};
    }""")
    assert (size["width"], size["height"], size["type"]) == (MAX_SIDE, MAX_SIDE * 3 // 4, "image/jpeg")
    assert page.locator("form button[type=submit]").last.is_enabled()
