"""Emergency plans and drills: the call list, a drill action creates exactly one nonconformity, an
incident links to the plan it used, a chief records drills of their own district only, the API."""
from datetime import date, datetime, timedelta

import pytest

from fieldsvc import clock
from fieldsvc.audit import history
from fieldsvc.errors import Invalid, NotFound
from fieldsvc.hse.models import Nonconformity
from fieldsvc.management import rules_emergency as rules
from fieldsvc.management.services import drills, emergency_plans, incidents
from fieldsvc.models import utcnow


def _plan(staff, scenario="leak"):
    plan = emergency_plans.create_plan(staff["safety_officer"], {
        "title": "户内燃气泄漏应急预案", "scenario": scenario, "review_on": clock.today() + timedelta(days=90),
        "response": "关阀\n通风"})
    emergency_plans.add_contact(staff["safety_officer"], plan, {"user_id": staff["station_chief"].id,
                                                                "duty": "现场指挥"})
    emergency_plans.add_contact(staff["safety_officer"], plan, {"name": "消防", "phone": "119"})
    return plan


def _drill_data(staff, **extra):
    day = clock.today() - timedelta(days=1)
    start = datetime(day.year, day.month, day.day, 9, 30, tzinfo=clock.zone())
    return {"held_on": day, "started_at": start, "ended_at": start + timedelta(minutes=60), "response_minutes": 20,
            "participants": [staff["repair_tech"].id, staff["station_chief"].id], "evaluation": "到场及时；警戒线设置慢。",
            **extra}


@pytest.mark.parametrize("review_on, state", [(None, "overdue"), (-1, "overdue"), (0, "due_soon"), (30, "due_soon"),
                                              (31, "ok")])
def test_review_state(review_on, state):
    today = date(2026, 12, 7)
    day = None if review_on is None else today + timedelta(days=review_on)
    assert rules.review_state(day, today) == state


def test_call_list_staff_phone_and_outside_number(staff, db, en_request):
    plan = _plan(staff)
    calls = emergency_plans.call_list(plan)
    assert [c["name"] for c in calls] == [staff["station_chief"].name, "消防"]
    assert calls[0]["phone"] == staff["station_chief"].phone and calls[1]["tel"] == "119"
    emergency_plans.remove_contact(staff["safety_officer"], plan, calls[1]["id"])
    assert len(emergency_plans.call_list(plan)) == 1
    with pytest.raises(Invalid) as exc:
        emergency_plans.add_contact(staff["safety_officer"], plan, {"name": "120"})
    assert "phone" in exc.value.errors


def test_each_drill_action_creates_one_nonconformity(staff, db, en_request):
    plan = _plan(staff)
    drill = drills.record_drill(staff["safety_officer"], plan, _drill_data(staff, actions=["配齐防爆工具"]))
    assert len(drill.actions) == 1
    ncs = db.session.query(Nonconformity).filter_by(origin="drill").all()
    assert len(ncs) == 1 and ncs[0].id == drill.actions[0].nonconformity_id
    assert ncs[0].source_entity == drills.ACTION_ENTITY and ncs[0].source_id == drill.actions[0].id
    drills.add_action(staff["safety_officer"], drill, "警戒专项培训")
    assert db.session.query(Nonconformity).filter_by(origin="drill").count() == 2
    assert drills.duration(drill) == 60


def test_drill_timings_refused_with_the_field(staff, db, en_request):
    plan = _plan(staff)
    data = _drill_data(staff)
    for change, field in (({"ended_at": data["started_at"] - timedelta(minutes=1)}, "ended_at"),
                          ({"response_minutes": 61}, "response_minutes"),
                          ({"held_on": clock.today() + timedelta(days=1)}, "held_on"),
                          ({"participants": []}, "participants")):
        with pytest.raises(Invalid) as exc:
            drills.record_drill(staff["safety_officer"], plan, {**data, **change})
        assert field in exc.value.errors, change


def test_a_chief_records_drills_of_own_district(staff, db, en_request):
    plan = _plan(staff)
    chief, other = staff["station_chief"], staff["station_chief2"]
    with pytest.raises(Invalid) as exc:
        drills.record_drill(chief, plan, _drill_data(staff, district_id=other.district_id))
    assert "district_id" in exc.value.errors
    drill = drills.record_drill(chief, plan, _drill_data(staff))
    assert drill.district_id == chief.district_id
    with pytest.raises(NotFound):
        drills.update_drill(other, drill, {"evaluation": "改"})
    drills.update_drill(chief, drill, {"evaluation": "改了"})
    assert [e.action for e in history(drills.ENTITY, drill.id)] == ["drill.record", "drill.update"]


