"""Soak: gunicorn (3 workers) on PostgreSQL, a bounded mix of concurrent readings, job transitions and
inspections from field clients on loopback for a fixed time. Counts errors, measures every response and
checks in the database that nothing was lost or duplicated.

    python -m bench.soak [--seconds 60] [--clients 6]

Each client works on its own meters and orders (as field staff do), sends every create with a client_id,
and re-sends a share of them: a repeat must answer 200 with the first record and create nothing.
"""
import argparse
import json
import random
import signal
import statistics
import threading
import time
import uuid
from datetime import UTC, datetime

import psycopg

from bench.http import Session
from bench.run import PG_ADMIN, env_for, flask, free_port, serve

PASSWORD = "fieldsvc-demo"
DB_URL = "postgresql://postgres@127.0.0.1:5432/bench_soak"


class Api(Session):
    def token(self, username: str) -> None:
        status, body = self.call("POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD})
        self.headers = {"Authorization": f"Bearer {json.loads(body)['token']}"}

    def call(self, method: str, path: str, payload=None):
        headers = {"Content-Type": "application/json", **getattr(self, "headers", {})}
        return self.request(method, path, json.dumps(payload).encode() if payload is not None else None, headers)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.created: dict[str, set[int]] = {"reading": set(), "work_order": set(), "inspection": set()}
        self.repeats_ok = 0
        self.repeats_bad = 0

    def record(self, started: float, status: int):
        with self.lock:
            self.latencies.append((time.perf_counter() - started) * 1000)
            self.statuses[status] = self.statuses.get(status, 0) + 1


def timed(stats: Stats, api: Api, method: str, path: str, payload=None):
    started = time.perf_counter()
    try:
        status, body = api.call(method, path, payload)
    except OSError:
        status, body = 599, b"{}"
    stats.record(started, status)
    return status, (json.loads(body) if body[:1] in (b"{", b"[") else {})


def worker(n: int, port: int, deadline: float, meters: list[tuple[int, float]], customers: list[int],
           tech_id: int, stats: Stats):
    rnd = random.Random(n)
    chief, tech = Api("127.0.0.1", port), Api("127.0.0.1", port)
    chief.token("station_chief")
    tech.token("repair_tech")
    values = {meter_id: last for meter_id, last in meters}
    turn = 0
    while time.perf_counter() < deadline:
        choice = rnd.random()
        if choice < 0.45 and values:  # the next of this client's own meters, round the route
            meter_id = list(values)[turn % len(values)]
            turn += 1
            # A litre a read: readings seconds apart must stay under the meter's qmax to be plausible.
            values[meter_id] = round(values[meter_id] + 0.001, 3)
            payload = {"meter_id": meter_id, "value": values[meter_id], "kind": "actual",
                       "client_id": str(uuid.uuid4()), "read_at": datetime.now(UTC).isoformat()}
            kind, path = "reading", "/api/v1/readings"
        elif choice < 0.75:  # a repair order, then the technician's moves
            payload = {"type": "repair", "customer_id": rnd.choice(customers), "description": "soak",
                       "client_id": str(uuid.uuid4()), "assignee_id": tech_id}
            kind, path = "work_order", "/api/v1/work-orders"
        else:  # a household inspection with everything in order
            payload = {"customer_id": rnd.choice(customers), "outcome": "completed", "client_id": str(uuid.uuid4()),
                       "items": [{"code": "hose_aged", "ok": True}], "static_pa": 2300, "working_pa": 2000}
            kind, path = "inspection", "/api/v1/inspections"
        client = tech if kind == "inspection" else chief
        status, body = timed(stats, client, "POST", path, payload)
        if status == 201:
            with stats.lock:
                stats.created[kind].add(body["id"])
            if rnd.random() < 0.2:  # the phone did not hear the answer and sends it again
                again, body2 = timed(stats, client, "POST", path, payload)
                with stats.lock:
                    if again == 200 and body2.get("id") == body["id"]:
                        stats.repeats_ok += 1
                    else:
                        stats.repeats_bad += 1
            if kind == "work_order":
                order = body
                for to in ("accepted", "en_route", "on_site"):
                    status, order2 = timed(stats, tech, "POST", f"/api/v1/work-orders/{order['id']}/transition",
                                           {"to": to, "version": order["version"]})
                    if status != 200:
                        break
                    order = order2


def prepare() -> tuple[dict, list, list, int]:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench_soak WITH (FORCE)")
        conn.execute("CREATE DATABASE bench_soak")
    from pathlib import Path
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    env = env_for(DB_URL, out)
    flask(env, "db", "upgrade")
    flask(env, "seed-demo", "--size", "small")
    with psycopg.connect(DB_URL) as conn:
        meters = conn.execute("""SELECT m.id, COALESCE(MAX(r.value), m.start_reading) FROM meters m
                                 LEFT JOIN readings r ON r.meter_id = m.id WHERE m.status = 'installed'
                                 AND m.kind <> 'ic_card' GROUP BY m.id ORDER BY m.id LIMIT 120""").fetchall()
        customers = [r[0] for r in conn.execute("SELECT id FROM customers ORDER BY id LIMIT 200")]
        tech_id = conn.execute("SELECT id FROM users WHERE username = 'repair_tech'").fetchone()[0]
    return env, [(m, float(v)) for m, v in meters], customers, tech_id


def count_rows(kind: str, ids: set[int]) -> int:
    table = {"reading": "readings", "work_order": "work_orders", "inspection": "inspections"}[kind]
    if not ids:
        return 0
    with psycopg.connect(DB_URL) as conn:
        return conn.execute(f"SELECT count(*) FROM {table} WHERE id = ANY(%s)", (list(ids),)).fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=6)
    args = parser.parse_args()
    env, meters, customers, tech_id = prepare()
    env["FIELDSVC_RATELIMIT_ENABLED"] = "false"
    port = free_port()
    proc = serve(env, port)
    stats = Stats()
    try:
        deadline = time.perf_counter() + args.seconds
        share = max(1, len(meters) // args.clients)
        threads = [threading.Thread(target=worker, args=(n, port, deadline, meters[n * share:(n + 1) * share],
                                                         customers, tech_id, stats)) for n in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    errors = sum(v for k, v in stats.statuses.items() if k >= 500)
    lat = sorted(stats.latencies)
    print(f"soak {args.seconds:g} s, {args.clients} clients, gunicorn 3 workers, PostgreSQL")
    print(f"requests {len(lat)} ({len(lat) / args.seconds:.0f}/s); statuses {dict(sorted(stats.statuses.items()))}")
    print(f"latency ms: p50 {statistics.median(lat):.1f}, p95 {lat[int(0.95 * (len(lat) - 1))]:.1f}, max {lat[-1]:.1f}")
    lost = {k: len(ids) - count_rows(k, ids) for k, ids in stats.created.items()}
    print(f"created {{{', '.join(f'{k}: {len(v)}' for k, v in stats.created.items())}}}; lost {lost}; "
          f"repeats answered with the first record {stats.repeats_ok}, otherwise {stats.repeats_bad}")
    with psycopg.connect(DB_URL) as conn:
        dupes = conn.execute("""SELECT count(*) FROM (SELECT client_id FROM idempotency_keys GROUP BY client_id
                                HAVING count(*) > 1) d""").fetchone()[0]
    print(f"duplicated client_ids in the database: {dupes}")
    return 0 if errors == 0 and not any(lost.values()) and stats.repeats_bad == 0 and dupes == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
