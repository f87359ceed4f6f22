"""Nonconformities: the workflow end to end, guards, director-only closing, the field feed and
self-inspection findings."""
from datetime import date, timedelta

import pytest

from fieldsvc import clock
from fieldsvc.audit import history
from fieldsvc.errors import Conflict, Invalid, NotAllowed
from fieldsvc.hse import rules
from fieldsvc.hse.services import capa, programme, raise_from_field
from fieldsvc.permissions import Role


def _nc(officer, **changes):
    data = {"origin": "audit", "title": "Extinguisher out of date", "description": "Found in van 2"}
    data.update(changes)
    return capa.create(officer, data)


def _to_check(db, officer, staff):
    """A nonconformity taken to the effectiveness check with one done action."""
    nc = _nc(officer)
    capa.transition(officer, nc, "analysis")
    capa.record_analysis(officer, nc, "Not on the monthly checklist")
    capa.transition(officer, nc, "action_plan")
    action = capa.add_action(officer, nc, {"kind": "corrective", "description": "Add to checklist",
                                           "owner_id": staff["repair_tech"].id, "deadline": clock.today()})
    capa.transition(officer, nc, "in_progress")
    capa.complete_action(staff["repair_tech"], action, clock.today(), "done")
    capa.transition(officer, nc, "effectiveness_check")
    db.session.commit()
    return nc


def test_full_workflow_to_closed_by_the_director(db, staff):
    officer, director = staff["safety_officer"], staff["director"]
    nc = _to_check(db, officer, staff)
    capa.record_effectiveness(officer, nc, True, "All vans checked")
    capa.transition(director, nc, "closed")
    db.session.commit()
    assert nc.status == "closed" and nc.approved_by == director.id and nc.closed_at is not None
    moves = [e.data["to"] for e in history(capa.ENTITY, nc.id) if e.action == "hse_nc.transition"]
    assert moves == ["analysis", "action_plan", "in_progress", "effectiveness_check", "closed"]
    assert nc.number.startswith(f"NC{clock.today().year}-")


def test_only_the_director_closes(db, staff):
    officer = staff["safety_officer"]
    nc = _to_check(db, officer, staff)
    capa.record_effectiveness(officer, nc, True, "ok")
    for role in sorted(r.value for r in Role if r != Role.director):
        with pytest.raises(NotAllowed):
            capa.transition(staff[role], nc, "closed")
        assert nc.status == "effectiveness_check", role


def test_closing_needs_an_effective_verdict(db, staff):
    nc = _to_check(db, staff["safety_officer"], staff)
    with pytest.raises(Invalid) as exc:
        capa.transition(staff["director"], nc, "closed")
    assert "effective" in exc.value.errors
    capa.record_effectiveness(staff["safety_officer"], nc, False, "Van 3 still out of date")
    with pytest.raises(Invalid):
        capa.transition(staff["director"], nc, "closed")
    capa.transition(staff["safety_officer"], nc, "in_progress")  # back to the actions
    assert nc.status == "in_progress" and nc.effective is None


def test_guards_name_what_is_missing(db, staff):
    officer = staff["safety_officer"]
    nc = _nc(officer)
    capa.transition(officer, nc, "analysis")
    with pytest.raises(Invalid) as exc:
        capa.transition(officer, nc, "action_plan")
    assert list(exc.value.errors) == ["root_cause"]
    capa.record_analysis(officer, nc, "cause")
    capa.transition(officer, nc, "action_plan")
    with pytest.raises(Invalid) as exc:
        capa.transition(officer, nc, "in_progress")
    assert list(exc.value.errors) == ["actions"]
    action = capa.add_action(officer, nc, {"kind": "immediate", "description": "x", "owner_id": officer.id,
                                           "deadline": clock.today()})
    capa.transition(officer, nc, "in_progress")
    with pytest.raises(Invalid) as exc:
        capa.transition(officer, nc, "effectiveness_check")
    assert list(exc.value.errors) == ["actions"]
    capa.complete_action(officer, action, clock.today())
    capa.transition(officer, nc, "effectiveness_check")


