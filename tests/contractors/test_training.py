"""External attendees of an HSE training session: a contractor's people, who are not staff users."""
from datetime import timedelta
from decimal import Decimal

import pytest

from fieldsvc import clock
from fieldsvc.contractors.services import register
from fieldsvc.errors import Invalid, NotAllowed
from fieldsvc.hse.services import training, training_external


@pytest.fixture
def en_request(app):
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        yield


def _session(staff):
    officer = staff["safety_officer"]
    topic = training.create_topic(officer, "燃气安全作业")
    return training.create_session(officer, {"topic_id": topic.id, "held_on": clock.today(), "hours": 2,
                                             "trainer": "吴海燕", "attendee_ids": [staff["repair_tech"].id]})


def _firm(staff):
    return register.create_contractor(staff["safety_officer"], {
        "name": "安信燃气工程有限公司", "licence_no": "JZ-1", "scope": "改管",
        "licence_expires_on": clock.today() + timedelta(days=100)})


def test_external_attendee_with_contractor_and_score(staff, db, en_request):
    session, firm = _session(staff), _firm(staff)
    row = training_external.add_external(staff["safety_officer"], session, {
        "name": "钱小兵", "contractor_id": firm.id, "id_no": "330102199003150012", "score": Decimal("55")})
    assert row.passed is False and row.score == Decimal("55.0")
    assert [r.name for r in training_external.for_contractor(staff["director"], firm.id)] == ["钱小兵"]
    assert [a.user_id for a in session.attendances] == [staff["repair_tech"].id]  # staff list untouched
    with pytest.raises(Invalid) as exc:  # the same person twice
        training_external.add_external(staff["safety_officer"], session, {
            "name": "钱小兵", "contractor_id": firm.id, "id_no": "330102199003150012"})
    assert list(exc.value.errors) == ["ext_id_no"]
    with pytest.raises(Invalid) as exc:
        training_external.add_external(staff["safety_officer"], session, {"name": "孔", "contractor_id": 99999})
    assert list(exc.value.errors) == ["ext_contractor_id"]
    with pytest.raises(NotAllowed):
        training_external.add_external(staff["meter_reader"], session, {"name": "孔", "contractor_id": firm.id})


def test_session_page_form_keeps_what_was_typed(staff, db, en_request, login):
    session, firm = _session(staff), _firm(staff)
    db.session.commit()
    client = login("safety_officer")
    bad = client.post(f"/hse/training/{session.id}/externals", data={"ext_name": "孔德明", "ext_contractor_id": firm.id,
                                                                      "ext_score": "150"})
    assert bad.status_code == 422
    assert 'value="孔德明"' in bad.get_data(as_text=True)
    ok = client.post(f"/hse/training/{session.id}/externals", data={"ext_name": "孔德明", "ext_contractor_id": firm.id})
    assert ok.status_code == 302
    page = client.get(f"/hse/training/{session.id}").get_data(as_text=True)
    assert "孔德明" in page and firm.name in page
    assert "孔德明" in client.get(f"/contractors/{firm.id}").get_data(as_text=True)
