"""A backup taken while the app runs restores every record (SQLite and PostgreSQL)."""
from fieldsvc.customers.models import Customer
from tests import factories


def _add(db, account_no):
    factories.customer(account_no, name="备份测试", address="测试路1号")


def test_backup_then_restore(app, staff, db, tmp_path):
    _add(db, "60000001")
    runner = app.test_cli_runner()
    target = tmp_path / "b.bak"
    result = runner.invoke(args=["backup", "--to", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0
    _add(db, "60000002")  # made after the backup: gone after the restore
    db.session.query(Customer).filter_by(account_no="60000001").update({"name": "被改"})
    db.session.commit()
    db.session.remove()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    names = {c.account_no: c.name for c in db.session.query(Customer)}
    assert names == {"60000001": "备份测试"}
