"""The legal register: the API (FIXED names), compliance evaluations (a failed one opens exactly one
nonconformity, linked back), evidence photos, pages keeping what was typed, the due dates, the export."""
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from fieldsvc import clock
from fieldsvc.errors import Conflict, Invalid, NotAllowed
from fieldsvc.hse import rules_legal
from fieldsvc.hse.models import LegalRequirement, Nonconformity
from fieldsvc.hse.services import legal
from tests import factories


def _line(officer, **changes):
    data = {"title": "城镇燃气管理条例", "issuer": "国务院", "clause": "第十七条", "applies_to": "入户安检；户内维修工",
            "next_review_on": clock.today() + timedelta(days=10)}
    data.update(changes)
    return legal.create(officer, data)


def _ncs(db, item_id):
    return db.session.execute(select(func.count(Nonconformity.id)).where(
        Nonconformity.source_entity == legal.ENTITY, Nonconformity.source_id == item_id)).scalar_one()


@pytest.mark.parametrize("next_on, today, expected", [
    (date(2026, 1, 1), date(2026, 1, 2), "overdue"),
    (date(2026, 1, 2), date(2026, 1, 2), "due"),
    (date(2026, 2, 1), date(2026, 1, 2), "due"),      # 30 days: still due
    (date(2026, 2, 2), date(2026, 1, 2), None),       # 31 days
    (None, date(2026, 1, 2), None),
])
def test_evaluation_status(next_on, today, expected):
    assert rules_legal.evaluation_status(next_on, today) == expected


@pytest.mark.parametrize("on, compliant, expected", [
    (date(2026, 3, 15), True, date(2027, 3, 15)),
    (date(2026, 3, 15), False, date(2026, 6, 15)),
    (date(2026, 11, 30), False, date(2027, 2, 28)),   # no 30 February
    (date(2024, 2, 29), True, date(2025, 2, 28)),
])
def test_next_evaluation(on, compliant, expected):
    assert rules_legal.next_evaluation(on, compliant) == expected


def test_failed_evaluation_opens_exactly_one_nonconformity(db, staff):
    officer = staff["safety_officer"]
    item = _line(officer)
    first = legal.evaluate(officer, item, {"compliant": False, "note": "拒绝入户未书面告知"})
    assert first.nonconformity is not None and first.nonconformity.origin == "audit"
    assert first.nonconformity.status == "draft"
    assert item.last_compliant is False and item.next_review_on == rules_legal.next_evaluation(clock.today(), False)
    # evaluated again while that nonconformity is open: the same one, not a second
    second = legal.evaluate(officer, item, {"compliant": False, "note": "仍未整改"})
    assert second.nonconformity_id == first.nonconformity_id
    assert _ncs(db, item.id) == 1


def test_compliant_evaluation_opens_none(db, staff):
    officer = staff["safety_officer"]
    item = _line(officer)
    evaluation = legal.evaluate(officer, item, {"compliant": True, "note": "台账齐全"})
    assert evaluation.nonconformity_id is None and _ncs(db, item.id) == 0
    assert item.next_review_on == rules_legal.next_evaluation(clock.today(), True)


def test_only_the_safety_officer_keeps_the_register(db, staff):
    item = _line(staff["safety_officer"])
    for role in ("director", "station_chief", "metering_head"):
        assert legal.get(staff[role], item.id) is item  # unit heads and the director read it
        with pytest.raises(NotAllowed):
            legal.evaluate(staff[role], item, {"compliant": True, "note": "x"})
    with pytest.raises(NotAllowed):
        legal.get(staff["repair_tech"], item.id)


def test_retired_line_takes_no_evaluation_and_edit_is_audited(db, staff):
    officer = staff["safety_officer"]
    item = _line(officer)
    legal.update(officer, item, {"clause": "第十七条、第二十八条"})
    legal.retire(officer, item, "已废止")
    with pytest.raises(Conflict):
        legal.evaluate(officer, item, {"compliant": True, "note": "x"})
    from fieldsvc.audit import history
    assert [e.action for e in history(legal.ENTITY, item.id)] == ["hse_legal.create", "hse_legal.update",
                                                                  "hse_legal.retire"]


def test_future_evaluation_refused(db, staff):
    item = _line(staff["safety_officer"])
    with pytest.raises(Invalid) as exc:
        legal.evaluate(staff["safety_officer"], item, {"compliant": True, "note": "x",
                                                       "evaluated_on": clock.today() + timedelta(days=1)})
    assert "evaluated_on" in exc.value.errors


# --- API (API.md "Additions") -------------------------------------------------------------------------

def test_api_create_list_and_failed_evaluation(db, staff, api):
    client, headers = api("safety_officer")
    body = {"title": "GB 55009-2021 燃气工程项目规范", "issuer": "住房和城乡建设部", "clause": "第6章",
            "applies_to": "户内管道验收", "next_review_on": "2027-01-15"}
    response = client.post("/api/v1/hse/legal", json=body, headers=headers)
    assert response.status_code == 201, response.json
    legal_id = response.json["id"]
    listed = client.get("/api/v1/hse/legal?q=55009", headers=headers).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == legal_id
    response = client.post(f"/api/v1/hse/legal/{legal_id}/evaluations", json={"compliant": False, "note": "验收记录缺签字"},
                           headers=headers)
    assert response.status_code == 201, response.json
    nc = db.session.get(Nonconformity, response.json["nonconformity_id"])
    assert nc is not None and nc.source_entity == "hse_legal" and nc.source_id == legal_id
    assert _ncs(db, legal_id) == 1


