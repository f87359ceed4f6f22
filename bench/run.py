"""`make bench`: build the city, serve it with gunicorn (3 workers), load the key pages at 8 concurrent
clients, count SQL queries per page at small and city size, and print one Markdown table.

    python -m bench.run [--db sqlite|postgres] [--size city|small] [--seconds 8] [--concurrency 8]

PostgreSQL uses the database `bench` on 127.0.0.1 (created when missing). Results also go to
bench/out/results-<db>.md; copy the table into docs/BENCHMARKS.md with the date and the machine.
"""
import argparse
import os
import platform
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.http import Session, load
from bench.pages import KEY_PAGES

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PASSWORD = "fieldsvc-demo"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(db: str, size: str, out: Path, reuse: bool = False) -> str:
    """A fresh, empty database for `size`; with `reuse`, the one a previous run seeded (None if there is none)."""
    if db == "sqlite":
        path = out / f"{size}.db"
        if reuse:
            return f"sqlite:///{path}" if path.exists() else None
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg
    name = f"bench_{size}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        if reuse:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            return f"postgresql://postgres@127.0.0.1:5432/{name}" if found else None
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def env_for(url: str, out: Path) -> dict:
    env = dict(os.environ, DATABASE_URL=url, FLASK_APP="wsgi", SECRET_KEY="bench-secret",
               FIELDSVC_RATELIMIT_ENABLED="false")
    env["FIELDSVC_INSTANCE_PATH"] = str(out / "instance")
    return env


def flask(env: dict, *args: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(VENV_BIN / "flask"), *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def seeded(db: str, size: str, out: Path, reuse: bool) -> tuple[str, dict, float | None]:
    """(url, env, seconds spent seeding or None when a previous run's database was reused)."""
    url = database_url(db, size, out, reuse=True) if reuse else None
    if url:
        env = env_for(url, out)
        flask(env, "db", "upgrade")  # a reused database still runs today's schema
        return url, env, None
    url = database_url(db, size, out)
    env = env_for(url, out)
    flask(env, "db", "upgrade")
    return url, env, flask(env, "seed-demo", "--size", size)


def resolve(url: str) -> dict:
    """Ids the key pages need, read from the seeded database."""
    from sqlalchemy import create_engine, text

    from fieldsvc.config import normalise_db_url
    engine = create_engine(normalise_db_url(url))
    with engine.connect() as conn:
        values = {
            "customer_id": conn.execute(text("SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET 250")).scalar(),
            "route_id": conn.execute(text("SELECT r.id FROM routes r JOIN users u ON u.id = r.reader_id "
                                          "WHERE u.username = 'meter_reader' ORDER BY r.id LIMIT 1")).scalar(),
        }
    engine.dispose()
    return values


def query_counts(url: str, ids: dict) -> dict[str, int]:
    """SQL statements each key page issues, counted in-process on the same database. Every request runs in
    its own app context (as under gunicorn), so nothing is served from a previous request's session, and
    with the short-lived cache emptied first (fieldsvc/cache.py): the count is the first view after a write,
    which is the usual one when phones write all day."""
    from sqlalchemy import event

    from fieldsvc import cache, create_app
    from fieldsvc.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "INSTANCE_PATH": str(ROOT / "bench" / "out" / "instance")})
    with app.app_context():
        engine = db.engine
    statements = []
    listener = lambda *a, **k: statements.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    counts, clients = {}, {}
    for name, user, path in KEY_PAGES:
        client = clients.get(user)
        if client is None:
            client = clients[user] = app.test_client()
            if user:
                client.post("/login", data={"username": user, "password": PASSWORD})
        client.get(path.format(**ids))  # warm-up: first-use work (menus, catalogs) is not the page's
        with app.app_context():
            cache.invalidate()
        statements.clear()
        client.get(path.format(**ids))
        counts[name] = len(statements)
    event.remove(engine, "before_cursor_execute", listener)
    engine.dispose()
    return counts


def worker_rss_mb(master_pid: int) -> list[float]:
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split()
    sizes = []
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        sizes.append(kb / 1024)
    return sizes


def serve(env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-w", "3", "-b", f"127.0.0.1:{port}", "--log-level",
                             "warning", "wsgi:app"], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            if Session("127.0.0.1", port).request("GET", "/healthz")[0] == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not come up")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--size", choices=["small", "city"], default="city")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--reuse", action="store_true",
                        help="measure the databases a previous run seeded (same code, same dataset) instead of "
                             "seeding again; seeds when there is none")
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)

    small_url, small_env, seed_small = seeded(args.db, "small", out, args.reuse)
    small_counts = query_counts(small_url, resolve(small_url))

    url, env, seed_city = (small_url, small_env, seed_small) if args.size == "small" else \
        seeded(args.db, args.size, out, args.reuse)
    ids = resolve(url)
    city_counts = query_counts(url, ids)

    port = free_port()
    proc = serve(env, port)
    try:
        results, loads = [], []
        for name, user, path in KEY_PAGES:
            loads.append(os.getloadavg()[0])  # another process's work skews a page: say so beside it
            print(f"{name}: load {loads[-1]:.2f}", file=sys.stderr)
            results.append(load(name, "127.0.0.1", port, path.format(**ids), (user, PASSWORD) if user else None,
                                args.concurrency, args.seconds))
            if results[-1].errors:  # a page that answers errors measures nothing: stop here
                print(f"ERRORS on {name}: {results[-1].errors} responses were not 200", file=sys.stderr)
                return 1
        rss = worker_rss_mb(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)

    baseline = results[0].throughput
    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M')} · {args.db} · size {args.size} · gunicorn 3 workers · "
        f"{args.concurrency} concurrent clients · {args.seconds:g} s per page · {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores",
        "",
        "| page | load before | req/s | % of healthz | p50 ms | p95 ms | errors | SQL small | SQL city | bytes "
        "| gzip bytes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r, before in zip(results, loads, strict=True):
        lines.append(f"| {r.name} | {before:.2f} | {r.throughput:.0f} | {100 * r.throughput / baseline:.0f} % | "
                     f"{r.p50:.1f} | {r.pct(0.95):.1f} | {r.errors} | {small_counts[r.name]} | "
                     f"{city_counts[r.name]} | {r.bytes_raw} | {r.bytes_gzip} |")
    seeding = "reused a previous run's databases" if seed_city is None else \
        f"small {seed_small or 0:.1f} s, {args.size} {seed_city:.1f} s"
    lines += ["", f"Seeding: {seeding}. "
              f"Worker RSS after the run: {', '.join(f'{m:.0f} MB' for m in rss)}."]
    text = "\n".join(lines)
    print(text)
    (out / f"results-{args.db}.md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
