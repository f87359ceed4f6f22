"""HSE pages on the demo data: every page renders for the right people, forms keep what was typed."""
import random

import pytest
from markupsafe import escape

from fieldsvc import clock
from fieldsvc.hse import demo
from fieldsvc.hse.models import (
    HseAspect,
    HseCampaign,
    HseHazard,
    HseObjective,
    HseObservation,
    Nonconformity,
    SelfInspection,
    TrainingSession,
)


@pytest.fixture
def seeded(db, staff):
    """The HSE demo after the inspections demo's grade A visit (its field report becomes the fed item)."""
    from fieldsvc.inspections import demo as inspections_demo
    from tests.inspections.conftest import make_customer
    make_customer(db, "61000900")
    assert inspections_demo._grade_a_visit(staff["repair_tech"], clock.today()) == 1
    added = demo.seed(random.Random(3), clock.today())
    db.session.commit()
    assert added["hse_hazards"] > 10 and added["hse_nonconformities"] == 4
    return added


def _first(db, model, *where):
    return db.session.query(model).filter(*where).order_by(model.id).first()


def _records(db) -> dict:
    """The records the pages are checked against: the first of each kind, and for the lists that open on
    open records (nonconformities, reports), the first open one."""
    return {
        "hazard": _first(db, HseHazard), "aspect": _first(db, HseAspect), "nc": _first(db, Nonconformity),
        "open_nc": _first(db, Nonconformity, Nonconformity.status.notin_(("closed", "cancelled"))),
        "fed_nc": _first(db, Nonconformity, Nonconformity.origin == "field_hazard"),
        "objective": _first(db, HseObjective), "inspection": _first(db, SelfInspection),
        "session": _first(db, TrainingSession), "campaign": _first(db, HseCampaign),
        "observation": _first(db, HseObservation), "open_observation": _first(db, HseObservation,
                                                                              HseObservation.status == "open"),
    }


def _ids(records: dict) -> dict:
    return {name: record.id for name, record in records.items()}


def _matrix_cell(db, basis: str, hazard) -> str:
    """The cell of `hazard` on the risk matrix, with the count of active hazards that share it."""
    l_, c_ = ("residual_l", "residual_c") if basis == "residual" else ("l", "c")
    l_value, c_value = getattr(hazard, l_), getattr(hazard, c_)
    count = db.session.query(HseHazard).filter(HseHazard.status == "active", getattr(HseHazard, l_) == l_value,
                                               getattr(HseHazard, c_) == c_value).count()
    return f'data-l="{_num(l_value)}" data-c="{_num(c_value)}" data-count="{count}"'


def _num(value) -> str:
    return format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)


# What each page must show of the seeded records (escaped as the page writes it).
SHOWS = {
    "/hse/": lambda r, db: r["fed_nc"].title,
    "/hse/report": lambda r, db: 'name="description"',
    "/hse/hazards": lambda r, db: r["hazard"].description,
    "/hse/hazards/{hazard}": lambda r, db: r["hazard"].description,
    "/hse/aspects": lambda r, db: r["aspect"].aspect,
    "/hse/aspects/{aspect}": lambda r, db: r["aspect"].impact,
    "/hse/matrix": lambda r, db: _matrix_cell(db, "initial", r["hazard"]),
    "/hse/matrix?basis=residual": lambda r, db: _matrix_cell(
        db, "residual", _first(db, HseHazard, HseHazard.residual_l.isnot(None))),
    "/hse/nonconformities": lambda r, db: r["open_nc"].title,
    "/hse/nonconformities?fed=1": lambda r, db: r["fed_nc"].title,
    "/hse/nonconformities/{nc}": lambda r, db: r["nc"].number,
    "/hse/targets": lambda r, db: r["objective"].objective,
    "/hse/targets/{objective}": lambda r, db: r["objective"].indicator,
    "/hse/training": lambda r, db: r["session"].topic.name,
    "/hse/training/{session}": lambda r, db: r["session"].place,
    "/hse/training/requirements": lambda r, db: r["session"].topic.name,
    "/hse/inspections": lambda r, db: r["inspection"].period,
    "/hse/inspections/{inspection}": lambda r, db: r["inspection"].items[0].text,
    "/hse/campaigns": lambda r, db: r["campaign"].title,
    "/hse/campaigns/{campaign}": lambda r, db: r["campaign"].theme,
    "/hse/observations": lambda r, db: r["open_observation"].description,
    "/hse/hazards/new": lambda r, db: 'name="accident_type"',
    "/hse/hazards/{hazard}/edit": lambda r, db: r["hazard"].activity,
    "/hse/aspects/new": lambda r, db: 'name="impact"',
    "/hse/aspects/{aspect}/edit": lambda r, db: r["aspect"].activity,
    "/hse/nonconformities/new": lambda r, db: 'name="title"',
    "/hse/targets/new": lambda r, db: 'name="indicator"',
    "/hse/observations/{observation}": lambda r, db: r["observation"].location,
    "/hse/training/matrix": lambda r, db: r["session"].topic.name,
}
READ_PAGES = ["/hse/", "/hse/mine", "/hse/report", "/hse/hazards", "/hse/hazards/{hazard}", "/hse/aspects",
              "/hse/aspects/{aspect}", "/hse/matrix", "/hse/matrix?basis=residual", "/hse/nonconformities",
              "/hse/nonconformities?fed=1", "/hse/nonconformities/{nc}", "/hse/targets", "/hse/targets/{objective}",
              "/hse/training", "/hse/training/{session}", "/hse/training/requirements", "/hse/inspections",
              "/hse/inspections/{inspection}", "/hse/campaigns", "/hse/campaigns/{campaign}", "/hse/observations"]
