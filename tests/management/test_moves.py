"""What each page offers (the services' available_moves), role by role and state by state, for policy
versions, annual plans, year-end summaries and incidents — and that a move not offered is refused by the
same check, so the buttons and the services cannot disagree."""
from datetime import timedelta

import pytest

from fieldsvc.errors import NotAllowed, NotAuthenticated, NotFound
from fieldsvc.management import rules
from fieldsvc.management.services import incidents, plans, policies, summaries
from fieldsvc.models import utcnow

REFUSED = (NotAllowed, NotFound, NotAuthenticated)


def _check(machine, obj, status, offered_by_role, staff, available, transition):
    """For each role: the offered actions in table order; each is in the table; every other legal move
    of that state is refused before anything else is judged."""
    for role, actions in offered_by_role.items():
        actor = staff[role]
        steps = available(actor, obj)
        assert [s.action for s in steps] == actions, role
        assert all(machine.move(s.source, s.to) == s.move and s.source == status for s in steps)
        offered = {s.to for s in steps}
        for step in machine.moves_from(status):
            if step.to not in offered:
                with pytest.raises(REFUSED):
                    transition(actor, obj, step.to)


# --- policy versions (the safety officer's policy) ----------------------------------------------------

POLICY_ROLES = ("safety_officer", "director", "metering_head", "station_chief", "repair_tech")
NONE = {role: [] for role in POLICY_ROLES}
POLICY_OFFERED = {
    "draft": {**NONE, "safety_officer": ["submit", "abandon"], "director": ["submit", "abandon"]},
    "submitted": {**NONE, "director": ["return", "approve"]},
    "approved": {**NONE, "safety_officer": ["bring_into_force"], "director": ["bring_into_force", "abandon"]},
    "in_force": {**NONE, "director": ["withdraw"]},
    "withdrawn": NONE,
}


@pytest.mark.parametrize("status", list(POLICY_OFFERED))
def test_policy_moves_by_role(staff, make_policy, db, status):
    version = make_policy(in_force=False).versions[0]
    version.status = status
    _check(rules.POLICY_MACHINE, version, status, POLICY_OFFERED[status], staff, policies.available_moves,
           lambda actor, v, to: policies.transition(actor, v, to, "reason"))


def test_no_version_no_moves(staff):
    assert policies.available_moves(staff["director"], None) == []


# --- annual plans and their summaries (the safety officer's safety plan) --------------------------------

PLAN_ROLES = ("safety_officer", "director", "metering_head", "station_chief", "repair_tech")
PLAN_NONE = {role: [] for role in PLAN_ROLES}
PLAN_OFFERED = {
    "draft": {**PLAN_NONE, "safety_officer": ["submit"], "director": ["submit"]},
    "submitted": {**PLAN_NONE, "director": ["return", "approve"]},
    "approved": PLAN_NONE,
}


@pytest.fixture
def plan(staff, db, en_request):
    officer = staff["safety_officer"]
    item = plans.create_plan(officer, {"year": 2030, "kind": "safety"})
    plans.add_item(officer, item, {"section": "training", "description": "每季度一次安全培训"})
    return item


@pytest.mark.parametrize("status", list(PLAN_OFFERED))
def test_plan_moves_by_role(staff, plan, status):
    plan.status = status
    _check(rules.PLAN_MACHINE, plan, status, PLAN_OFFERED[status], staff, plans.available_moves,
           lambda actor, p, to: plans.transition(actor, p, to, "reason"))


@pytest.mark.parametrize("status", list(PLAN_OFFERED))
def test_summary_moves_by_role(staff, plan, db, status):
    plans.transition(staff["safety_officer"], plan, "submitted")
    plans.transition(staff["director"], plan, "approved")
    summary = summaries.generate(staff["safety_officer"], plan)
    summary.status = status
    _check(rules.PLAN_MACHINE, summary, status, PLAN_OFFERED[status], staff, summaries.available_moves,
           lambda actor, s, to: summaries.transition(actor, s, to, "reason"))


# --- incidents -----------------------------------------------------------------------------------------

