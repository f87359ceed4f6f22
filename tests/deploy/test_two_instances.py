"""Two app instances, one PostgreSQL, one Redis: what must hold when fieldsvc grows past one machine.

Instances A and B are real gunicorn processes started with `deploy/gunicorn.conf.py` (2 workers each) on two
free ports, each with its own instance folder (its own "local disk"), sharing only what docs/DEPLOY.md says
hosts share: the database, SECRET_KEY, the Redis rate-limit store and the upload folder. They sit behind
nginx in production, so FIELDSVC_PROXIES=1 and every simulated phone sends its own X-Forwarded-For.
The database is a fresh one of this test's own (`flask db upgrade` + `flask seed-demo`), dropped at the end;
the Redis keys carry a per-run prefix and only those are deleted.

Checked across the two instances (docs/DEPLOY.md "Growing past one machine"):
- sessions and CSRF tokens: a form from A posts to B, a login on one is a login on the other, and logout
  or the director's "end all sessions" on one ends it on the other (browser sessions and API tokens);
- the login throttle counts in Redis: failed logins alternating A/B are refused at the configured count,
  per account and per address (and, as a control, two memory:// instances would let twice as many through);
- idempotent creates and batch sync: the same client_id sent to A and B at once makes one row, and both
  answers name it;
- order locking: two station chiefs assigning one order at the same moment via A and via B, exactly one
  wins, the other gets 409 and the order's history holds one assignment;
- uploads: a photo taken on A is served by B (shared upload folder);
- deploy/nginx.conf in front of both (nginx is installed by make system-deps): requests spread over A and B, HTTPS is seen,
  a forged X-Forwarded-For does not escape the throttle;
- the audit chain written by all those worker processes is intact, and nothing answered 5xx.

Runs in the PostgreSQL pass (TEST_DATABASE_URL=postgresql://…: the server it names hosts the throwaway
database); Redis from TEST_REDIS_URL (default redis://127.0.0.1:6379/15) must be reachable then.
"""
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from fieldsvc.config import Defaults
from fieldsvc.core.demo import DEMO_PASSWORD
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TIMEOUT = 30  # seconds for one HTTP request
ROUNDS = 5  # races per check: more chances for the two requests to really overlap

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not ON_POSTGRES, reason="two app instances need one shared PostgreSQL: set "
                                                "TEST_DATABASE_URL=postgresql://… (the PostgreSQL pass of make test)"),
]


# --- the cluster ----------------------------------------------------------------------------------------

@dataclass
class Instance:
    name: str
    url: str
    proc: subprocess.Popen
    log: Path