MANAGE_PAGES = ["/hse/hazards/new", "/hse/hazards/{hazard}/edit", "/hse/aspects/new", "/hse/aspects/{aspect}/edit",
                "/hse/nonconformities/new", "/hse/targets/new", "/hse/observations/{observation}",
                "/hse/training/matrix"]


def _assert_shows(client, db, records, url, ids=None):
    response = client.get(url.format(**(ids or _ids(records))))
    assert response.status_code == 200, url
    expected = SHOWS[url](records, db)
    text = expected if expected.startswith(("name=", "data-")) else str(escape(expected))
    assert text in response.get_data(as_text=True), (url, expected)


# Each user's own list: what it shows is checked with a record given to them (test_nonconformity_pages_workflow).
OWN_PAGES = {"/hse/mine"}


def test_every_page_has_a_check():
    assert set(SHOWS) | OWN_PAGES == set(READ_PAGES + MANAGE_PAGES)


def test_demo_seed_runs_once(db, seeded):
    assert demo.seed(random.Random(3), clock.today()) == {}


@pytest.mark.parametrize("username", ["safety_officer", "director"])
def test_safety_office_sees_every_page(db, seeded, login, username):
    client = login(username)
    records = _records(db)
    for url in READ_PAGES + MANAGE_PAGES:
        if url not in OWN_PAGES:
            _assert_shows(client, db, records, url)


@pytest.mark.parametrize("role", ["repair_tech", "meter_reader", "card_clerk", "metering_tech"])
def test_field_staff_read_and_report_but_not_manage(db, seeded, staff, login, role):
    client = login(role)
    records = _records(db)
    ids = _ids(records)
    ids["observation"] = db.session.query(HseObservation.id).filter(  # someone else's report
        HseObservation.reported_by != staff[role].id).first()[0]
    for url in READ_PAGES:
        if url not in OWN_PAGES | {"/hse/observations"}:
            _assert_shows(client, db, records, url, ids)
    # Field staff see their own reports only.
    reports = client.get("/hse/observations").get_data(as_text=True)
    for observation in db.session.query(HseObservation).filter_by(status="open"):
        mine = observation.reported_by == staff[role].id
        assert (str(escape(observation.description)) in reports) is mine, observation.description
    for url in MANAGE_PAGES:
        assert client.get(url.format(**ids)).status_code in (403, 404), url
    page = client.get(f"/hse/hazards/{ids['hazard']}").get_data(as_text=True)
    assert "/edit" not in page


def test_nav_tab_for_the_office_tiles_for_everyone(staff, login):
    officer_home = login("safety_officer").get("/").get_data(as_text=True)
    assert 'class="tab' in officer_home and 'href="/hse/"' in officer_home
    tech_home = login("repair_tech").get("/").get_data(as_text=True)
    assert 'href="/hse/report"' in tech_home and 'href="/hse/mine"' in tech_home
    assert 'href="/hse/"' not in tech_home.split('class="tabbar"')[1]


