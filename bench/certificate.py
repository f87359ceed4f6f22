"""Certificate benchmark: issuing a 检定证书 and fetching its PDF, in a warm process (issue #25).

    python -m bench.certificate [--runs 40] [--budget-ms 150]

On a throwaway SQLite database it issues one certificate, then prints two medians:
- the render alone: that document rendered `--runs` times (the first, cold issue is reported apart);
- issue + fetch, the way the metering head works: `POST /api/v1/meter-tests/<id>/issue` then
  `GET /api/v1/documents/<number>.pdf` through the Flask test client, on a freshly recorded test each
  time (`--runs` rounds after one warm-up round). The budget applies to this one.
It FAILS LOUDLY (exit 1) when WeasyPrint is on the slow path: font subsetting not done by HarfBuzz (the
fontTools fallback is several times slower on a CJK font), or an embedded font that is not a small subset
(the whole WenQuanYi collection is ~5 MB). It also exits 1 when the issue + fetch median is over the budget.
"""
import argparse
import logging
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

BASE_URL = "https://gas.example.cn"
MAX_FONT_BYTES = 1_000_000  # a subset of a few hundred glyphs is tens of KB; the full font is ~5 MB


class _SlowPathWarnings(logging.Handler):
    """Catches WeasyPrint's own warnings that it fell back to fontTools or could not subset."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        message = record.getMessage()
        if "fontTools" in message or "Unable to subset" in message:
            self.messages.append(message)


def _setup_lab(app):
    """Staff, one bench standard and one installed meter, and a recorded, passing test."""
    from fieldsvc import clock
    from fieldsvc.core import demo
    from fieldsvc.customers.models import Customer, District, Meter, MeterInstallation
    from fieldsvc.extensions import db
    from fieldsvc.metering.models import Equipment

    today = clock.today()
    demo._districts()
    demo._staff(random.Random(1), today)
    from fieldsvc.auth.models import User
    staff = {u.username: u for u in db.session.query(User)}
    for user in staff.values():
        for q in user.qualifications:
            q.expires_on = today + timedelta(days=1000)
    district = db.session.query(District).first()
    customer = Customer(account_no="99000001", name="王小明", category="residential", gas="NG",
                        district_id=district.id, address="幸福小区 3栋 2单元 5层 502室")
    meter = Meter(serial_no="BENCH-0001", size="G2.5", accuracy_class="1.5", kind="diaphragm", location="indoor",
                  maker="金卡智能", start_reading=Decimal(0), digits=5, status="installed", customer=customer,
                  installed_on=today - timedelta(days=400), first_verified_on=date(2020, 1, 1))
    meter.installations.append(MeterInstallation(customer=customer, installed_on=meter.installed_on,
                                                 start_reading=Decimal(0)))
    bench = Equipment(name="钟罩式气体流量标准装置", serial_no="EQ-BENCH", calibration_cert="JZ2026-0815",
                      calibration_expires_on=today + timedelta(days=200), status="approved")
    db.session.add_all([customer, meter, bench])
    db.session.flush()
    return staff, _record_test(staff["metering_tech"], meter.id, bench.id)


def _record_test(tester, meter_id: int, bench_id: int):
    """A recorded, passing test of the bench meter (a new one for every issue the benchmark times)."""
    from fieldsvc.metering import rules, schemas
    from fieldsvc.metering.services import meter_tests

    points = [{"flow_m3h": str(f), "reference_l": "100.000", "indicated_l": i}
              for f, i in zip(rules.default_flows("G2.5"), ("100.520", "100.310", "99.780"), strict=True)]
    data = schemas.MeterTestIn().load({"meter_id": meter_id, "verification": "subsequent",
                                       "equipment_id": bench_id, "temperature_c": "20.5", "humidity_pct": "55",
                                       "leak_test_ok": True, "pressure_loss_pa": "150", "points": points})
    return meter_tests.record_test(tester, data)


def run(runs: int, budget_ms: float) -> int:
    from fieldsvc import create_app, pdf
    from fieldsvc.extensions import db
    from fieldsvc.metering.services import documents

    catcher = _SlowPathWarnings()
    logging.getLogger("weasyprint").addHandler(catcher)
    folder = Path(tempfile.mkdtemp(prefix="bench-cert-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}", "INSTANCE_PATH": str(folder),
                      "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "TESTING": True})
    with app.app_context(), app.test_request_context(base_url=BASE_URL):
        db.create_all()
        staff, test = _setup_lab(app)
        t0 = time.perf_counter()
        doc = documents.issue(staff["metering_head"], test, staff["metering_tech2"].id)
        cold_ms = (time.perf_counter() - t0) * 1000
        db.session.commit()
        timings, cpu = [], []
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            content = documents.render(doc)
            timings.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        mode = pdf.subsetting_mode()
        font_bytes = pdf.embedded_font_bytes(content)
        lab = {"tester": staff["metering_tech"].id, "checker": staff["metering_tech2"].id,
               "meter": test.meter_id, "bench": test.equipment_id}
    flow, flow_cpu, served, fetch_problems = _issue_and_fetch(app, lab, runs)
    served_font_bytes = pdf.embedded_font_bytes(served)
    median = statistics.median(timings)
    print(f"certificate render: median {median:.1f} ms over {runs} warm runs "
          f"(min {min(timings):.1f}, max {max(timings):.1f}; CPU median {statistics.median(cpu):.1f} ms; "
          f"first issue incl. cold start {cold_ms:.0f} ms)")
    flow_median = statistics.median(flow)
    print(f"issue + fetch (POST …/issue, GET …pdf): median {flow_median:.1f} ms over {runs} fresh tests "
          f"(min {min(flow):.1f}, max {max(flow):.1f}; CPU median {statistics.median(flow_cpu):.1f} ms)")
    print(f"PDF {len(content):,} bytes, embedded fonts {font_bytes:,} bytes, subsetting: {mode}")
    problems = list(fetch_problems)
    if served_font_bytes > MAX_FONT_BYTES:
        problems.append(f"the served PDF embeds {served_font_bytes:,} bytes of fonts: the CJK font is not subset")
    if mode != "harfbuzz":
        problems.append("WeasyPrint is NOT subsetting fonts with HarfBuzz (fontTools fallback): install "
                        "libharfbuzz-subset0 (HarfBuzz ≥ 4.1)")
    if catcher.messages:
        problems.append("WeasyPrint warned: " + "; ".join(sorted(set(catcher.messages))))
    if font_bytes > MAX_FONT_BYTES:
        problems.append(f"embedded fonts are {font_bytes:,} bytes: the CJK font is not subset (fat PDF)")
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    if problems:
        print("=" * 72 + "\nCERTIFICATE BENCHMARK FAILED: rendering is on the slow path\n" + "=" * 72,
              file=sys.stderr)
        return 1
    if flow_median > budget_ms:
        print(f"FAIL: issue + fetch median {flow_median:.1f} ms is over the {budget_ms:.0f} ms budget (fonts are "
              "subset by HarfBuzz: is the machine busy? compare the CPU median)", file=sys.stderr)
        return 1
    print(f"OK: issue + fetch within the {budget_ms:.0f} ms budget, fonts subset by HarfBuzz")
    return 0


def _issue_and_fetch(app, lab: dict, runs: int) -> tuple[list[float], list[float], bytes, list[str]]:
    """Time what the metering head does: issue a fresh test, then fetch its PDF (two API requests).

    Each request pushes its own app context, as in production; the test is recorded (untimed) before.
    One untimed round first warms the request path (schemas, routing, the API's first-use costs).
    Also returns what the fetch did wrong: render the PDF again, or serve other bytes than were issued.
    """
    from fieldsvc.metering.services import documents

    rendered, real_render = [], documents.render  # counts renders, to catch a fetch that renders again
    documents.render = lambda document: rendered.append(document.number) or real_render(document)
    try:
        return _timed_rounds(app, lab, runs, rendered)
    finally:
        documents.render = real_render


def _timed_rounds(app, lab: dict, runs: int, rendered: list) -> tuple[list[float], list[float], bytes, list[str]]:
    import hashlib

    from fieldsvc.auth.models import User
    from fieldsvc.core.demo import DEMO_PASSWORD
    from fieldsvc.extensions import db

    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "metering_head", "password": DEMO_PASSWORD},
                        base_url=BASE_URL)
    assert token.status_code == 200, token.json
    headers = {"Authorization": f"Bearer {token.json['token']}"}
    wall, cpu, content, wrong = [], [], b"", []
    for i in range(runs + 1):
        with app.app_context(), app.test_request_context(base_url=BASE_URL):
            test_id = _record_test(db.session.get(User, lab["tester"]), lab["meter"], lab["bench"]).id
            db.session.commit()
        t0, c0 = time.perf_counter(), time.process_time()
        issued = client.post(f"/api/v1/meter-tests/{test_id}/issue", json={"checker_id": lab["checker"]},
                             headers=headers, base_url=BASE_URL)
        renders_at_issue = len(rendered)
        fetched = client.get(issued.json["pdf_url"], headers=headers, base_url=BASE_URL) \
            if issued.status_code == 201 else None
        elapsed, used = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
        assert issued.status_code == 201, issued.json
        assert fetched.status_code == 200 and fetched.data.startswith(b"%PDF"), fetched.status
        content = fetched.data
        if len(rendered) != renders_at_issue:
            wrong.append("fetching the PDF rendered it again (it must serve the bytes stored at issue)")
        if hashlib.sha256(content).hexdigest() != issued.json["sha256"]:
            wrong.append("the fetched PDF is not byte for byte the one issued (SHA-256 differs)")
        if i:  # round 0 warms up
            wall.append(elapsed)
            cpu.append(used)
    return wall, cpu, content, sorted(set(wrong))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--budget-ms", type=float, default=150.0)
    args = parser.parse_args(argv)
    return run(args.runs, args.budget_ms)


if __name__ == "__main__":
    sys.exit(main())
