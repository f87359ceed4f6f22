"""The first-contact owner's duty (首问负责制): the owner's reply to the customer and the hand-over to a named
colleague — who may, to whom, what the history and the lists show, and what the public status page shows
(the reply once a solution is approved, never a name or a phone number)."""
import pytest

from fieldsvc.complaints import rules
from fieldsvc.complaints.models import ComplaintEvent
from fieldsvc.complaints.services import access, first_contact, handling
from fieldsvc.errors import Conflict, Invalid, NotAllowed
from tests.complaints.conftest import EN

REPLY = "已为您安排计量室检定燃气表，检定不合格将更换燃气表并退还多收气费。"


def _events(db, complaint, action):
    return db.session.query(ComplaintEvent).filter_by(complaint_id=complaint.id, action=action).all()


# --- the reply ---------------------------------------------------------------------------------------

def test_the_owner_records_the_reply_on_the_history(staff, db, make_complaint):
    complaint = make_complaint(receiver="meter_reader")  # field staff own what they receive
    first_contact.reply(staff["meter_reader"], complaint.id, f"  {REPLY}  ")
    db.session.commit()
    assert (complaint.reply_text, complaint.replied_by_id) == (REPLY, staff["meter_reader"].id)
    assert complaint.replied_at is not None
    [event] = _events(db, complaint, "reply")
    assert (event.note, event.actor_id) == (REPLY, staff["meter_reader"].id)
    first_contact.reply(staff["meter_reader"], complaint.id, "第二次答复：已预约周三上门。")
    assert complaint.reply_text == "第二次答复：已预约周三上门。" and len(_events(db, complaint, "reply")) == 2


@pytest.mark.parametrize("text", [
    "如有疑问请拨打13800000001", "请联系 138 0000 0001", "＋８６ １３９１２３４５６７８ 联系我们", "请拨 010-12345678",
    "热线 400-123-4567", "请拨88886666", "请拨 8888-6666", "户号 20000001 已核实",
])
def test_a_reply_with_a_phone_number_is_refused(staff, db, make_complaint, text):
    complaint = make_complaint()
    with pytest.raises(Invalid) as refused:
        first_contact.reply(staff["station_chief"], complaint.id, text)
    assert "phone numbers" in refused.value.errors["text"][0]
    assert complaint.reply_text is None and _events(db, complaint, "reply") == []


@pytest.mark.parametrize("text", ["已于2026-11-28更换燃气表，退费 35.50 元。", "2026-2027 年度气价不变。",
                                  "您的编号 TS-20261127-7KX2QM 已受理，读数 12345 正常。"])
def test_dates_amounts_and_readings_are_not_phone_numbers(staff, db, make_complaint, text):
    complaint = make_complaint()
    first_contact.reply(staff["station_chief"], complaint.id, text)
    assert complaint.reply_text == text


@pytest.mark.parametrize("who", ["staff", "complainant"])
def test_a_reply_naming_someone_is_refused(staff, db, make_complaint, who):
    complaint = make_complaint()
    name = staff["repair_tech"].name if who == "staff" else complaint.contact_name
    with pytest.raises(Invalid) as refused:
        first_contact.reply(staff["station_chief"], complaint.id, f"已安排{name}处理。")
    assert name in refused.value.errors["text"][0]


@pytest.mark.parametrize("text", ["", "   ", "长" * (rules.REPLY_MAX + 1)])
def test_an_empty_or_long_reply_is_refused(staff, make_complaint, text):
    complaint = make_complaint()
    with pytest.raises(Invalid) as refused:
        first_contact.reply(staff["station_chief"], complaint.id, text)
    assert "text" in refused.value.errors


def test_only_the_owner_or_the_director_replies(staff, db, make_complaint):
    complaint = make_complaint(receiver="station_chief")
    for username in ("station_chief2", "statistician"):  # they see every complaint but do not own this one
        with pytest.raises(NotAllowed):
            first_contact.reply(staff[username], complaint.id, REPLY)
    first_contact.reply(staff["director"], complaint.id, REPLY)
    assert complaint.replied_by_id == staff["director"].id


def test_nothing_to_reply_once_finished_and_a_stale_version_is_409(staff, db, make_complaint):
    complaint = make_complaint(upto="closed")
    with pytest.raises(Conflict):
        first_contact.reply(staff["station_chief"], complaint.id, REPLY)
    with pytest.raises(Conflict):
        first_contact.handover(staff["station_chief"], complaint.id, staff["station_chief2"].id, "交接")
    open_one = make_complaint()
    with pytest.raises(Conflict):
        first_contact.reply(staff["station_chief"], open_one.id, REPLY, version=open_one.version + 1)


# --- the hand-over -----------------------------------------------------------------------------------

