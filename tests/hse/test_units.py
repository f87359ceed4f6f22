"""Unit HSE (issue #20): station chiefs and the metering head keep the hazards, aspects, training,
self-inspections and nonconformities of their own unit; the safety office keeps everyone's; everybody
reads every register. Another unit's record is a 404 to a unit head."""
from datetime import date

import pytest

from fieldsvc import clock
from fieldsvc.errors import Invalid, NotAllowed, NotFound
from fieldsvc.hse.services import capa, programme, registers, training
from fieldsvc.permissions import P, Role, can


@pytest.fixture
def en_request(app):
    """Services translate their messages: a request in English."""
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        yield


@pytest.fixture
def chiefs(staff):
    one, two = staff["station_chief"], staff["station_chief2"]
    assert one.district_id and two.district_id and one.district_id != two.district_id
    return one, two


def test_the_permission_table_names_the_unit_heads():
    holders = {r.value for r in Role if can(type("U", (), {"role": r.value, "is_authenticated": True,
                                                            "is_active": True})(), P.hse_unit)}
    assert holders == {"station_chief", "metering_head"}


def test_a_chief_s_hazard_belongs_to_their_district(db, staff, chiefs, hazard_payload, en_request):
    chief, other = chiefs
    hazard = registers.create_hazard(chief, hazard_payload())
    assert (hazard.unit, hazard.district_id) == ("station", chief.district_id)
    registers.update_hazard(chief, hazard, {"activity": "Valve replacement"})
    assert hazard.activity == "Valve replacement"
    with pytest.raises(NotFound):
        registers.update_hazard(other, hazard, {"activity": "Not mine"})
    with pytest.raises(NotFound):
        registers.retire(other, hazard, "no")
    with pytest.raises(Invalid) as exc:
        registers.update_hazard(chief, hazard, {"unit": "office"})
    assert list(exc.value.errors) == ["unit"]
    # the safety office keeps every unit's lines
    registers.update_hazard(staff["safety_officer"], hazard, {"activity": "Checked by the office"})


def test_a_unit_head_records_for_their_own_unit_only(db, staff, hazard_payload, aspect_payload, en_request):
    with pytest.raises(Invalid) as exc:
        registers.create_hazard(staff["station_chief"], hazard_payload(unit="office"))
    assert list(exc.value.errors) == ["unit"]
    aspect = registers.create_aspect(staff["metering_head"], aspect_payload())
    assert (aspect.unit, aspect.district_id) == ("metering_office", None)
    office = registers.create_hazard(staff["safety_officer"], hazard_payload())
    with pytest.raises(NotFound):
        registers.update_hazard(staff["metering_head"], office, {"activity": "x"})
    with pytest.raises(NotFound):
        registers.update_aspect(staff["station_chief"], aspect, {"activity": "x"})
    with pytest.raises(NotAllowed):
        registers.create_hazard(staff["metering_tech"], hazard_payload())


def test_a_chief_runs_their_own_nonconformity_and_the_director_closes_it(db, staff, chiefs, en_request):
    chief, other = chiefs
    nc = capa.create(chief, {"origin": "inspection", "title": "Meter box doors left open",
                             "description": "Three boxes on Road 5 found open"})
    assert (nc.unit, nc.district_id) == ("station", chief.district_id)
    capa.transition(chief, nc, "analysis")
    capa.record_analysis(chief, nc, "No lock check on the round")
    capa.transition(chief, nc, "action_plan")
    action = capa.add_action(chief, nc, {"kind": "corrective", "description": "Lock check on the round",
                                         "owner_id": staff["pipe_fitter"].id, "deadline": clock.today()})
    capa.transition(chief, nc, "in_progress")
    capa.complete_action(chief, action, clock.today(), "done")
    capa.transition(chief, nc, "effectiveness_check")
    capa.record_effectiveness(chief, nc, True, "Boxes locked on the next round")
    assert "closed" not in [s.to for s in capa.available_moves(chief, nc)]
    with pytest.raises(NotAllowed):
        capa.transition(chief, nc, "closed")
    with pytest.raises(NotFound):
        capa.record_analysis(other, nc, "not mine")
    assert capa.available_moves(other, nc) == []
    capa.transition(staff["director"], nc, "closed")
    assert nc.status == "closed"