@dataclass
class Cluster:
    env: dict
    db_url: str
    redis: object
    prefix: str
    uploads: Path
    tmp: Path
    instances: list = field(default_factory=list)

    @property
    def a(self) -> Instance:
        return self.instances[0]

    @property
    def b(self) -> Instance:
        return self.instances[1]

    def sql(self, query: str, *args):
        import psycopg
        with psycopg.connect(self.db_url, autocommit=True) as conn:
            return conn.execute(query, args).fetchall()

    def scalar(self, query: str, *args):
        return self.sql(query, *args)[0][0]

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=self.env, capture_output=True,
                              text=True, timeout=120)

    def start(self, name: str, workers: int, **extra_env) -> Instance:
        port = _free_port()
        folder = self.tmp / name
        folder.mkdir()
        env = {**self.env, "FIELDSVC_BIND": f"127.0.0.1:{port}", "FIELDSVC_WORKERS": str(workers),
               "FIELDSVC_INSTANCE_PATH": str(folder / "instance"), **extra_env}
        log = folder / "gunicorn.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                                    env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        instance = Instance(name, f"http://127.0.0.1:{port}", proc, log)
        self.instances.append(instance)
        return instance

    def wait_healthy(self, instance: Instance, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if instance.proc.poll() is not None:
                break
            try:
                if _get(instance.url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        tail = instance.log.read_text(errors="replace")[-3000:]
        pytest.fail(f"instance {instance.name} ({instance.url}) did not answer /healthz:\n{tail}")

    def stop(self, *instances: Instance) -> None:
        """Stop the given instances together: gunicorn's quick shutdown (SIGINT), and after a few seconds
        SIGKILL to the process group each was started in (its master and workers, nothing else)."""
        running = [i for i in instances if i.proc.poll() is None]
        for instance in running:
            instance.proc.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 3
        for instance in running:
            try:
                instance.proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(instance.proc.pid, signal.SIGKILL)
                instance.proc.wait(5)


def _http() -> requests.Session:
    http = requests.Session()
    http.trust_env = False  # straight to 127.0.0.1, whatever proxy the environment names
    return http


def _get(url: str, timeout: float = TIMEOUT, **kw):
    with _http() as http:
        return http.get(url, timeout=timeout, allow_redirects=False, **kw)


def _post(url: str, **kw):
    with _http() as http:
        return http.post(url, timeout=TIMEOUT, allow_redirects=False, **kw)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _urls(name: str) -> tuple[str, str]:
    """(URL to create and drop it from: the test database itself, URL of the throwaway database), for psycopg."""
    from sqlalchemy.engine import make_url
    url = make_url(TEST_DATABASE_URL).set(drivername="postgresql")
    return url.render_as_string(hide_password=False), url.set(database=name).render_as_string(hide_password=False)


def _redis():
    import redis
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {REDIS_URL} is unreachable ({exc}): the two-instance check needs it "
                    "(set TEST_REDIS_URL to point elsewhere)")
    return client


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    import psycopg
    redis_client = _redis()
    name = f"fieldsvc_2inst_{secrets.token_hex(4)}"
    admin_url, db_url = _urls(name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    tmp = tmp_path_factory.mktemp("two_instances")
    prefix = f"fieldsvc-2inst-{secrets.token_hex(4)}"
    uploads = tmp / "shared-uploads"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("FIELDSVC_") and k not in ("DATABASE_URL", "SECRET_KEY", "TEST_DATABASE_URL")}
    env.update({
        "FLASK_APP": "wsgi",
        "DATABASE_URL": db_url,
        "SECRET_KEY": secrets.token_hex(32),  # the one secret every host shares
        "FIELDSVC_RATELIMIT_STORAGE_URI": REDIS_URL,
        "FIELDSVC_RATELIMIT_KEY_PREFIX": prefix,  # this run's keys only: parallel runs do not collide
        "FIELDSVC_UPLOAD_FOLDER": str(uploads),
        "FIELDSVC_PROXIES": "1",  # behind nginx, as in deploy/env.example
        "FIELDSVC_INSTANCE_PATH": str(tmp / "cli-instance"),
        "FIELDSVC_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # cheap hashes keep the many logins fast
    })
    c = Cluster(env=env, db_url=db_url, redis=redis_client, prefix=prefix, uploads=uploads, tmp=tmp)
    try:
        done = c.flask("db", "upgrade")
        assert done.returncode == 0, done.stderr[-3000:]
        a, b = c.start("A", workers=2), c.start("B", workers=2)  # they boot while the demo city is seeded
        # The control pair for the throttle check: the same app with memory:// limits, 1 worker each.
        c.start("C", workers=1, FIELDSVC_RATELIMIT_STORAGE_URI="memory://")
        c.start("D", workers=1, FIELDSVC_RATELIMIT_STORAGE_URI="memory://")
        done = c.flask("seed-demo")
        assert done.returncode == 0, done.stderr[-3000:]
        c.wait_healthy(a)
        c.wait_healthy(b)
        yield c
    finally:
        c.stop(*c.instances)
        keys = list(redis_client.scan_iter(match=f"*{prefix}*"))
        if keys:
            redis_client.delete(*keys)
        redis_client.close()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def ids(cluster) -> dict:
    users = dict(cluster.sql("SELECT username, id FROM users"))
    customer = cluster.scalar("SELECT id FROM customers ORDER BY id LIMIT 1")
    return {**users, "customer": customer}


# --- clients ----------------------------------------------------------------------------------------------

class Client:
    """One phone or browser: its own cookie jar and its own address (what nginx puts in X-Forwarded-For).
    Cookies are per host, not per port, so the jar goes to A and B alike, as it would through nginx."""

    def __init__(self, ip: str):
        self.http = _http()
        self.http.headers.update({"X-Forwarded-For": ip, "Accept-Language": "en"})

    def get(self, instance: Instance, path: str, **kw):
        return self.http.get(instance.url + path, allow_redirects=False, timeout=TIMEOUT, **kw)

    def post(self, instance: Instance, path: str, **kw):
        return self.http.post(instance.url + path, allow_redirects=False, timeout=TIMEOUT, **kw)

    def csrf(self, instance: Instance, path: str = "/login") -> str:
        page = self.get(instance, path)
        assert page.status_code == 200, (path, page.status_code)
        found = (re.search(r'name="csrf_token" value="([^"]+)"', page.text)
                 or re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text))
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def login(self, form_from: Instance, post_to: Instance, username: str, password: str = DEMO_PASSWORD):
        return self.post(post_to, "/login", data={"username": username, "password": password,
                                                   "csrf_token": self.csrf(form_from)})

    def whoami(self, instance: Instance) -> str | None:
        """The username the session cookie stands for on this instance; None when not logged in (401)."""
        response = self.get(instance, "/api/v1/me")
        assert response.status_code in (200, 401), response.status_code
        return response.json()["username"] if response.status_code == 200 else None


