"""The audit trail can no longer be forged (issue 23, item 2): a keyed chain, anchored outside the database.

The probe: edit a row and recompute every later hash (the plain SHA-256 anyone can compute), or cut rows off
the end; both passed `flask audit verify`."""
import hashlib
import json
from collections import namedtuple

import pytest
from sqlalchemy import select, text

from fieldsvc import audit
from fieldsvc.audit import AuditEntry

Row = namedtuple("Row", "id hash prev_hash data")


@pytest.fixture
def checkpoints(app, tmp_path):
    """A checkpoint file of this test's own (the session's instance folder is shared by every test)."""
    path = tmp_path / "audit-checkpoints.jsonl"
    app.config["AUDIT_CHECKPOINT_FILE"] = str(path)
    yield path
    app.config["AUDIT_CHECKPOINT_FILE"] = None


@pytest.fixture
def trail(app, db, staff, checkpoints):
    """The staff's own entries and three more (with non-ASCII data)."""
    for n in range(3):
        audit.record(staff["director"], "test.thing", "thing", n, n=n, note="记录")
    db.session.commit()
    rows = db.session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars().all()
    return [Row(e.id, e.hash, e.prev_hash, e.data) for e in rows]  # plain values: rows get deleted below


def _cli(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["audit", *args], input=input)


def _rehash_unkeyed_from(db, first_id: int) -> None:
    """What the probe did: change nothing but recompute each hash from `first_id` on with the old, public
    scheme (SHA-256 of the fields and the previous hash), so the links all line up again."""
    rows = db.session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars().all()
    prev = audit.GENESIS
    for e in rows:
        if e.id >= first_id:
            e.prev_hash = prev
            e.hash = hashlib.sha256(audit._payload(prev, *audit._fields(e))).hexdigest()
        prev = e.hash
    db.session.commit()


def test_the_chain_is_an_hmac_under_a_key_outside_the_database(app, db, trail):
    assert audit.verify() == []
    e = db.session.get(AuditEntry, trail[-1].id)
    plain = hashlib.sha256(audit._payload(e.prev_hash, *audit._fields(e))).hexdigest()
    assert e.hash != plain  # not the unkeyed hash anyone could recompute
    key = audit.chain_key()
    assert key != app.config["SECRET_KEY"].encode()  # derived, not the session key itself
    dump = json.dumps([[r.data, r.hash, r.prev_hash] for r in trail])
    assert key.hex() not in dump and app.config["SECRET_KEY"] not in dump


def test_an_edited_row_with_every_later_hash_recomputed_is_found(app, db, trail):
    target = trail[-3]
    db.session.execute(text("UPDATE audit_entries SET data = :d WHERE id = :id"),
                       {"d": json.dumps({"n": 99}), "id": target.id})
    db.session.commit()
    db.session.expire_all()
    _rehash_unkeyed_from(db, target.id)
    problems = audit.verify()
    assert problems and "unkeyed" in problems[-1] and f"ids {target.id}–" in problems[-1]
    result = _cli(app, "verify")
    assert result.exit_code == 1 and "intact" not in result.output


def test_an_edited_row_is_found_even_without_recomputing(app, db, trail):
    db.session.execute(text("UPDATE audit_entries SET action = 'test.other' WHERE id = :id"), {"id": trail[-2].id})
    db.session.commit()
    assert any(f"entry {trail[-2].id}: contents changed" in p for p in audit.verify())


def test_rows_cut_off_the_end_are_found_through_the_checkpoint(app, db, trail, checkpoints):
    result = _cli(app, "checkpoint")
    assert result.exit_code == 0, result.output
    point = json.loads(checkpoints.read_text().splitlines()[-1])
    assert point["count"] == len(trail) and point["last_id"] == trail[-1].id and point["head"] == trail[-1].hash
    assert {"at", "key_id", "sig"} <= set(point)
    assert audit.verify() == []
    db.session.execute(text("DELETE FROM audit_entries WHERE id >= :id"), {"id": trail[-2].id})
    db.session.commit()
    assert audit.verify_chain() == []  # what is left is a whole chain: only the anchor tells
    problems = audit.verify()
    assert any(p.startswith(f"truncated: entry {trail[-1].id}") for p in problems), problems
    result = _cli(app, "verify")
    assert result.exit_code == 1 and "truncated" in result.output


def test_new_entries_after_a_checkpoint_are_fine_and_removing_old_ones_is_not(app, db, trail, staff):
    assert _cli(app, "checkpoint").exit_code == 0
    audit.record(staff["director"], "test.later", "thing", 9)
    db.session.commit()
    assert audit.verify() == []
    first = trail[0].id
    db.session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": first})
    db.session.commit()
    problems = audit.verify()
    assert any("entries removed" in p for p in problems) and any("removed or reordered" in p for p in problems)


