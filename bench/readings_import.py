"""Reading history import benchmark: `flask readings import` of a 100,000-row CSV on SQLite.

    python -m bench.readings_import [--rows 100000] [--meters 5000] [--budget-s 30]

On a throwaway SQLite file it registers `--meters` installed meters (bulk, as the demo does), writes a
CSV of `--rows` monthly readings spread over them (oldest first per meter, a few register rollovers),
then runs the real command through Flask's CLI runner and times it end to end (reading the file,
checking every row, inserting, committing). Exits 1 when the import fails or exceeds the budget.
"""
import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path


def _meters(count: int, today: date) -> list[str]:
    from sqlalchemy import insert, select

    from fieldsvc.core import demo
    from fieldsvc.customers.models import Customer, District, Meter
    from fieldsvc.extensions import db

    demo._districts()
    demo._staff(random.Random(1), today)
    district_id = db.session.execute(select(District.id).limit(1)).scalar_one()
    customers = [dict(id=i, account_no=f"7{i:07d}", name=f"用户{i}", category="residential", gas="NG",
                      district_id=district_id, address=f"基准小区{i}室", status="active", version=1)
                 for i in range(1, count + 1)]
    meters = [dict(id=i, serial_no=f"BM{i:07d}", customer_id=i, size="G2.5", accuracy_class="1.5", kind="diaphragm",
                   location="indoor", installed_on=today - timedelta(days=3650), start_reading=Decimal(0), digits=5,
                   status="installed", version=1) for i in range(1, count + 1)]
    for table, rows in ((Customer, customers), (Meter, meters)):
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(table), rows[start:start + 5000])
    db.session.commit()
    return [m["serial_no"] for m in meters]


def _write_csv(path: Path, serials: list[str], rows: int, today: date) -> None:
    rnd = random.Random(7)
    per_meter = -(-rows // len(serials))
    written = 0
    with path.open("w", encoding="utf-8") as f:
        f.write("meter_serial,read_at,value,kind\n")
        for serial in serials:
            value = rnd.choice([0, 0, 0, 99_000])  # some registers roll over during the history
            for k in range(per_meter):
                if written == rows:
                    return
                value = (value + rnd.randrange(5, 60)) % 100_000
                day = today - timedelta(days=30 * (per_meter - k) + 1)
                f.write(f"{serial},{day.isoformat()},{value},actual\n")
                written += 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--meters", type=int, default=5_000)
    parser.add_argument("--budget-s", type=float, default=30.0)
    args = parser.parse_args(argv)

    from fieldsvc import clock, create_app
    from fieldsvc.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}", "INSTANCE_PATH": str(folder),
                          "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
        with app.app_context():
            db.create_all()
            today = clock.today()
            serials = _meters(args.meters, today)
        csv_path = folder / "history.csv"
        _write_csv(csv_path, serials, args.rows, today)
        runner = app.test_cli_runner()
        started = time.perf_counter()
        result = runner.invoke(args=["readings", "import", str(csv_path), "--lang", "en"])
        elapsed = time.perf_counter() - started
        with app.app_context():
            from sqlalchemy import func, select

            from fieldsvc.readings.models import Reading
            stored = db.session.execute(select(func.count(Reading.id))).scalar_one()
            db.engine.dispose()
    print(result.output.strip().splitlines()[-1] if result.output.strip() else "(no output)")
    print(f"readings import: {args.rows:,} rows over {args.meters:,} meters in {elapsed:.1f} s "
          f"({args.rows / elapsed:,.0f} rows/s) on SQLite; {stored:,} readings stored")
    if result.exit_code != 0 or stored != args.rows:
        print(f"FAILED: exit code {result.exit_code}, {stored} stored", file=sys.stderr)
        return 1
    if elapsed > args.budget_s:
        print(f"FAILED: over the budget of {args.budget_s:.0f} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