def _token(instance: Instance, username: str, ip: str) -> dict:
    response = _post(instance.url + "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD},
                     headers={"X-Forwarded-For": ip})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}", "Accept-Language": "en",
            "X-Forwarded-For": ip}


def _race(calls: list[tuple[Instance, str, dict, dict]]) -> list:
    """POST every (instance, path, json, headers) at the same moment from its own thread and connection."""
    start = threading.Barrier(len(calls), timeout=TIMEOUT)
    results: list = [None] * len(calls)

    def send(i: int, instance: Instance, path: str, body: dict, headers: dict):
        with _http() as http:
            http.get(instance.url + "/healthz", timeout=TIMEOUT)  # connect first: the race is the POST
            start.wait()
            try:
                results[i] = http.post(instance.url + path, json=body, headers=headers, timeout=TIMEOUT)
            except requests.RequestException as exc:
                results[i] = exc

    threads = [threading.Thread(target=send, args=(i, *call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT * 2)
    assert all(hasattr(r, "status_code") for r in results), results
    return results


def _limit_count() -> int:
    return int(re.match(r"\s*(\d+)", Defaults.LOGIN_RATE_LIMIT).group(1))


# --- the checks -------------------------------------------------------------------------------------------

def test_sessions_hold_and_end_across_instances(cluster, ids):
    a, b = cluster.a, cluster.b
    phone = Client("10.20.0.1")
    # The login form comes from A and is posted to B: the CSRF token (kept in the signed session cookie) is
    # valid on B because both share SECRET_KEY.
    assert phone.login(form_from=a, post_to=b, username="repair_tech").status_code == 302
    assert phone.whoami(a) == phone.whoami(b) == "repair_tech"
    assert phone.get(b, "/me").status_code == 200
    # A second device logged in via A, and an API token issued by B.
    tablet = Client("10.20.0.2")
    assert tablet.login(a, a, "repair_tech").status_code == 302
    bearer = _token(b, "repair_tech", "10.20.0.3")
    assert _get(a.url + "/api/v1/me", headers=bearer).status_code == 200

    # Logout on A (its CSRF token read from a page of B): this browser is logged out on B as well,
    # the user's other device is not.
    logout = phone.post(a, "/logout", data={"csrf_token": phone.csrf(b, "/me")})
    assert logout.status_code == 302
    assert phone.whoami(b) is None and phone.whoami(a) is None
    assert tablet.whoami(b) == "repair_tech"

    # The director ends every session of the user on A: the tablet and the API token stop working on B too.
    director = Client("10.20.0.9")
    assert director.login(b, a, "director").status_code == 302
    tech = ids["repair_tech"]
    ended = director.post(a, f"/staff/{tech}/sessions/end", data={"csrf_token": director.csrf(b, f"/staff/{tech}")})
    assert ended.status_code == 302
    for instance in (a, b):
        assert tablet.whoami(instance) is None
        page = tablet.get(instance, "/me")
        assert page.status_code == 302 and "/login" in page.headers["Location"]
        assert _get(instance.url + "/api/v1/me", headers=bearer).status_code == 401
    assert director.whoami(b) == director.whoami(a) == "director"


def _failed_logins(instances: list[Instance], attempts: int, username, ip, password="wrong-password") -> list[int]:
    """Login attempts, each from a fresh browser, the form fetched from one instance and posted to the next
    in turn. `username` and `ip` are functions of the attempt number."""
    statuses = []
    for i in range(attempts):
        browser = Client(ip(i))
        post_to = instances[i % len(instances)]
        form_from = instances[(i + 1) % len(instances)]
        statuses.append(browser.login(form_from, post_to, username(i), password).status_code)
    return statuses


def test_the_login_throttle_counts_across_instances(cluster):
    a, b = cluster.a, cluster.b
    n = _limit_count()  # LOGIN_RATE_LIMIT, "10 per minute" unless configured otherwise
    # One account attacked from many addresses: the per-account count is shared through Redis, so the
    # attempt after the n-th is refused, even with the right password, whichever instance it reaches.
    statuses = _failed_logins([a, b], n + 1, username=lambda i: "meter_reader", ip=lambda i: f"10.30.0.{i + 1}")
    assert statuses == [401] * n + [429]
    assert Client("10.30.1.1").login(a, b, "meter_reader", DEMO_PASSWORD).status_code == 429
    # One address trying many accounts: the per-address count is shared too.
    statuses = _failed_logins([b, a], n + 1, username=lambda i: f"nobody{i}", ip=lambda i: "10.31.0.1")
    assert statuses == [401] * n + [429]
    # The counts are in Redis under this run's prefix (not in some worker's memory).
    assert any(True for _ in cluster.redis.scan_iter(match=f"*{cluster.prefix}*"))


def test_the_same_create_sent_to_both_instances_makes_one_record(cluster, ids):
    a, b = cluster.a, cluster.b
    chief = _token(a, "station_chief", "10.40.0.1")  # issued by A, used on both
    for _ in range(ROUNDS):
        client_id = str(uuid.uuid4())
        body = {"type": "repair", "customer_id": ids["customer"], "description": f"two instances {client_id}",
                "client_id": client_id}
        first, second = _race([(a, "/api/v1/work-orders", body, chief), (b, "/api/v1/work-orders", body, chief)])
        assert sorted([first.status_code, second.status_code]) == [200, 201], (first.text, second.text)
        assert first.json()["id"] == second.json()["id"]
        assert cluster.scalar("SELECT count(*) FROM work_orders WHERE description = %s", body["description"]) == 1
        assert cluster.scalar("SELECT count(*) FROM idempotency_keys WHERE client_id = %s", client_id) == 1


def test_the_same_sync_batch_sent_to_both_instances_applies_once(cluster, ids):
    a, b = cluster.a, cluster.b
    phone = _token(b, "station_chief", "10.41.0.1")
    customer = ids["customer"]
    count = "SELECT count(*) FROM appliances WHERE customer_id = %s"
    for _ in range(ROUNDS):
        items = [{"client_id": str(uuid.uuid4()), "kind": "appliance",
                  "data": {"customer_id": customer, "kind": "stove", "brand": "华帝"}} for _ in range(20)]
        before = cluster.scalar(count, customer)
        ra, rb = _race([(a, "/api/v1/sync", {"items": items}, phone), (b, "/api/v1/sync", {"items": items}, phone)])
        assert ra.status_code == rb.status_code == 200, (ra.text, rb.text)
        for x, y, item in zip(ra.json()["results"], rb.json()["results"], items, strict=True):
            assert x["client_id"] == y["client_id"] == item["client_id"]
            assert sorted([x["status"], y["status"]]) == [200, 201], (x, y)
            assert x["id"] == y["id"]
        assert cluster.scalar(count, customer) == before + len(items)
        client_ids = [i["client_id"] for i in items]
        assert cluster.scalar("SELECT count(*) FROM idempotency_keys WHERE client_id = ANY(%s)", client_ids) == 20
    again = _post(a.url + "/api/v1/sync", json={"items": items}, headers=phone)
    assert {r["status"] for r in again.json()["results"]} == {200}


def test_two_chiefs_assign_one_order_via_two_instances_one_wins(cluster, ids):
    a, b = cluster.a, cluster.b
    chief1 = _token(a, "station_chief", "10.42.0.1")
    chief2 = _token(b, "station_chief2", "10.42.0.2")
    techs = [ids["repair_tech2"], ids["repair_tech3"]]
    for _ in range(ROUNDS):
        created = _post(a.url + "/api/v1/work-orders", headers=chief1, json={
            "type": "repair", "customer_id": ids["customer"], "description": "gas smell at the meter"})
        assert created.status_code == 201, created.text
        order = created.json()
        assert order["version"] == 1 and order["status"] == "new"
        path = f"/api/v1/work-orders/{order['id']}/assign"
        answers = _race([(a, path, {"assignee_id": techs[0], "version": 1}, chief1),
                         (b, path, {"assignee_id": techs[1], "version": 1}, chief2)])
        codes = [r.status_code for r in answers]
        assert sorted(codes) == [200, 409], [r.text for r in answers]
        winner, loser = codes.index(200), codes.index(409)
        assert "Changed by" in answers[loser].json()["error"]  # API.md: 409 {"error": "..."}
        now = _get(b.url + f"/api/v1/work-orders/{order['id']}", headers=chief2).json()
        assert (now["version"], now["status"], now["assignee_id"]) == (2, "assigned", techs[winner])
        assert cluster.scalar("SELECT count(*) FROM work_order_events WHERE work_order_id = %s "
                              "AND action IN ('assign', 'reassign')", order["id"]) == 1


def _photo() -> bytes:
    return factories.png((64, 48), (200, 80, 40))


def test_a_photo_taken_on_one_instance_is_served_by_the_other(cluster):
    a, b = cluster.a, cluster.b
    fitter = Client("10.50.0.1")
    assert fitter.login(a, a, "pipe_fitter2").status_code == 302
    sent = fitter.post(a, "/hse/report", files={"photo": ("leak.png", _photo(), "image/png")},
                       data={"kind": "hazard", "description": "corroded riser", "csrf_token": fitter.csrf(a, "/hse/report")})
    assert sent.status_code == 302, sent.text[:500]
    observation = int(re.search(r"/hse/observations/(\d+)", sent.headers["Location"]).group(1))
    photo = cluster.scalar("SELECT photo_id FROM hse_observations WHERE id = %s", observation)
    from_a, from_b = fitter.get(a, f"/uploads/{photo}"), fitter.get(b, f"/uploads/{photo}")
    assert from_a.status_code == from_b.status_code == 200
    assert from_b.headers["Content-Type"] == "image/jpeg" and from_b.content == from_a.content
    key = cluster.scalar("SELECT key FROM uploads WHERE id = %s", photo)
    assert any(cluster.uploads.rglob(key))  # in the shared folder, not in either instance's own folder


def test_the_memory_store_would_not_hold_the_throttle(cluster):
    """The control: two instances with RATELIMIT_STORAGE_URI=memory:// (1 worker each, so the counts are
    exact) let twice the limit through when attempts alternate: each counts alone, and the check above
    would catch such a setup."""
    c, d = cluster.instances[2:4]
    cluster.wait_healthy(c)
    cluster.wait_healthy(d)
    n = _limit_count()
    statuses = _failed_logins([c, d], 2 * n + 1, username=lambda i: "meter_reader2", ip=lambda i: f"10.60.0.{i + 1}")
    assert statuses == [401] * (2 * n) + [429]


def _nginx_config(cluster: Cluster, port: int) -> Path:
    """deploy/nginx.conf as it is, pointed at A and B, on a free port with a throwaway certificate."""
    folder = cluster.tmp / "nginx"
    for sub in ("temp", "logs"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
                   check=True, capture_output=True)
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    upstream = re.search(r"upstream fieldsvc \{(.*?)\}", site, re.S)
    servers = "".join(f"    server {i.url.removeprefix('http://')};\n" for i in (cluster.a, cluster.b))
    site = site.replace(upstream.group(1), "\n" + servers + "    keepalive 32;\n")
    replacements = {"listen 443 ssl http2;": f"listen 127.0.0.1:{port} ssl http2;",
                    "listen 80;": f"listen 127.0.0.1:{_free_port()};",
                    "/etc/ssl/fieldsvc/fullchain.pem": str(folder / "cert.pem"),
                    "/etc/ssl/fieldsvc/privkey.pem": str(folder / "key.pem"),
                    "/srv/fieldsvc/static/": f"{ROOT / 'static'}/",
                    # On 443 the browser's Host has no port; here it must keep it, or the CSRF check's
                    # same-origin test of the Referer (made on HTTPS requests) fails.
                    "proxy_set_header Host $host;": "proxy_set_header Host $host:$server_port;"}
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx.conf no longer has {old!r}: update this test"
        site = site.replace(old, new)
    (folder / "site.conf").write_text(site)
    temp = folder / "temp"
    main = folder / "nginx.conf"
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'logs' / 'error.log'};\nevents {{}}\n"
        + f"http {{\n access_log {folder / 'logs' / 'access.log'};\n client_body_temp_path {temp}/body;\n"
        + f" proxy_temp_path {temp}/proxy;\n fastcgi_temp_path {temp}/fastcgi;\n uwsgi_temp_path {temp}/uwsgi;\n"
        + f" scgi_temp_path {temp}/scgi;\n include /etc/nginx/mime.types;\n include {folder / 'site.conf'};\n}}\n")
    return main