def test_checkpoint_refuses_to_anchor_a_broken_chain(app, db, trail, checkpoints):
    db.session.execute(text("UPDATE audit_entries SET action = 'x' WHERE id = :id"), {"id": trail[-1].id})
    db.session.commit()
    result = _cli(app, "checkpoint")
    assert result.exit_code == 1 and "no checkpoint written" in result.output and not checkpoints.exists()
    assert _cli(app, "checkpoint", "--force", "--note", "after restore").exit_code == 0
    assert json.loads(checkpoints.read_text())["note"] == "after restore"


def test_a_forged_or_edited_checkpoint_line_is_reported(app, db, trail, checkpoints):
    assert _cli(app, "checkpoint").exit_code == 0
    good = json.loads(checkpoints.read_text())
    forged = dict(good, count=1, last_id=trail[0].id, head=trail[0].hash)  # "the trail was only this long"
    with open(checkpoints, "a") as out:
        out.write(json.dumps(forged) + "\n" + "not json\n")
    problems = audit.verify()
    assert "checkpoint line 2: signature does not match (edited or forged)" in problems
    assert "checkpoint line 3: not a checkpoint" in problems
    # the good line is still the one compared: nothing else is wrong
    assert len(problems) == 2


def test_checkpoint_to_syslog(app, db, trail, monkeypatch):
    import syslog
    sent = []
    monkeypatch.setattr(syslog, "openlog", lambda *a, **k: None)
    monkeypatch.setattr(syslog, "syslog", lambda priority, message: sent.append((priority, message)))
    assert _cli(app, "checkpoint", "--syslog").exit_code == 0
    assert len(sent) == 1 and sent[0][0] == syslog.LOG_NOTICE and sent[0][1].startswith("checkpoint {")
    assert json.loads(sent[0][1].removeprefix("checkpoint "))["last_id"] == trail[-1].id


def test_the_key_comes_from_configuration(app, db, trail):
    assert audit.verify() == []
    app.config["AUDIT_KEY"] = "another key from the environment"
    try:
        problems = audit.verify()
        assert problems and all("contents changed" in p for p in problems)
    finally:
        app.config["AUDIT_KEY"] = None
    assert audit.verify() == []


def test_rekey_upgrades_an_unkeyed_chain_once(app, db, trail, checkpoints):
    _rehash_unkeyed_from(db, trail[0].id)  # the whole trail as an older release wrote it
    assert any("flask audit rekey" in p for p in audit.verify())
    result = _cli(app, "rekey", "--yes")
    assert result.exit_code == 0, result.output
    assert f"{len(trail)} entries re-signed" in result.output
    assert audit.verify() == []
    last = db.session.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
    assert last.action == "audit.rekey" and last.data["entries"] == len(trail)
    assert json.loads(checkpoints.read_text().splitlines()[-1])["rekey"] is True


def test_rekey_refuses_a_chain_that_was_tampered_with(app, db, trail):
    db.session.execute(text("UPDATE audit_entries SET action = 'x' WHERE id = :id"), {"id": trail[-2].id})
    db.session.commit()
    result = _cli(app, "rekey", "--yes")
    assert result.exit_code == 1 and "nothing re-signed" in result.output
    db.session.expire_all()
    assert db.session.get(AuditEntry, trail[-1].id).hash == trail[-1].hash


def test_rekey_refuses_unkeyed_hashes_after_keyed_ones(app, db, trail):
    """An upgrade leaves old unkeyed entries first, keyed ones after; the reverse is a rewrite."""
    _rehash_unkeyed_from(db, trail[-2].id)
    result = _cli(app, "rekey", "--yes")
    assert result.exit_code == 1 and f"entry {trail[-2].id}: unkeyed hash after entries under the current key" \
        in result.output


def test_changing_the_key_with_rekey(app, db, trail, checkpoints):
    assert _cli(app, "checkpoint").exit_code == 0
    old_secret = app.config["SECRET_KEY"]
    app.config["AUDIT_KEY"] = "the new audit key"
    try:
        assert audit.verify()  # nothing verifies under the new key yet
        assert _cli(app, "rekey", "--yes", "--old-secret-key", old_secret).exit_code == 0
        assert audit.verify() == []  # re-signed, and the old checkpoint is history
        app.config["AUDIT_KEY"] = "a third key"
        assert _cli(app, "rekey", "--yes", "--old-key", "the new audit key").exit_code == 0
        assert audit.verify() == []
    finally:
        app.config["AUDIT_KEY"] = None


def test_verify_says_when_there_is_no_checkpoint(app, db, trail):
    result = _cli(app, "verify")
    assert result.exit_code == 0 and "audit trail intact" in result.output
    assert "no checkpoint" in result.output  # on stderr, mixed in by the runner


def test_checkpoint_walks_only_what_is_new_and_refuses_a_broken_tail(app, db, trail, staff, checkpoints):
    assert _cli(app, "checkpoint").exit_code == 0
    later = audit.record(staff["director"], "test.later", "thing", 9).id
    db.session.commit()
    db.session.execute(text("UPDATE audit_entries SET action = 'x' WHERE id = :id"), {"id": later})
    db.session.commit()
    result = _cli(app, "checkpoint")
    assert result.exit_code == 1 and f"entry {later}: contents changed" in result.output
    assert len(checkpoints.read_text().splitlines()) == 1
