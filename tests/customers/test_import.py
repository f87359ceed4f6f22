"""flask customers import: validation by line, re-runs, Chinese headers, BOM, dry run, permission."""
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from fieldsvc.audit import AuditEntry
from fieldsvc.customers import importer, services
from fieldsvc.customers.models import Customer, Meter, MeterInstallation
from fieldsvc.errors import NotAllowed

DATA = Path(__file__).parent / "data"
HEADER = "account_no,name,phone,category,gas,district,estate,building,unit,floor,room"


@pytest.fixture(autouse=True)
def _english(staff):
    # Outside a request the app cannot pick a language by itself; the CLI forces one the same way.
    with force_locale("en"):
        yield


def rows_of(name: str) -> list[list[str]]:
    return importer.read_csv((DATA / name).read_bytes())


def run(staff, rows, username="director", **kwargs):
    return importer.import_customers(staff[username], rows, kwargs.pop("batch_size", 1000), **kwargs)


def count(db, model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def imports_logged(db) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.action == "customer.import").order_by(AuditEntry.id)
    return list(db.session.execute(stmt).scalars())


def cli(app, *args):
    return app.test_cli_runner().invoke(args=["customers", "import", *map(str, args), "--lang", "en"])


def test_good_file_imports_every_row_with_its_meter(staff, db):
    result = run(staff, rows_of("good.csv"))
    assert (result.imported, result.meters, result.already_present, result.errors) == (4, 2, 0, [])
    wang = db.session.execute(select(Customer).where(Customer.account_no == "30000001")).scalar_one()
    assert wang.district.name == "城东片区"
    assert wang.address == "幸福小区 3栋 2单元 5层 502室"
    assert (wang.category, wang.gas, wang.status) == ("residential", "NG", "active")
    meter = wang.meters[0]
    assert (meter.serial_no, meter.status, meter.installed_on) == ("T0000001", "installed", date(2024, 3, 5))
    assert meter.start_reading == Decimal("12.5")
    assert meter.installations[0].start_reading == Decimal("12.5")
    shop = db.session.execute(select(Customer).where(Customer.account_no == "30000003")).scalar_one()
    assert shop.meters[0].installed_on == date(2023, 11, 2)  # Excel's 2023/11/2
    by_code = db.session.execute(select(Customer).where(Customer.account_no == "30000002")).scalar_one()
    assert by_code.district.code == "D02"
    [entry] = imports_logged(db)
    assert entry.actor_id == staff["director"].id
    assert entry.data["accounts"] == ["30000001", "30000002", "30000003", "30000004"]


def test_bad_rows_are_reported_by_line_and_good_rows_imported(staff, db):
    services.create_customer(staff["director"], {"account_no": "39999999", "name": "早就有", "category": "residential",
                                                 "gas": "NG", "district": "D01", "estate": "幸福小区"})
    result = run(staff, rows_of("bad.csv"))
    assert [(line, column) for line, column, _message in result.errors] == [
        (3, "name"), (4, "district"), (5, "category"), (6, "installed_on"), (7, "account_no")]
    messages = {line: message for line, _column, message in result.errors}
    assert messages[3] == "Missing data for required field."
    assert "月球片区" in messages[4]
    assert messages[7] == "Same as line 2."
    assert (result.imported, result.already_present, result.error_lines) == (2, 1, 5)
    accounts = set(db.session.execute(select(Customer.account_no)).scalars())
    assert accounts == {"31000001", "31000008", "39999999"}
    assert db.session.execute(select(Customer.name).where(Customer.account_no == "31000001")).scalar() == "好人家"
    assert count(db, Meter) == 1


def test_rerun_imports_nothing_new(staff, db):
    run(staff, rows_of("good.csv"))
    again = run(staff, rows_of("good.csv"))
    assert (again.imported, again.meters, again.already_present, again.errors) == (0, 0, 4, [])
    assert (count(db, Customer), count(db, Meter), count(db, MeterInstallation)) == (4, 2, 2)
    assert len(imports_logged(db)) == 1  # a batch that adds nothing writes no audit entry


def test_chinese_headers_and_values(staff, db):
    result = run(staff, rows_of("zh_headers.csv"))  # this file also starts with a BOM
    assert (result.imported, result.meters, result.errors) == (3, 2, [])
    assert result.ignored_columns == ["序号"]
    assert result.headings["account_no"] == "户号"
    found = {c.account_no: c for c in db.session.execute(select(Customer)).scalars()}
    assert [(found[a].category, found[a].gas) for a in ("32000001", "32000002", "32000003")] == [
        ("residential", "NG"), ("commercial", "LPG"), ("industrial", "MG")]
    card, box = found["32000001"].meters[0], found["32000002"].meters[0]
    assert (card.kind, card.location, card.accuracy_class, card.installed_on) == (
        "ic_card", "indoor", "1.5", date(2022, 6, 1))
    assert (box.kind, box.location, box.accuracy_class, box.size) == ("diaphragm", "outdoor", "1.0", "G6")


def test_bom_is_ignored_whichever_way_the_file_was_read(staff, db):
    with_bom = b"\xef\xbb\xbf" + (DATA / "good.csv").read_bytes()
    assert run(staff, importer.read_csv(with_bom)).imported == 4
    # A caller that decoded with plain utf-8 leaves the BOM on the first heading.
    raw = [["\ufeffaccount_no", *HEADER.split(",")[1:]],
           ["30000009", "张三", "", "residential", "NG", "D01", "幸福小区", "", "", "", ""]]
    result = run(staff, raw)
    assert (result.imported, result.errors) == (1, [])


def test_missing_required_column_stops_before_any_row(staff, db):
    rows = [["account_no", "name", "category", "gas"], ["30000001", "王伟", "residential", "NG"]]
    result = run(staff, rows)
    assert result.errors == [(1, "district", "Missing column.")]
    assert count(db, Customer) == 0