def test_an_incident_links_to_the_plan_it_used(staff, db, en_request, login):
    plan = _plan(staff)
    incident = incidents.create_incident(staff["station_chief"], {
        "title": "燃气泄漏", "kind": "gas_leak", "location": "人民路1号", "description": "厨房燃气味浓",
        "occurred_at": utcnow() - timedelta(hours=1), "plan_id": plan.id})
    assert incident.plan_id == plan.id and incident.plan.title == plan.title
    with pytest.raises(Invalid) as exc:
        incidents.update_incident(staff["station_chief"], incident, {"plan_id": 999999})
    assert "plan_id" in exc.value.errors
    db.session.commit()
    page = login("station_chief").get(f"/management/incidents/{incident.id}").get_data(as_text=True)
    assert plan.title in page
    form = login("station_chief").get(f"/management/incidents/{incident.id}/edit").get_data(as_text=True)
    assert 'name="plan_id"' in form


def test_api_plans_and_drills(staff, db, api):
    client, headers = api("safety_officer")
    created = client.post("/api/v1/emergency-plans", json={"title": "大面积停气应急预案", "scenario": "mass_outage",
                                                           "review_on": "2027-06-30"}, headers=headers)
    assert created.status_code == 201, created.json
    plan_id = created.json["id"]
    bad = client.post("/api/v1/emergency-plans", json={"title": "x", "scenario": "flood", "review_on": "2027-13-01"},
                      headers=headers)
    assert bad.status_code == 422 and {"scenario", "review_on"} <= set(str(bad.json).replace("'", " ").split())
    drill = client.post(f"/api/v1/emergency-plans/{plan_id}/drills", headers=headers, json={
        "held_on": (clock.today() - timedelta(days=2)).isoformat(), "participants": [staff["repair_tech"].id],
        "evaluation": "通知到户及时", "actions": ["热线值守排班表"]})
    assert drill.status_code == 201, drill.json
    assert len(drill.json["actions"]) == 1 and drill.json["actions"][0]["nonconformity_id"]
    nested = client.post(f"/api/v1/emergency-plans/{plan_id}/drills", headers=headers,
                         json={"held_on": "2026-01-01", "participants": {"a": 1}})
    assert nested.status_code == 422
    reader, reader_headers = api("meter_reader")
    listed = reader.get("/api/v1/emergency-plans", headers=reader_headers)
    assert listed.status_code == 200 and listed.json["total"] == 1
    assert reader.post("/api/v1/emergency-plans", json={}, headers=reader_headers).status_code in (403, 422)
    clerk, clerk_headers = api("statistician")
    assert clerk.get("/api/v1/emergency-plans", headers=clerk_headers).status_code == 403


def test_plan_page_has_tap_to_call_links(staff, db, en_request, login):
    plan = _plan(staff)
    db.session.commit()
    page = login("repair_tech").get(f"/management/emergency-plans/{plan.id}").get_data(as_text=True)
    assert 'href="tel:119"' in page and f'href="tel:{staff["station_chief"].phone}"' in page
    assert "Add to the call list" not in page  # a reader
    drill_form = login("station_chief").post(f"/management/emergency-plans/{plan.id}/drills/new", data={
        "held_on": "2026-13-45", "evaluation": "写了评价"})
    assert drill_form.status_code == 422 and "写了评价" in drill_form.get_data(as_text=True)


def test_drills_list_searches(staff, db, en_request, login):
    plan = _plan(staff)
    drills.record_drill(staff["safety_officer"], plan, _drill_data(staff, exercise="模拟厨房泄漏"))
    db.session.commit()
    client = login("meter_reader")
    assert plan.title not in client.get("/management/drills?q=100%25").get_data(as_text=True)
    page = client.get("/management/drills?q=厨房").get_data(as_text=True)
    assert plan.title in page
    assert client.get("/management/emergency-plans/drills.xlsx").status_code == 200
    assert login("statistician").get("/management/drills").status_code == 403