def test_self_inspections_of_two_districts_in_one_month(db, staff, chiefs, en_request):
    chief, other = chiefs
    mine = programme.start_inspection(chief, "", "2026-11", date(2026, 11, 20))
    theirs = programme.start_inspection(other, "station", "2026-11", date(2026, 11, 21))
    assert (mine.unit, mine.district_id) == ("station", chief.district_id)
    assert theirs.district_id == other.district_id
    with pytest.raises(Invalid) as exc:
        programme.start_inspection(chief, "station", "2026-11", date(2026, 11, 22))
    assert list(exc.value.errors) == ["period"]
    with pytest.raises(Invalid) as exc:
        programme.start_inspection(chief, "office", "2026-12", date(2026, 12, 1))
    assert list(exc.value.errors) == ["unit"]
    item = mine.items[0]
    with pytest.raises(NotFound):
        programme.record_results(other, mine, {item.id: ("ok", None)})
    programme.record_results(chief, mine, {item.id: ("finding", "Extinguisher missing")})
    nc = programme.raise_nonconformity(chief, item)
    assert (nc.unit, nc.district_id) == ("station", chief.district_id)


def test_a_chief_holds_training_for_their_unit(db, staff, chiefs, en_request):
    chief, other = chiefs
    topic = training.create_topic(staff["safety_officer"], "Leak response")
    session = training.create_session(chief, {"topic_id": topic.id, "held_on": clock.today(), "hours": 2,
                                               "trainer": chief.name, "attendee_ids": [staff["pipe_fitter"].id]})
    assert (session.unit, session.district_id) == ("station", chief.district_id)
    training.record_scores(chief, session, {str(session.attendances[0].id): "85"})
    with pytest.raises(NotFound):
        training.add_attendees(other, session, [staff["repair_tech"].id])
    with pytest.raises(NotAllowed):  # the director still does not organise training
        training.create_session(staff["director"], {"topic_id": topic.id, "held_on": clock.today(), "hours": 1,
                                                    "trainer": "x"})
    office = training.create_session(staff["safety_officer"], {"topic_id": topic.id, "held_on": clock.today(),
                                                               "hours": 1, "trainer": "x"})
    assert office.unit is None
    with pytest.raises(NotFound):
        training.add_attendees(chief, office, [staff["repair_tech"].id])


def test_api_unit_heads_write_and_everyone_reads(staff, api, hazard_payload):
    chief, headers = api("station_chief")
    created = chief.post("/api/v1/hse/hazards", json=hazard_payload(), headers=headers)
    assert created.status_code == 201
    assert (created.json["unit"], created.json["district_id"]) == ("station", staff["station_chief"].district_id)
    refused = chief.post("/api/v1/hse/hazards", json=hazard_payload(unit="office"), headers=headers)
    assert refused.status_code == 422 and "unit" in refused.json["errors"]
    other, other_headers = api("station_chief2")
    patch = other.patch(f"/api/v1/hse/hazards/{created.json['id']}", json={"activity": "x"}, headers=other_headers)
    assert patch.status_code == 404
    assert other.get(f"/api/v1/hse/hazards/{created.json['id']}", headers=other_headers).status_code == 200
    head, head_headers = api("metering_head")
    nc = head.post("/api/v1/hse/nonconformities", headers=head_headers,
                   json={"origin": "audit", "title": "Bench log gaps", "description": "Two days not logged"})
    assert nc.status_code == 201 and nc.json["unit"] == "metering_office"
    reader, reader_headers = api("meter_reader")
    assert reader.post("/api/v1/hse/hazards", json=hazard_payload(), headers=reader_headers).status_code == 403


@pytest.mark.parametrize("path", ["/hse/hazards/new", "/hse/aspects/new", "/hse/nonconformities/new",
                                  "/hse/training/new"])
def test_unit_heads_open_the_new_pages(staff, login, path):
    assert login("station_chief").get(path).status_code == 200
    assert login("metering_head").get(path).status_code == 200
    assert login("meter_reader").get(path).status_code == 403


def test_a_refused_page_keeps_what_was_typed(staff, login):
    client = login("station_chief")
    response = client.post("/hse/nonconformities/new", data={"title": "Gate left open", "origin": "audit",
                                                            "unit": "office", "description": "Yard gate"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Gate left open" in body and "You record for your own unit only." in body


def test_a_chief_starts_their_self_inspection_on_the_page(staff, login):
    client = login("station_chief")
    page = client.get("/hse/inspections").get_data(as_text=True)
    assert 'value="station" selected' in page
    started = client.post("/hse/inspections", data={"unit": "station", "period": "2026-10",
                                                    "held_on": "2026-10-20"})
    assert started.status_code == 302
    other = login("station_chief2")
    assert other.post(started.location, data={}).status_code == 404  # another district's
    assert other.get(started.location).status_code == 200  # everyone reads