def test_meter_serial_taken_in_database_refuses_the_row(staff, db):
    services.create_meter(staff["director"], {"serial_no": "T0000001", "size": "G2.5", "accuracy_class": "1.5",
                                              "kind": "diaphragm", "location": "indoor"})
    result = run(staff, rows_of("good.csv"))
    assert [(line, column) for line, column, _m in result.errors] == [(2, "meter_serial")]
    assert result.imported == 3
    assert db.session.execute(select(Customer.id).where(Customer.account_no == "30000001")).first() is None


def test_large_file_goes_in_batches_with_one_audit_entry_each(staff, db):
    rows = [HEADER.split(",")] + [[f"4{n:07d}", f"用户{n}", "", "residential", "NG", "D01", "幸福小区", "1", "1", "1",
                                   str(n)] for n in range(25)]
    result = run(staff, rows, batch_size=10)
    assert (result.imported, result.batches) == (25, 3)
    assert [e.data["count"] for e in imports_logged(db)] == [10, 10, 5]
    assert count(db, Customer) == 25


def test_excel_scientific_notation_is_refused(staff, db):
    rows = [HEADER.split(","), ["30000001", "王伟", "1.38E+10", "residential", "NG", "D01", "幸福小区", "", "", "", ""]]
    result = run(staff, rows)
    assert [(line, column) for line, column, _m in result.errors] == [(2, "phone")]


@pytest.mark.parametrize(("column", "given", "expected"), [
    ("category", "民用", "residential"), ("category", "Commercial", "commercial"), ("gas", "ng", "NG"),
    ("gas", "液化气", "LPG"), ("meter_class", "1", "1.0"), ("meter_size", "2.5", "G2.5"),
    ("installed_on", "2024.3.5", "2024-03-05"), ("installed_on", "2024-03-05 00:00:00", "2024-03-05"),
    ("installed_on", "5/3/2024", "5/3/2024"),  # ambiguous day/month: left for the schema to refuse
    ("meter_location", "户外", "outdoor"),
])
def test_clean_undoes_excel_and_office_habits(column, given, expected):
    assert importer.columns.clean(column, given) == expected


def test_dry_run_checks_everything_and_writes_nothing(staff, db):
    run(staff, rows_of("good.csv"))
    rows = rows_of("good.csv") + [["30000005", "新户", "", "residential", "NG", "D01", "幸福小区", "1", "1", "1", "101"],
                                  ["30000006", "", "", "residential", "NG", "D01", "幸福小区", "1", "1", "1", "102"]]
    result = run(staff, rows, dry_run=True)
    assert (result.imported, result.already_present, result.dry_run) == (1, 4, True)
    assert [(line, column) for line, column, _m in result.errors] == [(7, "name")]
    assert count(db, Customer) == 4
    assert len(imports_logged(db)) == 1


def test_meter_reader_is_refused(staff, db):
    with pytest.raises(NotAllowed):
        run(staff, rows_of("good.csv"), username="meter_reader")
    assert count(db, Customer) == 0


# --- the command ----------------------------------------------------------------------------------

def test_cli_imports_and_commits_good_rows_even_when_some_fail(app, staff, db):
    services.create_customer(staff["director"], {"account_no": "39999999", "name": "早就有", "category": "residential",
                                                 "gas": "NG", "district": "D01", "estate": "幸福小区"})
    db.session.commit()
    outcome = cli(app, DATA / "bad.csv", "--batch-size", "2")
    assert outcome.exit_code == 1
    assert "line 3: name: Missing data for required field." in outcome.output
    assert "line 7: account_no: Same as line 2." in outcome.output
    assert "2 customers imported (1 with a meter), 1 already present, 5 rows with errors." in outcome.output
    db.session.rollback()  # what the command committed is visible from a fresh transaction
    assert count(db, Customer) == 3


def test_cli_names_the_column_as_the_file_does(app, staff, tmp_path):
    path = tmp_path / "zh.csv"
    path.write_text("户号,姓名,用户类别,气种,片区,小区/道路\n32000009,刘丽,民用,天然气,城西片区,\n", encoding="utf-8")
    outcome = cli(app, path)
    assert outcome.exit_code == 1
    assert "line 2: 小区/道路: An address is required." in outcome.output


def test_cli_clean_file_exits_zero_and_rerun_too(app, staff):
    assert cli(app, DATA / "good.csv").exit_code == 0
    again = cli(app, DATA / "good.csv")
    assert again.exit_code == 0
    assert "0 customers imported (0 with a meter), 4 already present, 0 rows with errors." in again.output


def test_cli_dry_run_writes_nothing(app, staff, db):
    outcome = cli(app, DATA / "good.csv", "--dry-run")
    assert outcome.exit_code == 0
    assert "4 customers would be imported" in outcome.output
    assert (count(db, Customer), count(db, Meter), len(imports_logged(db))) == (0, 0, 0)


def test_cli_refuses_a_meter_reader(app, staff, db):
    outcome = cli(app, DATA / "good.csv", "--as", "meter_reader")
    assert outcome.exit_code == 2
    assert "You are not allowed to do this." in outcome.output
    assert count(db, Customer) == 0


def test_cli_encoding(app, staff, tmp_path, db):
    path = tmp_path / "excel.csv"
    path.write_bytes((DATA / "zh_headers.csv").read_text(encoding="utf-8-sig").encode("gb18030"))
    refused = cli(app, path)
    assert refused.exit_code == 2
    assert "CSV UTF-8" in refused.output
    assert cli(app, path, "--encoding", "gb18030").exit_code == 0
    assert count(db, Customer) == 3
