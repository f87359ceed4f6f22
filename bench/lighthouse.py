"""Lighthouse mobile scores and page weight of the field pages (a benchmark, not a test; not in CI).

    (cd bench/lighthouse && npm ci)      # once: lighthouse 12, pinned in bench/lighthouse/package.json
    .venv/bin/python -m bench.lighthouse [--runs 3] [--all] [--verbose] [--weight-only] [--gzip-level N] [--keep]

Serves the small demo (seeded SQLite in a temp dir) with gunicorn on a free port, logs in as the page's demo
user (the session cookie goes to Lighthouse as an extra Cookie header) and runs Lighthouse 12 (mobile, the
default form factor: simulated slow 4G and 4x CPU slowdown) on Debian's Chromium for the login page, the
technician's jobs, a reader's route stop and a household inspection form (--all: a few more field pages).

Then the page weight, in Chromium driven by Playwright: a first load in a fresh profile (cold cache, no
service worker yet) and the same page again, counted from gunicorn's access log: what reached the server
went over the network, what came from the HTTP cache or the service worker's cache did not. The first load
is split into the page's own requests (HTML, CSS, JS, icons) and its service worker's (the install's
precache of the app shell, pages kept for offline use). The target (60 KB) is for the page's own.

Compression: gunicorn sends everything uncompressed. In production nginx serves /static/ itself and gzips
(deploy/nginx.conf; this reads its gzip_types, gzip_comp_level and gzip_min_length, text/html always), so
"served" is each response's headers plus its body gzipped as that nginx would send it; "raw" is as gunicorn
sent it. Lighthouse itself sees the uncompressed responses (a worse case than production).
Results also go to bench/out/lighthouse.md. Exit status 1 when a target is missed.
"""
import argparse
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.http import Session
from bench.pages import KEY_PAGES
from bench.run import PASSWORD, env_for, flask, free_port, resolve, serve

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET_SCORE, TARGET_KB = 95, 60
_KEYS = {name: (user, path) for name, user, path in KEY_PAGES}

# (name, demo user or None, path): the key pages from bench/pages.py plus the inspection form.
PAGES = [
    ("login page", None, "/login"),
    ("technician's jobs", *_KEYS["technician's jobs"]),
    ("reader's route stop", *_KEYS["reader's route stop"]),
    ("household inspection", "repair_tech", "/inspections/new/{household_id}"),
]
# --all: more field pages, for a wider look (not in the list).
MORE_PAGES = [
    ("job (work order)", "repair_tech", "/dispatch/orders/{order_id}"),
    ("reader's route", "meter_reader", "/readings/routes/{route_id}"),
    ("inspector's page", "repair_tech", "/inspections/"),
    ("outbox", "repair_tech", "/outbox"),
]


def more_ids(url: str) -> dict:
    """A household to inspect, the technician's first order (bench.run.resolve gives the rest)."""
    from sqlalchemy import create_engine, text

    from fieldsvc.config import normalise_db_url
    engine = create_engine(normalise_db_url(url))
    with engine.connect() as conn:
        values = {
            "household_id": conn.execute(text("SELECT id FROM customers WHERE category = 'residential' "
                                              "ORDER BY id LIMIT 1")).scalar(),
            "order_id": conn.execute(text("SELECT o.id FROM work_orders o JOIN users u ON u.id = o.assignee_id "
                                          "WHERE u.username = 'repair_tech' ORDER BY o.id LIMIT 1")).scalar(),
        }
    engine.dispose()
    return values


def cookie_for(port: int, user: str | None) -> str | None:
    if not user:
        return None
    session = Session("127.0.0.1", port)
    session.login(user, PASSWORD)
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items())


# --- Lighthouse -------------------------------------------------------------------------------------------

