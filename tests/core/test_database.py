"""Concurrent writers never fail with "database is locked"; the audit chain catches tampering."""
import threading

from sqlalchemy import text

from fieldsvc import audit
from fieldsvc.customers.models import Customer


def test_concurrent_api_writes_all_succeed(app, staff, api, db):
    client, headers = api("station_chief")
    # Test code shares the test's session; end its transaction so it holds no lock while threads write.
    db.session.rollback()
    results, threads_n, per_thread = [], 6, 10
    barrier = threading.Barrier(threads_n)

    def worker(n):
        own = app.test_client()
        barrier.wait()
        for i in range(per_thread):
            response = own.post("/api/v1/customers", headers=headers, json={
                "account_no": f"4{n:02d}{i:05d}", "name": f"并发{n}-{i}", "category": "residential", "gas": "NG",
                "district": "城东片区", "address": f"测试路{i}号"})
            results.append(response.status_code)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [201] * (threads_n * per_thread)
    db.session.rollback()
    assert db.session.query(Customer).count() == threads_n * per_thread
    assert audit.verify() == []  # writers serialised on the chain head: no fork


def test_audit_verify_detects_a_changed_row(app, staff, api, db):
    client, headers = api("station_chief")
    client.post("/api/v1/customers", headers=headers, json={
        "account_no": "50000001", "name": "张三", "category": "residential", "gas": "NG", "district": "城东片区",
        "address": "测试路1号"})
    assert audit.verify() == []
    db.session.execute(text("UPDATE audit_entries SET action = 'customer.delete' WHERE action = 'customer.create'"))
    db.session.commit()
    problems = audit.verify()
    assert problems and "changed" in problems[0]


def test_audit_verify_detects_a_removed_row(app, staff, api, db):
    client, headers = api("station_chief")
    for n in range(3):
        client.post("/api/v1/customers", headers=headers, json={
            "account_no": f"5000010{n}", "name": "张三", "category": "residential", "gas": "NG",
            "district": "城东片区", "address": "测试路1号"})
    middle = db.session.execute(text("SELECT id FROM audit_entries ORDER BY id")).scalars().all()[2]
    db.session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": middle})
    db.session.commit()
    assert any("removed" in p for p in audit.verify())


def test_audit_verify_cli(app, staff):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output


def test_audit_export_carries_the_chain(app, staff, api, db):
    import json
    client, headers = api("station_chief")
    client.post("/api/v1/customers", headers=headers, json={
        "account_no": "50000900", "name": "导出", "category": "residential", "gas": "NG", "district": "城东片区",
        "address": "测试路9号"})
    result = app.test_cli_runner().invoke(args=["audit", "export"])
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert lines and lines[-1]["action"] == "customer.create"
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(lines, lines[1:], strict=False))