INCIDENT_ROLES = ("station_chief", "director", "safety_officer", "repair_tech", "metering_head", "card_clerk")
INCIDENT_OFFERED = {
    "open": ["analyse"],
    "analysed": ["reopen", "close"],
    "closed": [],
}


@pytest.mark.parametrize("status", list(INCIDENT_OFFERED))
def test_incident_moves_by_role(staff, db, en_request, status):
    incident = incidents.create_incident(staff["station_chief"], {
        "title": "幸福小区 3栋 燃气泄漏", "kind": "gas_leak", "severity": "general",
        "occurred_at": utcnow() - timedelta(hours=2), "location": "幸福小区 3栋 2单元",
        "description": "用户报燃气味。", "injured": 0, "deaths": 0})
    incident.status = status
    handlers = {"station_chief", "director", "safety_officer"}  # incidents_manage
    expected = {role: INCIDENT_OFFERED[status] if role in handlers else [] for role in INCIDENT_ROLES}
    _check(rules.INCIDENT_MACHINE, incident, status, expected, staff, incidents.available_moves,
           lambda actor, i, to: incidents.transition(actor, i, to))


def test_anonymous_is_offered_nothing(staff, plan):
    class Anonymous:
        is_authenticated = False
    assert plans.available_moves(Anonymous(), plan) == []


# --- the pages draw what the services offer ------------------------------------------------------------

@pytest.fixture
def login_en(login):
    def _login(username):
        client = login(username)
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client
    return _login


def test_the_policy_page_draws_the_offered_moves(staff, make_policy, login_en, db, monkeypatch):
    policy = make_policy()  # in force, with no version on its way
    policies.new_revision(staff["safety_officer"], policy)
    db.session.commit()
    url = f"/management/policies/{policy.id}"
    owner = login_en("safety_officer").get(url).get_data(as_text=True)
    assert 'data-move="submit"' in owner and 'id="h-withdraw"' not in owner and 'data-move="approve"' not in owner
    director = login_en("director").get(url).get_data(as_text=True)
    assert 'data-move="submit"' in director and 'id="h-withdraw"' in director
    # The page asks the service, nothing else.
    monkeypatch.setattr(policies, "available_moves", lambda actor, version: [])
    quiet = login_en("director").get(url).get_data(as_text=True)
    assert 'data-move="' not in quiet and 'id="h-withdraw"' not in quiet


def test_the_plan_page_draws_the_offered_moves(staff, plan, login_en, db, monkeypatch):
    db.session.commit()
    url = f"/management/plans/{plan.id}"
    assert 'data-move="submit"' in login_en("safety_officer").get(url).get_data(as_text=True)
    viewer = login_en("station_chief").get(url).get_data(as_text=True)
    assert 'data-move="' not in viewer and 'id="h-next"' not in viewer
    plans.transition(staff["safety_officer"], plan, "submitted")
    db.session.commit()
    waiting = login_en("safety_officer").get(url).get_data(as_text=True)
    assert 'data-move="' not in waiting and "Waiting for the director" in waiting
    director = login_en("director").get(url).get_data(as_text=True)
    assert 'data-move="return"' in director and 'data-move="approve"' in director
    monkeypatch.setattr(plans, "available_moves", lambda actor, p: [])
    assert 'data-move="' not in login_en("director").get(url).get_data(as_text=True)


def test_the_incident_page_draws_the_offered_moves(staff, login_en, db, en_request, monkeypatch):
    incident = incidents.create_incident(staff["station_chief"], {
        "title": "燃气泄漏", "kind": "gas_leak", "severity": "minor", "occurred_at": utcnow() - timedelta(hours=1),
        "location": "幸福小区", "description": "用户报燃气味。", "injured": 0, "deaths": 0})
    incident.status = "analysed"
    db.session.commit()
    url = f"/management/incidents/{incident.id}"
    page = login_en("safety_officer").get(url).get_data(as_text=True)
    assert 'data-move="reopen"' in page and 'data-move="close"' in page and 'data-move="analyse"' not in page
    monkeypatch.setattr(incidents, "available_moves", lambda actor, i: [])
    assert 'id="h-next"' not in login_en("safety_officer").get(url).get_data(as_text=True)
