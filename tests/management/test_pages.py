"""The management pages through the test client: forms keep what was typed (422), actions redirect, PDFs are
served with their type to whom they belong, home cards show what waits."""
import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from fieldsvc import clock
from fieldsvc.management.models import Incident, Policy, Vehicle
from tests.management.conftest import PDF


@pytest.fixture
def login(login):
    """Logged-in clients that ask for English pages (the default language is Chinese)."""
    def _login(username):
        client = login(username)
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client
    return _login


def _local(moment) -> str:
    return moment.astimezone(clock.zone()).strftime("%Y-%m-%dT%H:%M")


def test_policy_from_form_to_acknowledgement(staff, login, db):
    officer = login("safety_officer")
    bad = officer.post("/management/policies/new", data={"number": "", "title": "户内安检管理制度",
                                                          "applies_to": ["repair_tech"]})
    assert bad.status_code == 422
    assert "户内安检管理制度" in bad.text and 'value="repair_tech" checked' in bad.text
    today = clock.today()
    response = officer.post("/management/policies/new", data={
        "number": "ZD-AQ-010", "title": "户内安检管理制度", "owner_id": staff["safety_officer"].id,
        "applies_to": ["repair_tech", "meter_reader"], "summary": "安检前出示工作证。",
        "effective_on": today.isoformat(), "review_on": (today + timedelta(days=365)).isoformat()})
    assert response.status_code == 302
    policy = db.session.query(Policy).one()
    version = policy.versions[0]
    # The PDF: refused when it is not one (typed text kept), stored when it is.
    edit = f"/management/policies/versions/{version.id}/edit"
    refused = officer.post(edit, data={"summary": "改过的文字", "pdf": (io.BytesIO(b"MZ\x90\x00"), "virus.pdf")},
                           content_type="multipart/form-data")
    assert refused.status_code == 422 and "改过的文字" in refused.text
    ok = officer.post(edit, data={"summary": "改过的文字", "effective_on": today.isoformat(),
                                  "review_on": (today + timedelta(days=365)).isoformat(),
                                  "pdf": (io.BytesIO(PDF), "安检制度.pdf")}, content_type="multipart/form-data")
    assert ok.status_code == 302
    # The owner cannot skip the director.
    moved = officer.post(f"/management/policies/versions/{version.id}/transition", data={"to": "in_force"})
    assert moved.status_code == 302
    db.session.refresh(version)
    assert version.status == "draft"
    officer.post(f"/management/policies/versions/{version.id}/transition", data={"to": "submitted"})
    page = officer.get(f"/management/policies/{policy.id}")
    assert "Waiting for the director" in page.text
    director = login("director")
    assert director.post(f"/management/policies/versions/{version.id}/transition",
                         data={"to": "approved"}).status_code == 302
    officer.post(f"/management/policies/versions/{version.id}/transition", data={"to": "in_force"})
    db.session.refresh(version)
    assert version.status == "in_force"

    tech = login("repair_tech")
    home = tech.get("/")
    assert "ZD-AQ-010" in home.text and "/management/acknowledgements" in home.text
    pdf = tech.get(f"/management/policies/versions/{version.id}/document.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data == PDF
    assert login("card_clerk").get(f"/management/policies/versions/{version.id}/document.pdf").status_code == 404
    assert tech.post(f"/management/policies/versions/{version.id}/acknowledge",
                     data={"back": "/management/acknowledgements"}).status_code == 302
    mine = tech.get("/management/acknowledgements")
    assert "Nothing waits for you" in mine.text and "ZD-AQ-010" in mine.text
    assert "ZD-AQ-010" not in tech.get("/").text


def test_a_wrong_item_of_a_list_is_shown_at_its_field(staff, login):
    """Errors come in the one dotted shape (applies_to.1); the choice group shows its items' errors."""
    bad = login("safety_officer").post("/management/policies/new", data={
        "number": "ZD-AQ-011", "title": "户内安检管理制度", "applies_to": ["repair_tech", "nobody"]})
    assert bad.status_code == 422
    group = re.search(r'<fieldset class="field mg-choice has-error">.*?</fieldset>', bad.text, re.S)
    assert group and 'name="applies_to"' in group.group(0) and "Must be one of" in group.group(0)


def test_a_check_with_findings_raises_nonconformities_from_the_page(staff, login, make_policy, db):
    policy = make_policy()
    client = login("safety_officer")
    response = client.post(f"/management/policies/{policy.id}/checks/new", data={
        "checked_on": clock.today().isoformat(), "scope": "维修一班", "findings": "未带检漏仪\n\n记录未签字",
        "raise_nc": "1"})
    assert response.status_code == 302
    page = client.get(f"/management/policies/{policy.id}")
    assert page.text.count("/hse/nonconformities/") == 2
    future = client.post(f"/management/policies/{policy.id}/checks/new", data={
        "checked_on": (clock.today() + timedelta(days=2)).isoformat(), "scope": "维修二班", "findings": "x"})
    assert future.status_code == 422 and "维修二班" in future.text


def test_incident_pages_from_the_order_to_the_report(staff, login, emergency, db):
    order = emergency()
    chief = login("station_chief")
    listing = chief.get("/management/incidents")
    assert f"/management/incidents/new?order_id={order.id}" in listing.text
    form = chief.get(f"/management/incidents/new?order_id={order.id}")
    assert form.status_code == 200 and order.address in form.text
    bad = chief.post("/management/incidents/new", data={"work_order_id": order.id, "title": "泄漏", "kind": "gas_leak",
                                                         "occurred_at": "yesterday", "location": order.address,
                                                         "description": "软管破裂"})
    assert bad.status_code == 422 and "软管破裂" in bad.text
    created = chief.post("/management/incidents/new", data={
        "work_order_id": order.id, "title": "泄漏", "kind": "gas_leak", "severity": "minor",
        "occurred_at": _local(order.created_at), "location": order.address, "description": "软管破裂"})
    assert created.status_code == 302
    incident = db.session.query(Incident).one()
    base = f"/management/incidents/{incident.id}"
    assert chief.post(f"{base}/notifications", data={"party": "公司调度值班长", "notified_at": _local(clock.now()),
                                                     "channel": "phone"}).status_code == 302
    missing = chief.post(f"{base}/steps", data={"text": "关阀"})
    assert missing.status_code == 422 and "关阀" in missing.text
    assert chief.post(f"{base}/steps", data={"at": _local(clock.now()), "text": "关阀"}).status_code == 302
    early = chief.post(f"{base}/actions", data={"description": "更换软管"})
    assert early.status_code == 422
    assert chief.post(f"{base}/analysis", data={"causes": "软管老化", "lessons": "查年限",
                                                "responsibility": "用户"}).status_code == 302
    assert chief.post(f"{base}/actions", data={"description": "排查同批软管"}).status_code == 302
    page = chief.get(base)
    assert "/hse/nonconformities/" in page.text and "公司调度值班长" in page.text
    report = login("safety_officer").get(f"{base}/report.pdf")
    assert report.status_code == 200 and report.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(report.data)).pages)
    assert "公司调度值班长" in text and "关阀" in text and "排查同批软管" in text
    assert login("repair_tech").get(base).status_code == 403


