"""The access matrix of the management routes, with a record of every kind in place: every role × every
route. A role without the permission is refused (403, or 404 for an object rule); a role with it is never
refused a page; a write by a role without it never succeeds."""
from datetime import timedelta

import pytest

from fieldsvc import clock
from fieldsvc.management.services import checks, drills, emergency_plans, incidents, plans
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, Role, can
from tests.core.test_access import fill, permission_for

# What the API endpoints enforce in their services (the pages carry @permission_required).
API = {
    "management_api.Policies": P.policies_view,
    "management_api.PolicyItem": P.policies_view,
    "management_api.Incidents": P.incidents_view,
    "management_api.IncidentItem": P.incidents_view,
    "management_api.Vehicles": P.vehicles_view,
    "management_api.VehicleItem": P.vehicles_view,
    "emergency_api.Plans": P.emergency_plans_view,
    "emergency_api.PlanItem": P.emergency_plans_view,
    "emergency_api.Drills": P.drills_manage,
}


@pytest.fixture
def records(staff, make_policy, emergency, make_vehicle, db, en_request):
    policy = make_policy(applies_to=())
    check = checks.record_check(staff["safety_officer"], policy, {"checked_on": clock.today(), "scope": "x",
                                                                  "findings": ["f"]})
    incident = incidents.create_incident(staff["station_chief"], {
        "title": "t", "kind": "gas_leak", "occurred_at": utcnow() - timedelta(hours=1), "location": "l",
        "description": "d", "work_order_id": emergency().id})
    plan = plans.create_plan(staff["safety_officer"], {"year": clock.today().year, "kind": "safety"})
    item = plans.add_item(staff["safety_officer"], plan, {"section": "training", "description": "d"})
    vehicle = make_vehicle()
    eplan = emergency_plans.create_plan(staff["safety_officer"], {"title": "泄漏预案", "scenario": "leak",
                                                                  "review_on": clock.today() + timedelta(days=90)})
    contact = emergency_plans.add_contact(staff["safety_officer"], eplan, {"name": "消防", "phone": "119"})
    drill = drills.record_drill(staff["station_chief"], eplan, {"held_on": clock.today(),
                                                                "participants": [staff["repair_tech"].id]})
    db.session.commit()
    return {"eplan_id": eplan.id, "contact_id": contact.id, "drill_id": drill.id,
            "policy_id": policy.id, "version_id": policy.versions[0].id, "finding_id": check.findings[0].id,
            "incident_id": incident.id, "plan_id": plan.id, "item_id": item.id, "vehicle_id": vehicle.id}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("management.", "management_api.", "emergency_api.")):
            for method in sorted(rule.methods & {"GET", "POST"}):
                yield rule, method


def test_every_management_route_has_a_rule(app):
    for rule, _method in _routes(app):
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "required_permission", None) is not None or rule.endpoint in API, rule.endpoint


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_management_role_matrix(app, records, staff, login, role):
    client = login(role)
    user = staff[role]
    for rule, method in _routes(app):
        url = fill(rule, records)
        permission = API.get(rule.endpoint) or permission_for(app, rule.endpoint, method)
        allowed = can(user, permission)
        response = client.open(url, method=method, headers={"Accept": "text/html"})
        assert response.status_code < 500, (role, method, url)
        if method == "GET":
            if allowed:
                assert response.status_code not in (401, 403), (role, method, url, response.status_code)
            else:
                assert response.status_code in (403, 404), (role, method, url, response.status_code)
        elif not allowed:
            assert response.status_code in (400, 403, 404, 409, 422), (role, method, url, response.status_code)