@pytest.mark.parametrize("field, value", [
    ("next_review_on", "2026-13-45"), ("next_review_on", "0000-00-00"), ("next_review_on", "9999-01-01"),
    ("title", {"nested": "object"}), ("title", ""), ("applies_to", ["a"]), ("issuer", 12345),
])
def test_api_bad_input_names_the_field(db, staff, api, field, value):
    client, headers = api("safety_officer")
    body = {"title": "消防法", "issuer": "全国人大常委会", "applies_to": "营业厅", "next_review_on": "2027-01-01",
            field: value}
    response = client.post("/api/v1/hse/legal", json=body, headers=headers)
    assert response.status_code == 422 and field in response.json["errors"]


@pytest.mark.parametrize("body, field", [
    ({"compliant": "maybe", "note": "x"}, "compliant"), ({"compliant": True}, "note"),
    ({"compliant": {"a": 1}, "note": "x"}, "compliant"), ({"compliant": True, "note": "x",
                                                           "evaluated_on": "2026-02-30"}, "evaluated_on"),
])
def test_api_bad_evaluation(db, staff, api, body, field):
    item = _line(staff["safety_officer"])
    db.session.commit()
    client, headers = api("safety_officer")
    response = client.post(f"/api/v1/hse/legal/{item.id}/evaluations", json=body, headers=headers)
    assert response.status_code == 422 and field in response.json["errors"]
    assert _ncs(db, item.id) == 0


def test_api_refuses_others(db, staff, api):
    item = _line(staff["safety_officer"])
    db.session.commit()
    client, headers = api("director")
    assert client.get("/api/v1/hse/legal", headers=headers).status_code == 200
    assert client.post(f"/api/v1/hse/legal/{item.id}/evaluations", json={"compliant": True, "note": "x"},
                       headers=headers).status_code == 403
    client, headers = api("repair_tech")
    assert client.get("/api/v1/hse/legal", headers=headers).status_code == 403


# --- pages --------------------------------------------------------------------------------------------

def test_form_keeps_what_was_typed(db, staff, login):
    client = login("safety_officer")
    response = client.post("/hse/legal/new", data={"title": "安全生产法", "issuer": "全国人大常委会",
                                                   "applies_to": "全体岗位", "next_review_on": "2026-13-45"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "安全生产法" in page and "全体岗位" in page and "2026-13-45" in page
    assert db.session.execute(select(func.count(LegalRequirement.id))).scalar_one() == 0


def test_page_evaluation_with_photo_and_history(db, staff, login):
    item = _line(staff["safety_officer"])
    db.session.commit()
    client = login("safety_officer")
    response = client.post(f"/hse/legal/{item.id}/evaluations", data={
        "compliant": "false", "note": "现场照片：表箱锈蚀", "photo": (io.BytesIO(factories.jpeg()), "e.jpg")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/hse/legal/{item.id}").get_data(as_text=True)
    assert "现场照片：表箱锈蚀" in page and "/uploads/" in page and "NC" in page
    evaluation = item.evaluations[0]
    assert client.get(f"/uploads/{evaluation.upload_id}").status_code == 200
    assert login("repair_tech").get(f"/uploads/{evaluation.upload_id}").status_code == 404


def test_page_refuses_a_non_image_and_keeps_the_note(db, staff, login):
    item = _line(staff["safety_officer"])
    db.session.commit()
    client = login("safety_officer")
    response = client.post(f"/hse/legal/{item.id}/evaluations", data={
        "compliant": "true", "note": "证据说明", "photo": (io.BytesIO(b"%PDF-1.4 not an image"), "e.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 422 and "证据说明" in response.get_data(as_text=True)
    assert not item.evaluations


def test_search_due_filter_and_export(db, staff, login):
    officer = staff["safety_officer"]
    _line(officer, title="JJG 577-2012 膜式燃气表检定规程", next_review_on=clock.today() + timedelta(days=200))
    _line(officer, title="中华人民共和国消防法", next_review_on=clock.today() - timedelta(days=1))
    db.session.commit()
    client = login("station_chief")
    page = client.get("/hse/legal?q=JJG").get_data(as_text=True)
    assert "JJG 577" in page and "消防法" not in page
    page = client.get("/hse/legal?due=1").get_data(as_text=True)
    assert "消防法" in page and "JJG 577" not in page
    response = client.get("/hse/legal.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.max_row == 3


def test_due_figures_and_plan_year(db, staff):
    officer = staff["safety_officer"]
    today = clock.today()
    _line(officer, next_review_on=today - timedelta(days=3))
    _line(officer, next_review_on=today + timedelta(days=5))
    _line(officer, next_review_on=date(today.year + 2, 1, 1))
    assert legal.due_counts(officer, today) == {"overdue": 1, "due": 1, "failing": 0}
    assert len(legal.due_in_year(staff["director"], today.year + 1)) == 2
