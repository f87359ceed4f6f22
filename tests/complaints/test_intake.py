"""Complaint intake and who sees what: ownership (首问负责制) and the web-owner rule, clocks, photos,
visibility, search, escalation of overdue complaints, and the customer's timeline."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from fieldsvc.auth.models import User
from fieldsvc.complaints import rules
from fieldsvc.complaints.services import access, handling, intake
from fieldsvc.customers.models import District
from fieldsvc.customers.services import timeline
from fieldsvc.errors import Invalid, NotFound
from fieldsvc.models import utcnow
from tests.complaints.conftest import followup_call, jpeg_bytes

WEB = {"category": "billing", "description": "账单金额不对", "contact_name": "张三", "contact_phone": "13912345678"}


def _district(db, code):
    return db.session.execute(select(District).where(District.code == code)).scalar_one()


# --- intake and ownership --------------------------------------------------------------------------

def test_receiver_owns_it_and_clocks_start(make_complaint, staff):
    c = make_complaint("repair_tech", category="safety", channel="field")
    assert (c.owner_id, c.received_by_id, c.status) == (staff["repair_tech"].id, staff["repair_tech"].id, "received")
    assert c.first_contact_due - c.received_at == timedelta(hours=2)
    assert c.resolve_due.weekday() < 5 and c.resolve_due > c.received_at + timedelta(days=5)
    assert rules.normalise_tracking(c.tracking_no) == c.tracking_no
    assert c.complainant_key == f"c:{c.customer_id}"


def test_owner_stays_while_others_work_on_it(make_complaint, staff):
    c = make_complaint("meter_reader", upto="closed")
    assert c.owner_id == staff["meter_reader"].id and c.status == "closed"


def test_unknown_account_is_refused_for_staff(staff, customers, en_request):
    with pytest.raises(Invalid) as exc:
        intake.receive(staff["station_chief"], {**WEB, "channel": "hotline", "account_no": "99999999"})
    assert "account_no" in exc.value.errors


def test_web_owner_is_the_chief_of_the_customers_district(staff, customers, db, en_request):
    c = intake.receive_public({**WEB, "account_no": customers[0].account_no})  # D01 → station_chief2
    assert (c.owner_id, c.customer_id, c.channel, c.received_by_id) == (
        staff["station_chief2"].id, customers[0].id, "web", None)
    c2 = intake.receive_public({**WEB, "account_no": customers[1].account_no})  # D03 → station_chief
    assert c2.owner_id == staff["station_chief"].id


def test_web_owner_from_the_chosen_district_or_the_first_chief(staff, customers, db, en_request):
    by_district = intake.receive_public({**WEB, "district_id": _district(db, "D01").id})
    assert by_district.owner_id == staff["station_chief2"].id
    first_chief = min(staff["station_chief"].id, staff["station_chief2"].id)
    assert intake.receive_public(dict(WEB)).owner_id == first_chief
    # A district without a chief of its own (D02) → the first active chief.
    assert intake.receive_public({**WEB, "district_id": _district(db, "D02").id}).owner_id == first_chief


def test_web_owner_falls_back_to_the_director(staff, customers, db, en_request):
    for user in db.session.scalars(select(User).where(User.role == "station_chief")):
        user.active = False
    db.session.flush()
    assert intake.receive_public(dict(WEB)).owner_id == staff["director"].id


def test_public_form_does_not_reveal_accounts(staff, customers, en_request):
    c = intake.receive_public({**WEB, "account_no": "99999999"})
    assert c.customer_id is None and c.account_no_given == "99999999"
    assert c.complainant_key == "p:13912345678"


def test_photos_are_saved_and_visible_only_to_who_sees_the_complaint(make_complaint, staff, login, db):
    c = intake.receive(staff["meter_reader"], {**WEB, "channel": "field"}, [jpeg_bytes(), jpeg_bytes((0, 0, 200))])
    db.session.commit()
    photos = access.photos(staff["meter_reader"], c)
    assert len(photos) == 2 and {p.entity for p in photos} == {"complaint"}
    assert login("meter_reader").get(f"/uploads/{photos[0].id}").status_code == 200
    assert login("director").get(f"/uploads/{photos[0].id}").status_code == 200
    assert login("repair_tech").get(f"/uploads/{photos[0].id}").status_code == 404


def test_too_many_or_bad_photos(staff, customers, en_request):
    with pytest.raises(Invalid) as exc:
        intake.receive(staff["meter_reader"], {**WEB, "channel": "field"}, [jpeg_bytes()] * 4)
    assert "photos" in exc.value.errors
    with pytest.raises(Invalid) as exc:
        intake.receive(staff["meter_reader"], {**WEB, "channel": "field"}, [b"not a picture"])
    assert "photos" in exc.value.errors


# --- visibility ------------------------------------------------------------------------------------

def test_field_staff_see_only_what_they_received_or_own(make_complaint, staff):
    mine = make_complaint("repair_tech")
    other = make_complaint("pipe_fitter")
    items, total = access.list_complaints(staff["repair_tech"])
    assert [c.id for c in items] == [mine.id] and total == 1
    with pytest.raises(NotFound):
        access.get_complaint(staff["repair_tech"], other.id)
    for role in ("director", "station_chief", "statistician"):
        assert access.list_complaints(staff[role])[1] == 2


def test_search_by_tracking_number_phone_or_name(make_complaint, staff):
    c = make_complaint()
    make_complaint(contact_name="赵六", contact_phone="13700000000")
    chief = staff["station_chief"]
    assert [x.id for x in access.list_complaints(chief, q=c.tracking_no.lower())[0]] == [c.id]
    assert access.list_complaints(chief, q="1370")[1] == 1
    assert access.list_complaints(chief, q="赵")[1] == 1


# --- escalation ------------------------------------------------------------------------------------

def test_overdue_first_contact_and_resolution_escalate(make_complaint, staff, shift):
    fresh = make_complaint()
    no_contact = make_complaint("repair_tech", category="safety")
    shift(no_contact, 3)  # safety: 2 h for the first contact
    unresolved = make_complaint(upto="investigating")
    shift(unresolved, 24 * 12)
    resolved_late = make_complaint(upto="resolved")
    shift(resolved_late, 24 * 12)  # resolved: the clock has stopped
    overdue = {c.id for c in access.overdue_list(staff["director"])}
    assert overdue == {no_contact.id, unresolved.id}
    assert fresh.id not in overdue and resolved_late.id not in overdue
    assert access.overdue_count(staff["director"]) == 2
    assert access.overdue_count(staff["repair_tech"]) == 1  # the one they own
    assert access.overdue_count(staff["pipe_fitter"]) == 0
    assert {c.id for c in access.list_complaints(staff["station_chief"], overdue=True)[0]} == overdue


def test_sql_overdue_matches_the_rule(make_complaint, staff, shift, db):
    made = []
    for upto in ("received", "contacted", "investigating", "solution_approved", "resolved", "closed"):
        for hours in (1, 30, 24 * 12):
            c = make_complaint(upto=upto, category="safety" if hours == 1 else "billing")
            shift(c, hours if upto != "received" or hours != 1 else 3)
            made.append(c)
    now = utcnow()
    expected = {c.id for c in made if rules.is_overdue(c.status, c.first_contact_due, c.first_contacted_at,
                                                       c.resolve_due, now)}
    assert {c.id for c in access.overdue_list(staff["director"], 500)} == expected
    assert expected  # the case table does contain overdue ones


# --- the customer's timeline -----------------------------------------------------------------------

def test_steps_show_on_the_customers_timeline(make_complaint, staff, customers, db):
    c = make_complaint(upto="closed")
    handling.add_note(staff["station_chief"], c.id, "内部备注")
    followup_call(staff, c, 5)
    db.session.commit()
    events = [e for e in timeline(staff["meter_reader"], customers[0]) if e.kind.startswith("complaint.")]
    kinds = {e.kind for e in events}
    assert {"complaint.receive", "complaint.contact", "complaint.resolve", "complaint.confirm",
            "complaint.followup"} <= kinds
    assert "complaint.note" not in kinds  # internal notes stay on the complaint page
    assert all(c.tracking_no in e.detail and e.url == f"/complaints/{c.id}" for e in events)
    assert not [e for e in timeline(staff["director"], customers[1]) if e.kind.startswith("complaint.")]

