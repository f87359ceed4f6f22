"""The access matrix: every route of the URL map × every role.

Each route is public (a short explicit list), guarded by `@permission_required` (read from the view),
or listed in SERVICE_CHECKED with the permission its service enforces. A route with none of these
fails `test_every_route_has_an_access_rule`, so a new route cannot ship without a rule.
"""
import re

import pytest
from flask import Flask

from fieldsvc.permissions import P, Role, can

LOGIN = "login"  # any active, logged-in user

PUBLIC = {
    "static", "core.healthz", "auth.login", "auth.logout", "core.set_language",
    "api-docs.openapi_json", "auth_api.Token", "pwa.service_worker", "pwa.manifest", "pwa.offline",
    "complaints_public.new", "complaints_public.lookup", "complaints_public.status", "metering_public.verify",
}

# Routes whose permission is checked in the service (object rules, or pages for every logged-in user).
# Value: the permission (or LOGIN, or a tuple: any of them), or {method: permission} when it differs by method.
SERVICE_CHECKED: dict[str, object] = {
    "core.home": LOGIN,
    "auth.profile": LOGIN,
    "auth.change_password": LOGIN,
    "uploads.serve": LOGIN,
    "sync.outbox": LOGIN,
    "sync.csrf_token": LOGIN,
    "sync_api.Sync": LOGIN,  # then each item's own service check
    "dispatch_api.WorkOrders": {"GET": P.orders_view, "POST": P.orders_create},
    "dispatch_api.WorkOrderItem": P.orders_view,
    "dispatch_api.Assign": P.orders_assign,
    "dispatch_api.Transition": P.orders_view,
    "complaints_api.Complaints": {"GET": P.complaints_intake, "POST": P.complaints_intake},
    "complaints_api.ComplaintItem": P.complaints_intake,  # then: 404 unless all-seeing, owner or receiver
    "complaints_api.Transition": {"POST": P.complaints_handle},
    "complaints_api.Followup": {"POST": P.complaints_handle},
    "inspections.hazard": P.inspections_view,  # then: a pipe fitter sees only their own order's hazard
    "inspections.hazard_photo": {"POST": P.hazards_rectify},  # the order's pipe fitter or a re-checker
    "inspections.batch": (P.inspections_plan, P.inspections_record),  # planner, or the inspector it was given to
    "inspections_api.Inspections": {"POST": P.inspections_record},
    "inspections_api.InspectionItem": P.inspections_view,
    "inspections_api.PressureEvaluate": LOGIN,  # a calculator: reads and writes nothing
    "inspections_api.Hazards": P.hazards_view_all,
    "inspections_api.HazardItem": P.inspections_view,
    "metering_api.EquipmentList": {"GET": P.equipment_view, "POST": P.equipment_manage},
    "metering_api.EquipmentItem": {"GET": P.equipment_view, "PATCH": P.equipment_manage},
    "metering_api.MeterTests": {"GET": P.meter_tests_view, "POST": P.meter_tests_record},
    "metering_api.MeterTestItem": P.meter_tests_view,
    "metering_api.Issue": P.documents_issue,
    "metering_api.DocumentPdf": P.documents_view,
    "metering_api.DocumentItem": P.documents_view,
    "hse_api.Hazards": {"GET": P.hse_view, "POST": P.hse_manage},
    "hse_api.HazardItem": {"GET": P.hse_view, "PATCH": P.hse_manage},
    "hse_api.Aspects": {"GET": P.hse_view, "POST": P.hse_manage},
    "hse_api.AspectItem": P.hse_view,
    "hse_api.Observations": P.hse_report,
    "hse_api.Nonconformities": {"GET": P.hse_view, "POST": P.hse_manage},
    "hse_api.NonconformityItem": P.hse_view,
    "hse_api.NonconformityTransition": P.hse_manage,
    "cardsales_api.Quote": {"POST": P.card_sales_view},
    "cardsales_api.Sales": {"GET": P.card_sales_view, "POST": P.card_sell},
    "cardsales_api.SaleItem": P.card_sales_view,
    "cardsales_api.Write": {"POST": P.card_sell},
    "cardsales_api.Confirm": {"POST": P.card_sell},
    "cardsales_api.Reverse": {"POST": P.card_sell},
    "cardsales_api.Decision": {"POST": P.card_reversal_approve},
    "cardsales_api.Days": {"GET": P.card_sales_view, "POST": P.card_sell},
    "management_api.Policies": P.policies_view,
    "management_api.PolicyItem": P.policies_view,
    "management_api.Incidents": P.incidents_view,
    "management_api.IncidentItem": P.incidents_view,
    "management_api.Vehicles": P.vehicles_view,
    "management_api.VehicleItem": P.vehicles_view,
    "reports_api.Kpis": P.reports_view,
    "readings_api.Readings": {"POST": P.readings_record},
    "readings_api.MeterReadings": P.routes_open,
    "readings_api.ApproveReading": P.readings_review,
    "readings_api.SendBackReading": P.readings_review,
    "readings_api.Routes": {"GET": P.routes_open, "POST": P.routes_manage},
    "readings_api.RouteItem": {"GET": P.routes_open, "PATCH": P.routes_manage},
    "readings_api.Tariffs": {"GET": P.tariffs_view, "POST": P.tariffs_manage},
    "readings_api.Bills": P.bills_view,
    "readings_api.BillItem": P.bills_view,  # then the record's own visibility rule: 404 when not allowed
    "customers.index": P.customers_view,
    "customers.show": P.customers_view,
    "customers.meter": P.customers_view,
    "auth_api.Me": LOGIN,
    "auth_api.CurrentToken": LOGIN,
    "auth_api.Users": P.staff_view,
    "customers_api.Customers": {"GET": P.customers_view, "POST": P.customers_edit},
    "customers_api.CustomerItem": {"GET": P.customers_view, "PATCH": P.customers_edit},
    "customers_api.Meters": {"GET": P.customers_view, "POST": P.meters_edit},
    "customers_api.MeterItem": {"GET": P.customers_view, "PATCH": P.meters_edit},
}