def lighthouse(url: str, cookie: str | None, out: Path) -> dict:
    args = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=--headless=new --no-sandbox"]
    if cookie:
        args.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(args, check=True, env=dict(os.environ, CHROME_PATH=CHROMIUM))
    report = json.loads(out.read_text())
    final = report.get("finalDisplayedUrl") or report.get("finalUrl")
    if final.split("?")[0] != url.split("?")[0]:
        raise RuntimeError(f"Lighthouse ended on {final}, not {url} (login failed?)")
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse: {report['runtimeError']}")
    documents = [item for item in report["audits"]["network-requests"]["details"]["items"]
                 if item.get("resourceType") == "Document"]
    if not documents or documents[0].get("statusCode") != 200:
        raise RuntimeError(f"{url} did not answer 200 to Lighthouse")
    return report


def scores(report: dict) -> dict[str, int]:
    return {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}


def failing(report: dict) -> list[str]:
    """The audits that cost points: (category, audit id, score, title)."""
    lines = []
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                lines.append(f"  {cat}: {ref['id']} = {audit['score']:.2f} {value} — {audit['title']}")
                for item in (audit.get("details") or {}).get("items", [])[:5]:
                    node = item.get("node") or {}
                    where = node.get("snippet") or item.get("url") or ""
                    if where:
                        lines.append(f"      {where[:150]}")
    return lines


# --- page weight (Playwright + Chromium) ------------------------------------------------------------------

@dataclass
class Load:
    """What one navigation transferred, split into the page's own requests and its service worker's (install
    precache, pages kept for offline use). raw = headers + body as gunicorn sent them; served = headers +
    body gzipped as nginx would send it."""
    requests: dict = field(default_factory=lambda: {"page": 0, "sw": 0})
    raw: dict = field(default_factory=lambda: {"page": 0, "sw": 0})
    served: dict = field(default_factory=lambda: {"page": 0, "sw": 0})
    items: list = field(default_factory=list)

    def add(self, who: str, status: int, url: str, raw: int, served: int) -> None:
        self.requests[who] += 1
        self.raw[who] += raw
        self.served[who] += served
        self.items.append((who, status, url, raw, served))


@dataclass
class Nginx:
    """The gzip settings of deploy/nginx.conf, which serves /static/ itself and proxies the rest."""
    types: frozenset
    level: int
    min_length: int

    @classmethod
    def from_conf(cls, path: Path = ROOT / "deploy" / "nginx.conf", level: int | None = None) -> "Nginx":
        text = path.read_text()
        types = re.search(r"^\s*gzip_types\s+([^;]+);", text, re.M)
        comp = re.search(r"^\s*gzip_comp_level\s+(\d+);", text, re.M)
        least = re.search(r"^\s*gzip_min_length\s+(\d+);", text, re.M)
        return cls(frozenset(["text/html", *(types.group(1).split() if types else [])]),
                   level or (int(comp.group(1)) if comp else 1), int(least.group(1)) if least else 20)

    def compresses(self, url: str, content_type: str, size: int) -> bool:
        kind = content_type.split(";")[0].strip()
        path = urllib.parse.urlsplit(url).path
        if path.startswith("/static/"):  # nginx's own mime.types, not the app's
            kind = STATIC_TYPES.get(Path(path).suffix, kind)
        return size >= self.min_length and kind in self.types