def test_hand_over_makes_the_colleague_the_owner(staff, db, make_complaint):
    complaint = make_complaint(receiver="meter_reader")
    first_contact.handover(staff["meter_reader"], complaint.id, staff["station_chief2"].id, "  用户要求所长处理  ")
    db.session.commit()
    assert complaint.owner_id == staff["station_chief2"].id and complaint.received_by_id == staff["meter_reader"].id
    [event] = _events(db, complaint, "handover")
    assert event.note == "用户要求所长处理"
    assert event.data == {"from_owner_id": staff["meter_reader"].id, "to_owner_id": staff["station_chief2"].id,
                          "to_name": staff["station_chief2"].name}
    mine, _total = access.list_complaints(staff["station_chief2"], mine=True)
    assert [c.id for c in mine] == [complaint.id]
    # The receiver still sees it, but the duty is the new owner's now.
    assert access.get_complaint(staff["meter_reader"], complaint.id) is complaint
    with pytest.raises(NotAllowed):
        first_contact.reply(staff["meter_reader"], complaint.id, REPLY)
    first_contact.reply(staff["station_chief2"], complaint.id, REPLY)


@pytest.mark.parametrize("target, note, field", [
    ("repair_tech", "交接", "to_user_id"),        # may not handle complaints
    ("statistician", "交接", "to_user_id"),
    ("station_chief", "交接", "to_user_id"),      # the owner already
    ("inactive_chief", "交接", "to_user_id"),
    ("nobody", "交接", "to_user_id"),
    ("station_chief2", "  ", "note"),
])
def test_hand_over_only_to_a_colleague_who_handles_complaints(staff, db, make_complaint, target, note, field):
    complaint = make_complaint(receiver="station_chief")
    if target == "inactive_chief":
        staff["station_chief2"].active = False
        db.session.commit()
        to_id = staff["station_chief2"].id
    else:
        to_id = staff[target].id if target in staff else 999999
    with pytest.raises(Invalid) as refused:
        first_contact.handover(staff["station_chief"], complaint.id, to_id, note)
    assert field in refused.value.errors
    assert complaint.owner_id == staff["station_chief"].id


def test_hand_over_candidates_are_the_handlers_but_the_owner(staff, db, make_complaint):
    complaint = make_complaint(receiver="station_chief")
    candidates = first_contact.handover_candidates(staff["station_chief"], complaint)
    assert {u.username for u in candidates} == {"director", "station_chief2"}
    assert first_contact.handover_candidates(staff["station_chief2"], complaint) == []
    assert first_contact.may_act(staff["director"], complaint)


def test_the_director_may_hand_over_someone_elses_complaint(staff, db, make_complaint):
    complaint = make_complaint(receiver="station_chief")
    first_contact.handover(staff["director"], complaint.id, staff["station_chief2"].id, "所长休假")
    assert complaint.owner_id == staff["station_chief2"].id
    with pytest.raises(NotAllowed):
        first_contact.handover(staff["station_chief"], complaint.id, staff["director"].id, "退回")


# --- the public status page ---------------------------------------------------------------------------

def _status(client, complaint):
    return client.get(f"/feedback/status/{complaint.tracking_no}", headers=EN).get_data(as_text=True)


def test_the_reply_is_public_once_a_solution_is_approved(staff, db, make_complaint, client):
    complaint = make_complaint(upto="solution_proposed")
    first_contact.reply(staff["station_chief"], complaint.id, REPLY)
    db.session.commit()
    assert REPLY not in _status(client, complaint) and 'id="public-reply"' not in _status(client, complaint)
    handling.transition(staff["director"], complaint.id, "solution_approved",
                        {"solution_id": complaint.current_solutions[0].id})
    db.session.commit()
    html = _status(client, complaint)
    assert 'id="public-reply"' in html and REPLY in html
    for secret in (complaint.contact_name, complaint.contact_phone, staff["station_chief"].name,
                   staff["director"].name):
        assert secret not in html
    # Reopened: the approval is withdrawn, and the reply leaves the page until the next approval.
    for to in ("resolved", "closed"):
        handling.transition(staff["station_chief"], complaint.id, to, {"actions": "已更换"})
    assert REPLY in _status(client, complaint)
    handling.transition(staff["station_chief"], complaint.id, "investigating", {"note": "用户不满意"})
    db.session.commit()
    assert REPLY not in _status(client, complaint)


def test_a_phone_number_that_slipped_in_is_masked_on_the_public_page(staff, db, make_complaint, client):
    complaint = make_complaint(upto="solution_approved")
    complaint.reply_text = "请拨打13800000001或 0571-8888 6666 咨询"  # stored before the check existed
    db.session.commit()
    html = _status(client, complaint)
    assert "13800000001" not in html and "8888 6666" not in html and "请拨打***或 ***" in html


# --- pages and the API ----------------------------------------------------------------------------------