def unruled_endpoints(app: Flask) -> list[str]:
    missing = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint in PUBLIC or rule.endpoint in SERVICE_CHECKED:
            continue
        if getattr(view, "required_permission", None) is None:
            missing.append(rule.endpoint)
    return sorted(set(missing))


def permission_for(app, endpoint: str, method: str):
    view = app.view_functions[endpoint]
    if getattr(view, "required_permission", None) is not None:
        return view.required_permission
    rule = SERVICE_CHECKED[endpoint]
    return rule.get(method, LOGIN) if isinstance(rule, dict) else rule


def routes(app, methods=("GET", "POST", "PATCH", "PUT", "DELETE")):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        for method in sorted(rule.methods & set(methods)):
            yield rule, method


def fill(rule, ids: dict) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids.get(m.group(1), 1)), rule.rule)


def test_every_route_has_an_access_rule(app):
    assert unruled_endpoints(app) == [], "add the route to PUBLIC, guard it, or list it in SERVICE_CHECKED"


def test_a_new_route_without_a_rule_is_caught(app):
    from fieldsvc import create_app
    from tests.conftest import make_test_config
    other = create_app(make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path))
    other.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    assert unruled_endpoints(other) == ["forgotten"]


def test_stale_entries_are_not_kept(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert set(SERVICE_CHECKED) <= endpoints
    assert endpoints >= PUBLIC


@pytest.fixture
def sample(staff, api):
    """One record of each kind the URL parameters name."""
    client, headers = api("director")
    customer = client.post("/api/v1/customers", headers=headers, json={
        "account_no": "70000001", "name": "矩阵", "category": "residential", "gas": "NG",
        "district": "城东片区", "address": "矩阵路1号"}).json
    meter = client.post("/api/v1/meters", headers=headers, json={
        "serial_no": "MX0001", "customer_id": customer["id"], "size": "G2.5", "accuracy_class": "1.5",
        "kind": "diaphragm", "location": "indoor"}).json
    return {"customer_id": customer["id"], "meter_id": meter["id"], "user_id": staff["repair_tech"].id}


def test_anonymous_is_sent_to_login(app, sample):
    client = app.test_client()
    for rule, method in routes(app):
        url = fill(rule, sample)
        response = client.open(url, method=method)
        if url.startswith("/api/"):
            assert response.status_code == 401, (method, url)
        else:
            assert response.status_code == 302 and "/login" in response.location, (method, url)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_role_matrix(app, sample, staff, login, role):
    """A role without the permission is refused (403); a role with it is never refused."""
    client = login(role)
    user = staff[role]
    for rule, method in routes(app):
        url = fill(rule, sample)
        permission = permission_for(app, rule.endpoint, method)
        alternatives = permission if isinstance(permission, tuple) else (permission,)
        allowed = permission == LOGIN or any(can(user, p) for p in alternatives)
        response = client.open(url, method=method, headers={"Accept": "text/html"})
        assert response.status_code < 500, (role, method, url)
        if method == "GET":
            if allowed:
                assert response.status_code not in (401, 403), (role, method, url, response.status_code)
            else:
                assert response.status_code in (403, 404), (role, method, url, response.status_code)
        elif not allowed:
            # Writes by the wrong role never succeed, whatever the body.
            assert response.status_code in (400, 403, 404, 409, 422), (role, method, url, response.status_code)