STATIC_TYPES = {".js": "application/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


ACCESS_LOG_FORMAT = '%(s)s %(B)s %({sec-fetch-dest}i)s "%(r)s"'
LOG_LINE = re.compile(r'^(\d{3}) (\d+|-) (\S+) "(\w+) (\S+) ')


class Fetched:
    """Each URL's headers and body, fetched once with the page's cookie (to size and gzip them)."""

    def __init__(self, base: str, cookie: str | None):
        self.base, self.cookie, self.seen = base, cookie, {}

    def __call__(self, path: str) -> tuple[int, str, bytes]:
        if path not in self.seen:
            request = urllib.request.Request(self.base + path, headers={"Cookie": self.cookie} if self.cookie else {})
            with urllib.request.urlopen(request) as answer:
                body = answer.read()
                head = 17 + sum(len(k) + len(v) + 4 for k, v in answer.headers.items()) + 2
                self.seen[path] = (head, answer.headers.get("Content-Type", ""), body)
        return self.seen[path]


def measure_load(page, url: str, log: Path, fetched: Fetched, nginx: Nginx) -> Load:
    """Navigate, let the network settle and the service worker finish installing, and count what reached the
    server, from its access log: whatever came from the HTTP cache or the service worker's cache never does.
    A request the page made (seen by Playwright) is the page's, whether or not its service worker passed it
    on; the rest (install precache, pages kept for offline use, the worker's own scripts) is the worker's.
    A 304 costs its headers; sizes are the bodies as served now."""
    start = log.stat().st_size
    asked = Counter()

    def on_request(request):
        asked[urllib.parse.urlsplit(request.url).path] += 1

    page.on("request", on_request)
    document = page.goto(url, wait_until="load")
    if document.status != 200 or document.url != url:
        raise RuntimeError(f"{url} answered {document.status} at {document.url}")
    page.wait_for_load_state("networkidle")
    page.evaluate("navigator.serviceWorker ? navigator.serviceWorker.ready.then(() => true) : true")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    page.remove_listener("request", on_request)
    with log.open("rb") as f:
        f.seek(start)
        lines = f.read().decode().splitlines()
    load = Load()
    for line in lines:
        match = LOG_LINE.match(line)
        if not match or match.group(3) == "-":
            continue  # not the browser's (this script's own fetches send no Sec-Fetch-Dest)
        status, _, _, _, target = match.groups()
        path = urllib.parse.urlsplit(target).path
        who = "page" if asked[path] > 0 else "sw"
        asked[path] -= who == "page"
        head, content_type, body = fetched(target)
        size = len(body) if status == "200" else 0
        served = size
        if status == "200" and nginx.compresses(path, content_type, size):
            served = min(size, len(gzip.compress(body, nginx.level)))
        load.add(who, int(status), target, head + size, head + served)
    return load


def page_weights(base: str, pages: list, cookies: dict, log: Path, nginx: Nginx) -> dict[str, tuple[Load, Load]]:
    """First load in a fresh browser context (cold cache, no service worker), then the same page again."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, _, path in pages:
            context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                          service_workers="allow")
            cookie = cookies.get(name)
            if cookie:
                context.add_cookies([{"name": k, "value": v, "url": base} for k, v in
                                     (pair.split("=", 1) for pair in cookie.split("; "))])
            page = context.new_page()
            fetched = Fetched(base, cookie)
            first = measure_load(page, base + path, log, fetched, nginx)
            repeat = measure_load(page, base + path, log, fetched, nginx)
            results[name] = (first, repeat)
            context.close()
        browser.close()
    return results


# --- the run ----------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median performance)")
    parser.add_argument("--verbose", action="store_true", help="list the audits that cost points, and requests")
    parser.add_argument("--weight-only", action="store_true", help="skip Lighthouse, measure page weight only")
    parser.add_argument("--gzip-level", type=int, help="gzip level for nginx instead of the config's")
    parser.add_argument("--nginx-conf", type=Path, default=ROOT / "deploy" / "nginx.conf",
                        help="the nginx config whose gzip settings model the served bytes (try a change)")
    parser.add_argument("--all", action="store_true", help="also a few more field pages")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (reports, database)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: (cd bench/lighthouse && npm ci)", file=sys.stderr)
        return 2
    nginx = Nginx.from_conf(args.nginx_conf, level=args.gzip_level)
    tmp = Path(tempfile.mkdtemp(prefix="fieldsvc-lighthouse-"))
    url = f"sqlite:///{tmp / 'small.db'}"
    env = env_for(url, tmp)
    flask(env, "db", "upgrade")
    flask(env, "seed-demo", "--size", "small")
    ids = dict(resolve(url), **more_ids(url))
    pages = [(name, user, path.format(**ids)) for name, user, path in PAGES + (MORE_PAGES if args.all else [])]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp / "access.log"
    env["GUNICORN_CMD_ARGS"] = f"--access-logfile {log} --access-logformat '{ACCESS_LOG_FORMAT}'"
    proc = serve(env, port)
    rows, notes = [], []
    try:
        cookies = {name: cookie_for(port, user) for name, user, _ in pages}
        for name, _, path in ([] if args.weight_only else pages):
            runs = []
            for i in range(args.runs):
                report = lighthouse(base + path, cookies[name], tmp / f"{name.replace(' ', '_')}-{i}.json")
                runs.append((scores(report), report))
            runs.sort(key=lambda r: r[0]["performance"])
            score, report = runs[len(runs) // 2]
            weight = report["audits"]["total-byte-weight"]["numericValue"]
            rows.append((name, score, weight, [r[0]["performance"] for r in runs]))
            if args.verbose:
                notes += [f"{name} ({path}):", *failing(report)]
        weights = page_weights(base, pages, cookies, log, nginx)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)

    lines = [
        f"Lighthouse {lighthouse_version()} · mobile (default: Moto G Power, simulated slow 4G, 4× CPU) · "
        f"{chromium_version()} headless · gunicorn, no compression · small demo on SQLite · "
        f"{args.runs} run(s) per page, median performance",
        "",
        "| page | performance | accessibility | best practices | SEO | Lighthouse total byte weight (uncompressed) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, score, weight, perf in rows:
        spread = f" ({'/'.join(map(str, perf))})" if len(perf) > 1 else ""
        lines.append(f"| {name} | {score['performance']}{spread} | {score['accessibility']} | "
                     f"{score['best-practices']} | {score['seo']} | {weight / 1024:.1f} KB |")
    lines += [
        "",
        f"Page weight in Chromium (Playwright, 360×740), from the server's access log: raw = as gunicorn sent it, "
        f"served = gzipped as {args.nginx_conf.name} would (level {nginx.level}; {' '.join(sorted(nginx.types))}). "
        "First load = cold cache: the page's own requests, then its service worker's (install precache, pages "
        "kept offline); repeat = the same page again, service worker installed.",
        "",
        "| page | first load: requests | raw KB | served KB | + service worker: requests | raw KB | served KB "
        "| first load in all: served KB | repeat: requests | raw KB | served KB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, _, _ in pages:
        first, repeat = weights[name]
        lines.append(f"| {name} | {first.requests['page']} | {kb(first.raw['page'])} | {kb(first.served['page'])} | "
                     f"{first.requests['sw']} | {kb(first.raw['sw'])} | {kb(first.served['sw'])} | "
                     f"{kb(sum(first.served.values()))} | "
                     f"{sum(repeat.requests.values())} | {kb(sum(repeat.raw.values()))} | "
                     f"{kb(sum(repeat.served.values()))} |")
        if args.verbose:
            for label, load in (("first", first), ("repeat", repeat)):
                notes += [f"  {name} {label}: {who} {status} {u.replace(base, '')} raw {raw} served {served}"
                          for who, status, u, raw, served in load.items]
    text = "\n".join(lines)
    print(text)
    if notes:
        print("\n" + "\n".join(notes))
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "lighthouse.md").write_text(text + "\n")
    if args.keep:
        print(f"\nReports and database kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    misses = [name for name, score, _, _ in rows
              if min(score[c] for c in ("performance", "accessibility", "best-practices")) < TARGET_SCORE]
    heavy = [name for name, _, _ in pages if weights[name][0].served["page"] > TARGET_KB * 1024]
    for what, names in (("scores under 95", misses), (f"first load over {TARGET_KB} KB", heavy)):
        if names:
            print(f"Target missed ({what}): {', '.join(names)}", file=sys.stderr)
    return 1 if misses or heavy else 0


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def lighthouse_version() -> str:
    return subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()


def chromium_version() -> str:
    out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    return " ".join(out.split()[:2])


if __name__ == "__main__":
    raise SystemExit(main())