@pytest.mark.parametrize("target", ["closed", "in_progress", "effectiveness_check", "action_plan", "draft"])
def test_illegal_moves_from_draft_conflict(db, staff, target):
    nc = _nc(staff["safety_officer"])
    actor = staff["director"]
    with pytest.raises(Conflict):
        capa.transition(actor, nc, target)


def test_cancel_needs_a_reason_and_is_final(db, staff):
    officer = staff["safety_officer"]
    nc = _nc(officer)
    with pytest.raises(Invalid) as exc:
        capa.transition(officer, nc, "cancelled")
    assert list(exc.value.errors) == ["reason"]
    capa.transition(officer, nc, "cancelled", reason="Duplicate of NC 3")
    assert nc.cancel_reason == "Duplicate of NC 3"
    for target in rules.NC_STATES:
        with pytest.raises(Conflict):
            capa.transition(staff["director"], nc, target, reason="x")


def test_field_staff_cannot_run_the_workflow(db, staff):
    nc = _nc(staff["safety_officer"])
    with pytest.raises(NotAllowed):
        capa.transition(staff["repair_tech"], nc, "analysis")
    with pytest.raises(NotAllowed):
        capa.add_action(staff["repair_tech"], nc, {})


def test_only_the_owner_or_the_office_completes_an_action(db, staff):
    officer = staff["safety_officer"]
    nc = _nc(officer)
    action = capa.add_action(officer, nc, {"kind": "corrective", "description": "x", "owner_id": staff["pipe_fitter"].id,
                                           "deadline": clock.today()})
    with pytest.raises(NotAllowed):
        capa.complete_action(staff["repair_tech"], action, clock.today())
    with pytest.raises(Invalid):
        capa.complete_action(staff["pipe_fitter"], action, clock.today() + timedelta(days=1))
    capa.complete_action(staff["pipe_fitter"], action, clock.today())
    with pytest.raises(Conflict):
        capa.complete_action(staff["pipe_fitter"], action, clock.today())
    assert capa.my_open_actions(staff["pipe_fitter"]) == []


def test_action_needs_an_active_owner_and_a_deadline(db, staff):
    officer = staff["safety_officer"]
    nc = _nc(officer)
    with pytest.raises(Invalid) as exc:
        capa.add_action(officer, nc, {"kind": "corrective", "description": "x", "owner_id": 99999,
                                      "deadline": date(2026, 1, 1)})
    assert list(exc.value.errors) == ["owner_id"]
    with pytest.raises(Invalid) as exc:
        capa.add_action(officer, nc, {"kind": "later", "description": "x", "owner_id": officer.id,
                                      "deadline": date(2026, 1, 1)})
    assert list(exc.value.errors) == ["kind"]


def test_raise_from_field_any_role_one_step(db, staff):
    for source_id, role in enumerate(r.value for r in Role):
        nc = raise_from_field(staff[role], "field_hazard", "inspection", source_id, "Hose through wall", "3-2-101")
        assert (nc.status, nc.origin, nc.source_entity, nc.source_id, nc.raised_by) == \
            ("draft", "field_hazard", "inspection", source_id, staff[role].id)
    fed, total = capa.list_ncs(staff["safety_officer"], fed_only=True)
    assert total == len(Role) and {n.raised_by for n in fed} == {staff[r.value].id for r in Role}


def test_raise_from_field_does_not_duplicate_an_open_item(db, staff):
    tech = staff["repair_tech"]
    first = raise_from_field(tech, "incident", "work_order", 7, "Leak", "…")
    again = raise_from_field(tech, "incident", "work_order", 7, "Leak", "…")
    other = raise_from_field(tech, "complaint", "complaint", 7, "Rude", "…")
    assert first.id == again.id and other.id != first.id
    capa.transition(staff["safety_officer"], first, "cancelled", reason="dup")
    assert raise_from_field(tech, "incident", "work_order", 7, "Leak", "…").id != first.id


