"""Training matrix (who is due for what), scores and records; targets and their progress."""
from datetime import date
from decimal import Decimal

import pytest

from fieldsvc import clock
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotFound
from fieldsvc.hse import rules
from fieldsvc.hse.services import programme, training


@pytest.fixture
def topic(db, staff):
    officer = staff["safety_officer"]
    topic = training.create_topic(officer, "Leak response", "Valves, ventilation, evacuation")
    training.set_requirement(officer, topic.id, "repair_tech", 12)
    return topic


def _session(officer, topic, held_on, attendee_ids):
    return training.create_session(officer, {"topic_id": topic.id, "held_on": held_on, "hours": Decimal(2),
                                             "trainer": "Wu", "attendee_ids": attendee_ids})


def test_matrix_statuses(db, staff, topic):
    officer, today = staff["safety_officer"], clock.today()
    techs = [staff["repair_tech"], staff["repair_tech2"], staff["repair_tech3"]]
    recent = _session(officer, topic, today, [techs[0].id, techs[1].id])
    old = _session(officer, topic, rules.add_months(today, -13), [techs[2].id])
    training.record_scores(officer, recent, {a.id: ("55" if a.user_id == techs[1].id else "90")
                                             for a in recent.attendances})
    topics, rows = training.matrix(officer, today)
    assert [t.id for t in topics] == [topic.id]
    status = {user.id: row[topic.id].status for user, row in rows if topic.id in row}
    assert status == {techs[0].id: "ok", techs[1].id: "missing", techs[2].id: "overdue"}  # 55 < 60 fails
    due_on = {user.id: row[topic.id].due_on for user, row in rows if topic.id in row}
    assert due_on[techs[2].id] == rules.add_months(old.held_on, 12)
    only_due = training.matrix(officer, today, only_due=True)[1]
    assert {u.id for u, _row in only_due} == {techs[1].id, techs[2].id}
    assert training.due_count(officer, today) == 2
    # People whose role needs nothing have empty rows, never a status.
    assert all(not row for user, row in rows if user.role != "repair_tech")


def test_scores_are_checked(db, staff, topic):
    officer = staff["safety_officer"]
    session = _session(officer, topic, clock.today(), [staff["repair_tech"].id])
    attendance = session.attendances[0]
    with pytest.raises(Invalid) as exc:
        training.record_scores(officer, session, {attendance.id: "101"})
    assert list(exc.value.errors) == [f"score_{attendance.id}"]
    training.record_scores(officer, session, {attendance.id: ""})
    assert attendance.passed and attendance.score is None


def test_training_is_managed_by_the_safety_officer(db, staff, topic):
    with pytest.raises(NotAllowed):
        training.create_topic(staff["repair_tech"], "x")
    with pytest.raises(NotAllowed):
        _session(staff["repair_tech"], topic, clock.today(), [])
    with pytest.raises(NotAllowed):
        training.matrix(staff["repair_tech"], clock.today())


def test_person_record_visible_to_self_and_office_only(db, staff, topic):
    officer = staff["safety_officer"]
    _session(officer, topic, clock.today(), [staff["repair_tech"].id])
    assert len(training.person_record(staff["repair_tech"], staff["repair_tech"])) == 1
    assert len(training.person_record(staff["director"], staff["repair_tech"])) == 1
    with pytest.raises(NotFound):
        training.person_record(staff["meter_reader"], staff["repair_tech"])


def test_requirement_validation(db, staff, topic):
    officer = staff["safety_officer"]
    with pytest.raises(Invalid):
        training.set_requirement(officer, topic.id, "astronaut", 12)
    with pytest.raises(Invalid):
        training.set_requirement(officer, topic.id, "repair_tech", 0)
    training.set_requirement(officer, topic.id, "repair_tech", 24)  # changes the existing one
    assert [r.interval_months for r in training.list_requirements(officer)] == [24]
    with pytest.raises(Invalid):
        training.create_topic(officer, "Leak response")


def test_campaign_records_by_any_staff(db, staff):
    campaign = training.create_campaign(staff["safety_officer"], {"title": "Winter safety",
                                                                  "starts_on": date(2026, 1, 1),
                                                                  "ends_on": date(2026, 1, 31)})
    training.add_campaign_record(staff["meter_reader"], campaign, {"held_on": date(2026, 1, 5), "place": "Square",
                                                                   "audience_count": 120, "materials": "leaflets"})
    with pytest.raises(Invalid) as exc:
        training.add_campaign_record(staff["meter_reader"], campaign, {"held_on": date(2026, 2, 5), "place": "x",
                                                                       "audience_count": 1})
    assert list(exc.value.errors) == ["held_on"]
    with pytest.raises(NotAllowed):
        training.create_campaign(staff["meter_reader"], {"title": "x", "starts_on": date(2026, 1, 1)})
    assert sum(r.audience_count for r in campaign.records) == 120


def test_objective_progress(db, staff):
    officer = staff["safety_officer"]
    objective = programme.create_objective(officer, {
        "year": 2026, "unit": "station", "owner_id": staff["station_chief"].id, "objective": "Inspect every home",
        "indicator": "Inspection coverage", "target_value": Decimal(98), "measure": "%"})
    assert programme.progress(objective) == (Decimal(0), False)
    programme.report_progress(staff["station_chief"], objective, Decimal("91.5"), date(2026, 6, 30), "H1")
    assert programme.progress(objective) == (Decimal("93.4"), False)
    programme.report_progress(officer, objective, Decimal(99), date(2026, 12, 31), None)
    assert programme.progress(objective) == (Decimal("101.0"), True)
    assert len(objective.updates) == 2
    with pytest.raises(NotAllowed):
        programme.report_progress(staff["repair_tech"], objective, Decimal(1), date(2026, 6, 30), None)
    programme.close_objective(officer, objective)
    with pytest.raises(Conflict):
        programme.report_progress(officer, objective, Decimal(1), date(2026, 6, 30), None)


def test_objective_validation(db, staff):
    with pytest.raises(Invalid) as exc:
        programme.create_objective(staff["safety_officer"], {"year": 2026, "unit": "moon", "objective": "x",
                                                             "indicator": "y", "target_value": Decimal(1)})
    assert list(exc.value.errors) == ["unit"]
