"""500 queued records synced in batches of 200 through POST /api/v1/sync (target ≤ 10 s).

    python -m bench.sync_batch [--db sqlite|postgres]
"""
import argparse
import tempfile
import time
import uuid
from pathlib import Path

from fieldsvc import create_app
from fieldsvc.core import demo
from fieldsvc.extensions import db

RECORDS, BATCH = 500, 200


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'sync.db'}" if args.db == "sqlite" else "postgresql://postgres@127.0.0.1:5432/bench_sync"
    if args.db == "postgres":
        import psycopg
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS bench_sync WITH (FORCE)")
            conn.execute("CREATE DATABASE bench_sync")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(folder), "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        demo.seed("small")
        db.session.commit()
        customer_ids = [c for (c,) in db.session.execute(db.text("SELECT id FROM customers LIMIT 50"))]
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "station_chief", "password": demo.DEMO_PASSWORD}).json
    headers = {"Authorization": f"Bearer {token['token']}"}
    items = [{"client_id": str(uuid.uuid4()), "kind": "appliance",
              "data": {"customer_id": customer_ids[n % len(customer_ids)], "kind": "stove", "brand": "bench"}}
             for n in range(RECORDS)]
    started = time.perf_counter()
    statuses = []
    for start in range(0, RECORDS, BATCH):
        response = client.post("/api/v1/sync", json={"items": items[start:start + BATCH]}, headers=headers)
        statuses += [r["status"] for r in response.json["results"]]
    elapsed = time.perf_counter() - started
    created = statuses.count(201)
    print(f"sync of {RECORDS} records in {-(-RECORDS // BATCH)} requests on {args.db}: {elapsed:.2f} s "
          f"({created} created, {len(statuses) - created} other)")
    return 0 if created == RECORDS and elapsed <= 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