def test_plan_pages_and_the_summary(staff, login, db):
    officer = login("safety_officer")
    year = clock.today().year
    assert officer.post("/management/plans/new", data={"year": year, "kind": "safety"}).status_code == 302
    plan_url = officer.get("/management/plans").text
    assert f"{year}" in plan_url
    from fieldsvc.management.models import AnnualPlan
    plan = db.session.query(AnnualPlan).one()
    base = f"/management/plans/{plan.id}"
    bad = officer.post(f"{base}/items", data={"section": "training", "description": "季度培训",
                                              "metric": "trainings_held"})
    assert bad.status_code == 422 and "季度培训" in bad.text
    assert officer.post(f"{base}/items", data={"section": "training", "description": "季度培训",
                                               "metric": "trainings_held", "target": "4"}).status_code == 302
    assert officer.post(f"{base}/items", data={"section": "publicity", "description": "宣传周",
                                               "owner_id": staff["station_chief"].id}).status_code == 302
    officer.post(f"{base}/transition", data={"to": "submitted"})
    returned = login("director").post(f"{base}/transition", data={"to": "draft"})
    assert returned.status_code == 422  # a return needs a reason
    login("director").post(f"{base}/transition", data={"to": "approved"})
    db.session.refresh(plan)
    assert plan.status == "approved"
    item = next(i for i in plan.items if i.section == "publicity")
    chief = login("station_chief")
    assert chief.get(f"/management/plans/items/{item.id}/progress").status_code == 200
    assert chief.post(f"/management/plans/items/{item.id}/progress",
                      data={"progress_pct": "150"}).status_code == 422
    assert chief.post(f"/management/plans/items/{item.id}/progress",
                      data={"progress_pct": "40", "progress_note": "两个社区"}).status_code == 302
    assert officer.post(f"{base}/summary").status_code == 302
    summary_page = officer.get(f"{base}/summary")
    assert "季度培训" in summary_page.text and 'name="text_training"' in summary_page.text
    assert officer.post(f"{base}/summary/texts", data={"text_training": "培训未达标", "text_overall": "总体完成"}
                        ).status_code == 302
    pdf = officer.get(f"{base}/summary.pdf")
    assert pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "培训未达标" in text and "总体完成" in text


def test_vehicle_pages(staff, login, make_vehicle, db):
    today = clock.today()
    chief = login("station_chief")
    bad = chief.post("/management/vehicles/new", data={"plate": "沪C9", "model": "长安", "next_service_km": "-5"})
    assert bad.status_code == 422 and "长安" in bad.text
    assert chief.post("/management/vehicles/new", data={
        "plate": "沪C9", "model": "长安", "odometer_km": "5000", "driver_id": staff["pipe_fitter"].id,
        "next_service_on": (today - timedelta(days=2)).isoformat()}).status_code == 302
    vehicle = db.session.query(Vehicle).one()
    listing = chief.get("/management/vehicles")
    assert 'id="h-overdue"' in listing.text and "沪C9" in listing.text
    assert "沪C9" in chief.get("/").text  # the station chief's home card
    fitter = login("pipe_fitter")
    assert fitter.get(f"/management/vehicles/{vehicle.id}/check").status_code == 200
    assert login("repair_tech").get(f"/management/vehicles/{vehicle.id}/check").status_code == 404  # not theirs
    assert login("meter_reader").get("/management/vehicles").status_code == 403
    no_note = fitter.post(f"/management/vehicles/{vehicle.id}/check",
                          data={"odometer_km": "5030", **{"ok_tyres": "1"}})
    assert no_note.status_code == 422 and 'value="5030"' in no_note.text
    all_ok = {f"ok_{c}": "1" for c in ("tyres", "lights", "brakes", "fluids", "bodywork", "extinguisher",
                                       "gas_detector", "toolkit")}
    assert fitter.post(f"/management/vehicles/{vehicle.id}/check",
                       data={"odometer_km": "5030", **all_ok}).status_code == 302
    assert chief.post(f"/management/vehicles/{vehicle.id}/service", data={
        "done_on": today.isoformat(), "odometer_km": "5030", "work": "保养",
        "next_service_on": (today + timedelta(days=180)).isoformat()}).status_code == 302
    assert 'id="h-overdue"' not in chief.get("/management/vehicles").text
