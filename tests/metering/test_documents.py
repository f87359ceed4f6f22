"""What the issued PDFs say (read back with pypdf), and what the services refuse."""
import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from fieldsvc.errors import Conflict, Invalid, NotAllowed
from fieldsvc.metering import schemas
from fieldsvc.metering.models import MeteringDocument, MeterTest
from fieldsvc.metering.services import documents, meter_tests
from tests.metering.conftest import payload


def _text(data: bytes) -> str:
    """All pages' text with whitespace removed (letter-spaced titles extract as 检 定 证 书)."""
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def _record(lab, username="metering_tech", meter=None, **kw) -> MeterTest:
    data = schemas.MeterTestIn().load(payload(meter or lab.stock, lab.bench, **kw))
    return meter_tests.record_test(lab.staff[username], data)


def _issue(lab, test, checker="metering_tech2"):
    return documents.issue(lab.staff["metering_head"], test, lab.staff[checker].id)


def test_certificate_pdf_carries_every_field(lab, en_request, db):
    test = _record(lab, meter=lab.ng, verification="subsequent", errors=("-1.25", "0.30", "1.50"))
    doc = _issue(lab, test)
    db.session.commit()
    text = _text(doc.pdf)
    reader = PdfReader(io.BytesIO(doc.pdf))
    assert float(reader.pages[0].mediabox.height) == pytest.approx(841.89, abs=0.5)  # A4
    for expected in (doc.number, "检定证书", "LAB-N0001", "G2.5", "1.5级", "金卡智能", "王小明", "31000001",
                     "JJG577-2012", "钟罩式气体流量标准装置", "EQ-0001", "JZ2026-0815",
                     lab.bench.calibration_expires_on.isoformat(), "20.5°C", "55.0%",
                     "-1.25", "+0.30", "+1.50", "±3", "±1.5", "0.025", "0.8",
                     "检定结论：合格", "后续检定", f"有效期至{doc.valid_until.isoformat()}",
                     f"检定日期{lab.today.isoformat()}", "黄敏", "何杰", "杨文博", "第1页共1页",
                     f"/verify/{doc.number}"):
        assert expected in text, expected
    assert "不合格" not in text


def test_notice_lists_the_failing_items(lab, en_request, db):
    test = _record(lab, errors=("3.50", "0.20", "-1.60"), leak_ok=False, loss="230")
    doc = _issue(lab, test)
    text = _text(doc.pdf)
    assert doc.kind == "notice" and doc.number.startswith("TZ-") and doc.valid_until is None
    for expected in (doc.number, "检定结果通知书", "LAB-S0001", "+3.50", "+0.20", "-1.60", "检定结论：不合格",
                     "第1个流量点示值误差超出最大允许误差", "第3个流量点示值误差超出最大允许误差",
                     "密封性试验不合格", "压力损失超出限值", "首次检定", "230Pa（限值200Pa）"):
        assert expected in text, expected
    assert "第2个流量点" not in text
    assert doc.valid_until is None and "不得使用" in text


def test_stock_meter_certificate_counts_as_ng(lab, en_request):
    doc = _issue(lab, _record(lab, meter=lab.big))  # G10 in stock: the 3-year period
    assert doc.valid_until == lab.today.replace(year=lab.today.year + 3) - timedelta(days=1)
    assert "用户" not in _text(doc.pdf)


def test_issued_documents_are_frozen(lab, en_request, db):
    doc = _issue(lab, _record(lab, meter=lab.ng))
    db.session.commit()
    digest = doc.sha256
    lab.ng_customer.name = "改名后"
    db.session.commit()
    db.session.expire_all()
    again = db.session.query(MeteringDocument).one()
    assert again.sha256 == digest and "王小明" in _text(again.pdf)


def test_checker_equal_to_tester_is_refused(lab, en_request, db):
    test = _record(lab)
    with pytest.raises(Invalid) as exc:
        _issue(lab, test, checker="metering_tech")
    assert "another person" in exc.value.errors["checker_id"][0]
    assert db.session.query(MeteringDocument).count() == 0


