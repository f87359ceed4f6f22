"""flask readings import (history) and the billing export."""
from datetime import timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from fieldsvc import clock
from fieldsvc.customers.importer import read_csv
from fieldsvc.errors import NotAllowed
from fieldsvc.readings import exports, importer
from fieldsvc.readings.models import Reading


@pytest.fixture(autouse=True)
def _english(app):
    with force_locale("en"):
        yield


def csv_rows(text: str) -> list[list[str]]:
    return read_csv(text.encode("utf-8"))


def days_ago(n: int) -> str:
    return (clock.today() - timedelta(days=n)).isoformat()


def test_import_history_with_rollover_and_errors(world, db):
    _c, m1 = world.customer(start="99950")
    _c, m2 = world.customer()
    text = "\n".join([
        "meter_serial,read_at,value,kind",
        f"{m1.serial_no},{days_ago(90)},99980,",
        f"{m1.serial_no},{days_ago(60)},10,actual",         # rollover: 30 m³
        f"{m2.serial_no},{days_ago(60)},40,estimated",
        f"{m2.serial_no},{days_ago(30)},35,actual",         # backwards: kept with consumption 0, 'negative'
        f"NOPE,{days_ago(30)},35,actual",                   # line 6: unknown meter
        f"{m2.serial_no},yesterday,35,actual",              # line 7: bad date
        f"{m2.serial_no},{days_ago(20)},abc,actual",        # line 8: bad value
        f"{m2.serial_no},{days_ago(10)},3,guess",           # line 9: bad kind
        f"{m1.serial_no},{days_ago(30)},100000,actual",     # line 10: more than 5 digits
    ])
    result = importer.import_history(world.chief, csv_rows(text))
    db.session.commit()
    assert result.imported == 4 and result.already_present == 0
    assert sorted(line for line, _m in result.errors) == [6, 7, 8, 9, 10]
    rows = db.session.execute(select(Reading).order_by(Reading.meter_id, Reading.read_at)).scalars().all()
    assert [(r.consumption_m3, r.anomalies) for r in rows] == [
        (Decimal(30), ""), (Decimal(30), "rollover"), (Decimal(40), ""), (Decimal(0), "negative")]
    assert rows[2].kind == "estimated" and rows[0].source == "import"
    again = importer.import_history(world.chief, csv_rows(text))
    assert again.imported == 0 and again.already_present == 4


def test_import_refuses_rows_before_the_last_reading(world, db):
    _c, meter = world.customer()
    world.history(meter, 30, periods=2)
    result = importer.import_history(world.chief, csv_rows(
        f"表号,抄表日期,读数\n{meter.serial_no},{days_ago(400)},5\n{meter.serial_no},{days_ago(1)},75\n"))
    assert result.imported == 1
    assert [line for line, _m in result.errors] == [2]


def test_import_header_must_name_columns(world):
    result = importer.import_history(world.chief, csv_rows("a,b,c\n1,2,3\n"))
    assert result.imported == 0 and result.errors[0][0] == 1


def test_import_needs_permission(world):
    with pytest.raises(NotAllowed):
        importer.import_history(world.staff["meter_reader"], csv_rows("meter_serial,read_at,value\n"))


def test_cli_import(app, world, db, tmp_path):
    _c, meter = world.customer()
    path = tmp_path / "history.csv"
    path.write_text(f"meter_serial,read_at,value\n{meter.serial_no},{days_ago(5)},12\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["readings", "import", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "1 readings imported" in result.output
    assert db.session.execute(select(func.count(Reading.id))).scalar_one() == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("meter_serial,read_at,value\nNOPE,2026-01-01,1\n", encoding="utf-8")
    result = runner.invoke(args=["readings", "import", str(bad), "--lang", "en"])
    assert result.exit_code == 1 and "line 2" in result.output


def test_cli_export(app, world, db, tmp_path):
    from fieldsvc.readings.services import recording
    _c, meter = world.customer()
    reading = recording.record_reading(world.chief, meter.id, {"value": Decimal(42)})
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["readings", "export", reading.cycle, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / f"readings-{reading.cycle}.csv").read_text(encoding="utf-8-sig")
    assert f"{reading.id},{meter.customer.account_no},{meter.serial_no}" in text
    bills = (tmp_path / f"bills-{reading.cycle}.csv").read_text(encoding="utf-8-sig").splitlines()
    assert bills[0].startswith("bill_id,") and ",42.000,109.62," in bills[1]


def test_export_needs_permission(world):
    with pytest.raises(NotAllowed):
        list(exports.readings_csv(world.staff["meter_reader"], "2026-01"))