def test_hazard_form_bad_factor_keeps_typed_values(staff, login):
    response = login("safety_officer").post("/hse/hazards/new", data={
        "unit": "repair_crew", "activity": "Riser work", "description": "Fall from ladder",
        "accident_type": "fall_from_height", "state": "normal", "l": "4", "e": "2", "c": "15",
        "direct_criteria": ["past_accident"], "control_ppe": "Harness"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Riser work" in page and "Harness" in page
    assert 'id="e-l"' in page and 'value="past_accident" checked' in page


def test_hazard_form_saves_and_edit_clears_residual(db, staff, login):
    client = login("safety_officer")
    response = client.post("/hse/hazards/new", data={
        "unit": "repair_crew", "activity": "Riser work", "description": "Fall from ladder",
        "accident_type": "fall_from_height", "state": "normal", "l": "6", "e": "2", "c": "15",
        "residual_l": "1", "residual_e": "2", "residual_c": "15", "owner_id": str(staff["repair_tech"].id)})
    assert response.status_code == 302
    hazard = db.session.query(HseHazard).one()
    assert (hazard.grade, hazard.residual_grade, hazard.owner_id) == (2, 4, staff["repair_tech"].id)
    form = client.get(f"/hse/hazards/{hazard.id}/edit").get_data(as_text=True)
    assert '<option value="6" selected' in form
    response = client.post(f"/hse/hazards/{hazard.id}/edit", data={
        "version": hazard.version, "unit": "repair_crew", "activity": "Riser work", "description": "Fall",
        "accident_type": "fall_from_height", "state": "normal", "l": "6", "e": "2", "c": "15"})
    assert response.status_code == 302
    db.session.refresh(hazard)
    assert hazard.residual_d is None and hazard.owner_id is None


def test_nonconformity_pages_workflow(db, staff, login):
    client = login("safety_officer")
    response = client.post("/hse/nonconformities/new", data={"title": "Van extinguisher", "description": "Expired",
                                                              "origin": "audit"})
    assert response.status_code == 302
    nc = db.session.query(Nonconformity).one()
    url = f"/hse/nonconformities/{nc.id}"
    client.post(f"{url}/transition", data={"to": "analysis"})
    blocked = client.post(f"{url}/transition", data={"to": "action_plan"})
    assert blocked.status_code == 422 and 'id="e-root_cause"' in blocked.get_data(as_text=True)
    client.post(f"{url}/analysis", data={"root_cause": "Not on the checklist"})
    client.post(f"{url}/transition", data={"to": "action_plan"})
    bad = client.post(f"{url}/actions", data={"kind": "corrective", "description": "Add to checklist"})
    assert bad.status_code == 422 and "Add to checklist" in bad.get_data(as_text=True)
    client.post(f"{url}/actions", data={"kind": "corrective", "description": "Add to checklist",
                                        "owner_id": staff["repair_tech"].id, "deadline": clock.today().isoformat()})
    client.post(f"{url}/transition", data={"to": "in_progress"})
    db.session.refresh(nc)
    assert nc.status == "in_progress"
    illegal = client.post(f"{url}/transition", data={"to": "closed"})
    assert illegal.status_code == 403  # the safety officer never closes
    tech = login("repair_tech")
    mine = tech.get("/hse/mine").get_data(as_text=True)
    assert "Add to checklist" in mine
    action_id = nc.actions[0].id
    done = tech.post(f"/hse/actions/{action_id}/done", data={"done_on": clock.today().isoformat(),
                                                             "back": "/hse/mine"})
    assert done.status_code == 302 and done.location.endswith("/hse/mine")
    db.session.refresh(nc)
    assert nc.actions[0].done_on == clock.today()
    evil = tech.post(f"/hse/actions/{action_id}/done", data={"done_on": "2020-01-01", "back": "//evil.example"})
    assert "evil" not in evil.location


def test_self_inspection_pages(db, staff, login):
    client = login("safety_officer")
    response = client.post("/hse/inspections", data={"unit": "station", "period": "2026-04",
                                                     "held_on": "2026-04-20"})
    assert response.status_code == 302
    inspection = db.session.query(SelfInspection).one()
    items = inspection.items
    data = {f"result_{i.id}": "ok" for i in items}
    data[f"result_{items[0].id}"] = "finding"
    missing_note = client.post(f"/hse/inspections/{inspection.id}", data=data)
    assert missing_note.status_code == 422
    data[f"note_{items[0].id}"] = "Odorant store unlocked"
    data["complete"] = "1"
    assert client.post(f"/hse/inspections/{inspection.id}", data=data).status_code == 302
    raised = client.post(f"/hse/inspections/items/{items[0].id}/raise")
    nc = db.session.query(Nonconformity).one()
    assert raised.location.endswith(f"/hse/nonconformities/{nc.id}")
    assert nc.origin == "inspection"


def test_training_pages(db, staff, login):
    client = login("safety_officer")
    client.post("/hse/training/requirements", data={"form": "topic", "name": "Confined spaces"})
    page = client.get("/hse/training/requirements").get_data(as_text=True)
    assert "Confined spaces" in page
    from fieldsvc.hse.models import TrainingTopic
    topic = db.session.query(TrainingTopic).one()
    client.post("/hse/training/requirements", data={"form": "requirement", "topic_id": topic.id,
                                                    "role": "meter_reader", "interval_months": "12"})
    bad = client.post("/hse/training/new", data={"topic_id": topic.id, "held_on": "2026-05-01", "hours": "abc",
                                                 "trainer": "Wu"})
    assert bad.status_code == 422 and 'value="Wu"' in bad.get_data(as_text=True)
    ok = client.post("/hse/training/new", data={"topic_id": topic.id, "held_on": clock.today().isoformat(),
                                                "hours": "2", "trainer": "Wu",
                                                "attendee_ids": [staff["meter_reader"].id]})
    assert ok.status_code == 302
    session = db.session.query(TrainingSession).one()
    attendance = session.attendances[0]
    assert client.post(ok.location, data={f"score_{attendance.id}": "45"}).status_code == 302
    db.session.refresh(attendance)
    assert attendance.passed is False
    matrix = client.get("/hse/training/matrix?due=1").get_data(as_text=True)
    assert staff["meter_reader"].name in matrix


def test_targets_and_campaign_pages(db, staff, login):
    client = login("safety_officer")
    response = client.post("/hse/targets/new", data={"year": "2026", "unit": "station", "objective": "Coverage",
                                                     "indicator": "Inspection rate", "target_value": "98",
                                                     "direction": "at_least", "measure": "%"})
    assert response.status_code == 302
    assert client.post(response.location, data={"actual_value": "49", "as_of": "2026-06-30"}).status_code == 302
    assert "50.0 %" in client.get(response.location).get_data(as_text=True)
    created = client.post("/hse/campaigns", data={"title": "Winter safety", "starts_on": "2026-01-01"})
    assert created.status_code == 302
    reader = login("meter_reader")
    assert reader.post(created.location, data={"held_on": "2026-01-10", "place": "Square",
                                               "audience_count": "150"}).status_code == 302
    assert "150" in reader.get(created.location).get_data(as_text=True)
    bad = reader.post(created.location, data={"held_on": "2026-01-10", "place": "Square", "audience_count": "-1"})
    assert bad.status_code == 422


def test_home_figures_for_the_lead_to_include(app, db, seeded, staff):
    from flask import render_template_string
    from flask_login import login_user

    from fieldsvc.hse.services.dashboard import home_figures
    director = staff["director"]
    figures = home_figures(director, clock.today())
    # 3 from the CAPA demo + 3 from the HSE system demo (a failed evaluation, an audit finding, a review decision)
    # + 1 of the station chief's own unit (hse/demo_units.py)
    assert figures["nc_open"] == 7 and figures["fed_open"] == 1 and figures["to_approve"] == 0
    assert figures["significant_hazards"] == 6 and figures["observations_open"] == 4
    assert "observations_open" not in home_figures(staff["repair_tech"], clock.today())
    with app.test_request_context("/"):
        login_user(director)
        html = render_template_string('{% with hse=f %}{% include "hse/_home_figures.html" %}{% endwith %}',
                                      f=figures)
    assert 'href="/hse/nonconformities?fed=1"' in html and "<strong>6</strong>" in html