def test_checkers_offered_are_the_ones_issue_accepts(lab, en_request, db):
    test = _record(lab)
    lab.staff["metering_tech3"].active = False
    db.session.flush()
    head = lab.staff["metering_head"]
    offered = documents.checker_options(head, test.tester_id)
    assert offered == [(lab.staff["metering_tech2"].id, lab.staff["metering_tech2"].name)]  # not the tester
    assert documents.checker_options(lab.staff["metering_tech2"], test.tester_id) == []  # does not issue
    for name in ("metering_tech", "metering_tech3", "metering_head"):  # tester, inactive, not a technician
        with pytest.raises(Invalid):
            documents.issue(head, test, lab.staff[name].id)
    assert documents.issue(head, test, offered[0][0]).number


def test_check_is_offered_to_another_technician_until_checked(lab, en_request, db):
    test = _record(lab)
    assert not documents.may_check(lab.staff["metering_tech"], test)  # the tester
    assert not documents.may_check(lab.staff["metering_head"], test)  # not a checker
    assert documents.may_check(lab.staff["metering_tech2"], test)
    documents.check_test(lab.staff["metering_tech2"], test)
    assert not documents.may_check(lab.staff["metering_tech3"], test)  # already checked


def test_checker_confirms_first_then_the_head_issues(lab, en_request, db):
    test = _record(lab)
    with pytest.raises(Invalid):
        documents.check_test(lab.staff["metering_tech"], test)  # the tester cannot check their own test
    with pytest.raises(NotAllowed):
        documents.check_test(lab.staff["metering_head"], test)
    documents.check_test(lab.staff["metering_tech3"], test)
    assert test.checker_id == lab.staff["metering_tech3"].id and test.checked_at is not None
    with pytest.raises(Conflict):
        documents.check_test(lab.staff["metering_tech2"], test)
    with pytest.raises(Invalid):  # another checker than the one who checked
        documents.issue(lab.staff["metering_head"], test, lab.staff["metering_tech2"].id)
    doc = documents.issue(lab.staff["metering_head"], test)
    assert doc.test.approver_id == lab.staff["metering_head"].id and doc.test.approved_at is not None
    assert "林超" in _text(doc.pdf)


def test_non_head_cannot_issue(lab, en_request):
    test = _record(lab)
    for username in ("metering_tech", "metering_tech2", "director"):
        with pytest.raises(NotAllowed):
            documents.issue(lab.staff[username], test, lab.staff["metering_tech2"].id)


def test_head_with_expired_licence_cannot_issue(lab, en_request, db):
    test = _record(lab)
    for q in lab.staff["metering_head"].qualifications:
        q.expires_on = lab.today - timedelta(days=1)
    with pytest.raises(Invalid):
        _issue(lab, test)


def test_expired_equipment_and_licence_in_the_service(lab, en_request, db):
    data = schemas.MeterTestIn().load(payload(lab.stock, lab.expired_bench))
    with pytest.raises(Invalid) as exc:
        meter_tests.record_test(lab.staff["metering_tech"], data)
    assert "equipment_id" in exc.value.errors
    for q in lab.staff["metering_tech"].qualifications:
        q.expires_on = lab.today - timedelta(days=1)
    with pytest.raises(Invalid) as exc:
        meter_tests.record_test(lab.staff["metering_tech"], schemas.MeterTestIn().load(payload(lab.stock, lab.bench)))
    assert "licence" in exc.value.errors["_schema"][0]


def test_equipment_valid_through_its_expiry_day(lab, en_request, db):
    lab.expired_bench.calibration_expires_on = lab.today
    data = schemas.MeterTestIn().load(payload(lab.stock, lab.expired_bench))
    assert meter_tests.record_test(lab.staff["metering_tech"], data).ok


def test_every_change_is_audited(lab, en_request, db):
    from fieldsvc.audit import AuditEntry
    test = _record(lab)
    doc = _issue(lab, test)
    actions = [e.action for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert "meter_test.record" in actions and "document.issue" in actions
    entry = db.session.query(AuditEntry).filter_by(action="document.issue").one()
    assert entry.data["number"] == doc.number and entry.data["sha256"] == doc.sha256
