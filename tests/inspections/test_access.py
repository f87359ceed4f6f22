"""Every inspections route has an access rule, and the role matrix holds for them (the same checks as
tests/core/test_access.py, for this domain's routes, with records of its own to point at)."""
import pytest

from fieldsvc.permissions import P, Role, can
from tests.core.test_access import LOGIN, fill
from tests.inspections.conftest import make_customer

# Routes whose permission is checked in the service (object rules), for the core access matrix.
SERVICE_CHECKED = {
    "inspections.hazard": P.inspections_view,  # or hazards_view_all/recheck; a pipe fitter: own orders (404)
    "inspections.hazard_photo": P.hazards_recheck,  # or the pipe fitter of the order (404 for others)
    "inspections.batch": P.inspections_plan,  # or the inspector it was given to (404 for others)
    "inspections_api.Inspections": {"POST": P.inspections_record},
    "inspections_api.InspectionItem": P.inspections_view,  # or its inspector / the pipe fitter of a finding
    "inspections_api.PressureEvaluate": LOGIN,  # a calculator: reads and writes nothing
    "inspections_api.Hazards": P.hazards_view_all,  # ?view=recheck: hazards_recheck, ?view=mine: hazards_rectify
    "inspections_api.HazardItem": P.inspections_view,
    "inspections_api.PressureSamples": P.pressure_sampling_report,  # the weekly sampling report
}


def _ours(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("inspections.", "inspections_api.")):
            yield rule


def _permission(app, endpoint, method):
    view = app.view_functions[endpoint]
    if getattr(view, "required_permission", None) is not None:
        return view.required_permission
    rule = SERVICE_CHECKED[endpoint]
    return rule.get(method, LOGIN) if isinstance(rule, dict) else rule


def test_every_inspections_route_has_a_rule(app):
    missing = [r.endpoint for r in _ours(app)
               if getattr(app.view_functions[r.endpoint], "required_permission", None) is None
               and r.endpoint not in SERVICE_CHECKED]
    assert missing == []


@pytest.fixture
def records(staff, db, api):
    customer = make_customer(db, "64000001")
    client, headers = api("repair_tech")
    created = client.post("/api/v1/inspections", headers=headers, json={
        "customer_id": customer.id, "outcome": "completed", "items": [{"code": "hose_aged", "ok": False}]}).json
    # No batch: who sees a batch (the officer, the director, its inspector only) is tested with the plan.
    return {"customer_id": customer.id, "inspection_id": created["id"], "hazard_id": created["hazards"][0]["id"],
            "batch_id": 999, "sample_id": 999}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_role_matrix_for_inspections(app, records, staff, login, role):
    client = login(role)
    user = staff[role]
    for rule in _ours(app):
        for method in sorted(rule.methods & {"GET", "POST"}):
            url = fill(rule, records)
            permission = _permission(app, rule.endpoint, method)
            allowed = permission == LOGIN or can(user, permission)
            response = client.open(url, method=method, headers={"Accept": "text/html"})
            assert response.status_code < 500, (role, method, url)
            if method == "GET" and allowed:
                assert response.status_code not in (401, 403), (role, method, url, response.status_code)
            elif not allowed:
                assert response.status_code in (400, 403, 404, 409, 422), (role, method, url, response.status_code)


def test_anonymous_is_sent_to_login(app, records):
    client = app.test_client()
    for rule in _ours(app):
        for method in sorted(rule.methods & {"GET", "POST"}):
            url = fill(rule, records)
            response = client.open(url, method=method)
            if url.startswith("/api/"):
                assert response.status_code == 401, (method, url)
            else:
                assert response.status_code == 302 and "/login" in response.location, (method, url)