def test_the_page_offers_the_owner_the_reply_and_the_hand_over(staff, db, make_complaint, login):
    complaint = make_complaint(receiver="station_chief")
    html = login("station_chief").get(f"/complaints/{complaint.id}", headers=EN).get_data(as_text=True)
    assert 'id="form-reply"' in html and 'id="form-handover"' in html
    assert f'value="{staff["station_chief2"].id}"' in html
    other = login("station_chief2").get(f"/complaints/{complaint.id}", headers=EN).get_data(as_text=True)
    assert 'id="form-reply"' not in other and 'id="form-handover"' not in other


def test_a_refused_reply_keeps_what_was_typed(staff, db, make_complaint, login):
    complaint = make_complaint(receiver="station_chief")
    client = login("station_chief")
    text = "有问题请拨打 13800000001 找我"
    response = client.post(f"/complaints/{complaint.id}/reply", data={"text": text, "version": complaint.version},
                           headers=EN)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert text in html and "phone numbers" in html and 'aria-invalid="true"' in html
    response = client.post(f"/complaints/{complaint.id}/reply", data={"text": REPLY, "version": complaint.version},
                           headers=EN)
    assert response.status_code == 302
    assert REPLY in client.get(f"/complaints/{complaint.id}", headers=EN).get_data(as_text=True)


def test_hand_over_through_the_page(staff, db, make_complaint, login):
    complaint = make_complaint(receiver="station_chief")
    client = login("station_chief")
    refused = client.post(f"/complaints/{complaint.id}/handover",
                          data={"to_user_id": staff["repair_tech"].id, "note": "交给你"}, headers=EN)
    assert refused.status_code == 422 and "交给你" in refused.get_data(as_text=True)
    response = client.post(f"/complaints/{complaint.id}/handover",
                           data={"to_user_id": staff["station_chief2"].id, "note": "交给城东所"}, headers=EN)
    assert response.status_code == 302
    db.session.expire_all()
    html = login("station_chief2").get("/complaints/mine", headers=EN).get_data(as_text=True)
    assert complaint.tracking_no in html
    page = client.get(f"/complaints/{complaint.id}", headers=EN).get_data(as_text=True)
    assert f"→ {staff['station_chief2'].name}" in page and "交给城东所" in page


def test_the_api_reply_and_handover(staff, db, make_complaint, api):
    complaint = make_complaint(receiver="station_chief")
    client, headers = api("station_chief")
    bad = client.post(f"/api/v1/complaints/{complaint.id}/reply", json={"text": "拨打13800000001"}, headers=headers)
    assert bad.status_code == 422 and "text" in bad.json["errors"]
    ok = client.post(f"/api/v1/complaints/{complaint.id}/reply", json={"text": REPLY}, headers=headers)
    assert ok.status_code == 200 and ok.json["reply_text"] == REPLY and ok.json["replied_by_id"]
    other, other_headers = api("station_chief2")
    assert other.post(f"/api/v1/complaints/{complaint.id}/reply", json={"text": REPLY},
                      headers=other_headers).status_code == 403
    for payload in ({"to_user_id": staff["repair_tech"].id, "note": "x"}, {"to_user_id": 0, "note": "x"},
                    {"to_user_id": 2**40, "note": "x"}, {"to_user_id": staff["director"].id},
                    {"to_user_id": "abc", "note": "x"}):
        response = client.post(f"/api/v1/complaints/{complaint.id}/handover", json=payload, headers=headers)
        assert response.status_code == 422, payload
    moved = client.post(f"/api/v1/complaints/{complaint.id}/handover",
                        json={"to_user_id": staff["station_chief2"].id, "note": "交接", "version": ok.json["version"]},
                        headers=headers)
    assert moved.status_code == 200 and moved.json["owner_id"] == staff["station_chief2"].id
    stale = other.post(f"/api/v1/complaints/{complaint.id}/reply", json={"text": REPLY, "version": 1},
                       headers=other_headers)
    assert stale.status_code == 409
    assert client.post("/api/v1/complaints/999999/reply", json={"text": REPLY}, headers=headers).status_code == 404
    spec = client.get("/api/v1/openapi.json").json["paths"]
    assert "/api/v1/complaints/{complaint_id}/reply" in spec and "/api/v1/complaints/{complaint_id}/handover" in spec


def test_reply_and_handover_reach_the_customers_timeline(staff, db, make_complaint, customers, app):
    from fieldsvc.customers.services import timeline
    complaint = make_complaint(receiver="station_chief")
    first_contact.reply(staff["station_chief"], complaint.id, REPLY)
    first_contact.handover(staff["station_chief"], complaint.id, staff["station_chief2"].id, "交接")
    db.session.commit()
    with app.test_request_context():
        kinds = [e.kind for e in timeline(staff["station_chief"], customers[0])]
    assert "complaint.reply" in kinds and "complaint.handover" in kinds