def _requests_in_log(instance: Instance, path: str) -> int:
    return instance.log.read_text(errors="replace").count(f'"GET {path} ')


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_through_the_deploy_nginx_config_in_front_of_both(cluster):
    """deploy/nginx.conf, changed only in addresses, ports and paths: one session's requests go to both
    hosts, HTTPS is seen by the app, static files revalidate, and a forged X-Forwarded-For gains nothing."""
    # make setup installs both (Makefile APT_PACKAGES): missing means a broken setup, not a reason to skip.
    assert shutil.which("nginx") and shutil.which("openssl"), "nginx and openssl are installed by make system-deps"
    port = _free_port()
    config = _nginx_config(cluster, port)
    nginx = subprocess.Popen(["nginx", "-c", str(config), "-p", str(config.parent)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, start_new_session=True)
    try:
        front = f"https://127.0.0.1:{port}"
        http = _http()
        http.verify = False  # the throwaway certificate
        http.headers.update({"Accept-Language": "en", "Referer": front + "/login"})  # as a browser sends
        deadline = time.monotonic() + 20
        while True:
            try:
                if http.get(front + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                assert nginx.poll() is None and time.monotonic() < deadline, nginx.stderr.read().decode()
                time.sleep(0.1)
        page = http.get(front + "/login", timeout=TIMEOUT)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        login = http.post(front + "/login", allow_redirects=False, timeout=TIMEOUT,
                          data={"username": "meter_reader3", "password": DEMO_PASSWORD, "csrf_token": token})
        assert login.status_code == 302
        assert "max-age" in login.headers["Strict-Transport-Security"]  # the app saw HTTPS (X-Forwarded-Proto)
        before = [_requests_in_log(i, "/api/v1/me") for i in (cluster.a, cluster.b)]
        for _ in range(6):
            me = http.get(front + "/api/v1/me", timeout=TIMEOUT)
            assert me.status_code == 200 and me.json()["username"] == "meter_reader3"
        after = [_requests_in_log(i, "/api/v1/me") for i in (cluster.a, cluster.b)]
        assert all(x > y for x, y in zip(after, before, strict=True)), (before, after)  # both hosts served it
        css = http.get(front + "/static/css/app.css", timeout=TIMEOUT)
        assert css.status_code == 200 and css.headers["Cache-Control"] == "no-cache" and css.headers.get("ETag")
        again = http.get(front + "/static/css/app.css", headers={"If-None-Match": css.headers["ETag"]}, timeout=TIMEOUT)
        assert again.status_code == 304
        # Every attempt claims another address; nginx appends the real one, which is what the app counts
        # (127.0.0.1 here, which has logged in once above).
        allowed = _limit_count() - 1
        codes = []
        for i in range(allowed + 1):
            browser = _http()
            browser.verify = False
            browser.headers["Referer"] = front + "/login"
            token = re.search(r'name="csrf_token" value="([^"]+)"',
                              browser.get(front + "/login", timeout=TIMEOUT).text).group(1)
            codes.append(browser.post(front + "/login", allow_redirects=False, timeout=TIMEOUT,
                                      headers={"X-Forwarded-For": f"192.0.2.{i + 1}"},
                                      data={"username": f"ghost{i}", "password": "bad", "csrf_token": token}
                                      ).status_code)
        assert codes == [401] * allowed + [429]
    finally:
        nginx.terminate()
        nginx.wait(10)


def test_the_audit_chain_written_by_both_instances_is_intact_and_nothing_failed(cluster):
    assert cluster.scalar("SELECT count(DISTINCT actor_id) FROM audit_entries WHERE actor_id IS NOT NULL") >= 3
    done = cluster.flask("audit", "verify")
    assert done.returncode == 0 and "intact" in done.stdout, done.stdout + done.stderr
    for instance in cluster.instances:  # no request answered 5xx, no traceback in any worker
        log = instance.log.read_text(errors="replace")
        assert not re.search(r'" 5\d\d ', log) and "Traceback" not in log, f"{instance.name}:\n{log[-3000:]}"