def test_raise_from_field_validates(db, staff):
    with pytest.raises(Invalid) as exc:
        raise_from_field(staff["repair_tech"], "gossip", "inspection", 1, "x", "y")
    assert list(exc.value.errors) == ["origin"]
    with pytest.raises(Invalid):
        raise_from_field(staff["repair_tech"], "incident", "inspection", 1, "", "y")


def test_self_inspection_finding_becomes_nonconformity(db, staff):
    officer = staff["safety_officer"]
    inspection = programme.start_inspection(officer, "metering_office", "2026-05", date(2026, 5, 20))
    first, second = inspection.items[0], inspection.items[1]
    with pytest.raises(Invalid) as exc:
        programme.record_results(officer, inspection, {first.id: ("finding", "")})
    assert list(exc.value.errors) == [f"note_{first.id}"]
    programme.record_results(officer, inspection, {first.id: ("finding", "Certificate expired"),
                                                   second.id: ("ok", None)})
    with pytest.raises(Conflict):
        programme.raise_nonconformity(officer, second)
    nc = programme.raise_nonconformity(officer, first)
    assert (nc.origin, nc.source_entity, nc.source_id, nc.unit) == ("inspection", "hse_self_inspection_item",
                                                                    first.id, "metering_office")
    assert first.nonconformity_id == nc.id
    with pytest.raises(Conflict):
        programme.raise_nonconformity(officer, first)
    assert capa.list_ncs(officer, fed_only=True)[1] == 0  # HSE's own items are not "from the field"
    with pytest.raises(Invalid):
        programme.complete_inspection(officer, inspection)  # items still unchecked
    programme.record_results(officer, inspection, {i.id: ("na", None) for i in inspection.items[2:]})
    programme.complete_inspection(officer, inspection)
    with pytest.raises(Conflict):
        programme.record_results(officer, inspection, {first.id: ("ok", None)})


def test_one_self_inspection_per_department_and_month(db, staff):
    officer = staff["safety_officer"]
    programme.start_inspection(officer, "station", "2026-05", date(2026, 5, 2))
    with pytest.raises(Invalid) as exc:
        programme.start_inspection(officer, "station", "2026-05", date(2026, 5, 3))
    assert list(exc.value.errors) == ["period"]
    with pytest.raises(Invalid):
        programme.start_inspection(officer, "station", "2026-13", date(2026, 5, 3))


def test_api_transition_codes(db, staff, api):
    nc = _nc(staff["safety_officer"])
    db.session.commit()
    client, headers = api("safety_officer")
    url = f"/api/v1/hse/nonconformities/{nc.id}/transition"
    assert client.post(url, json={"to": "in_progress"}, headers=headers).status_code == 409
    assert client.post(url, json={"to": "nowhere"}, headers=headers).status_code == 422
    ok = client.post(url, json={"to": "analysis", "version": nc.version}, headers=headers)
    assert ok.status_code == 200 and ok.json["status"] == "analysis"
    assert client.post(url, json={"to": "action_plan", "version": 1}, headers=headers).status_code == 409  # stale
    blocked = client.post(url, json={"to": "action_plan"}, headers=headers)
    assert blocked.status_code == 422 and "root_cause" in blocked.json["errors"]


def test_api_closing_is_director_only(db, staff, api):
    nc = _to_check(db, staff["safety_officer"], staff)
    capa.record_effectiveness(staff["safety_officer"], nc, True, "ok")
    db.session.commit()
    url = f"/api/v1/hse/nonconformities/{nc.id}/transition"
    client, headers = api("safety_officer")
    assert client.post(url, json={"to": "closed"}, headers=headers).status_code == 403
    client, headers = api("director")
    response = client.post(url, json={"to": "closed"}, headers=headers)
    assert response.status_code == 200 and response.json["status"] == "closed"
