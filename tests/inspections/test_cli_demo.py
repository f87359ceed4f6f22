"""The periodic hazard refresh command, the checklist seeding, and the demo data of this domain."""
import random
from datetime import timedelta

from fieldsvc import clock
from fieldsvc.core import demo as core_demo
from fieldsvc.inspections import demo
from fieldsvc.inspections.models import ChecklistItem, ChecklistVersion, CustomerSafety, Hazard, Inspection
from fieldsvc.inspections.services import checklist, recording


def test_refresh_command_escalates_overdue_hazards(app, staff, customer, db, en_request, signature_url):
    inspection = recording.record(staff["repair_tech"], {
        "customer_id": customer.id, "outcome": "completed", "signature": signature_url,
        "items": [{"code": "hose_aged", "ok": False}]})
    inspection.hazards[0].deadline = clock.today() - timedelta(days=2)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["inspections", "refresh-hazards"])
    assert result.exit_code == 0 and "1 hazard changes" in result.output
    assert db.session.query(Hazard).one().escalated


def test_checklist_is_written_once(app, db):
    result = app.test_cli_runner().invoke(args=["inspections", "seed-checklist"])
    assert result.exit_code == 0 and "21 items" in result.output
    checklist.ensure_default()
    assert db.session.query(ChecklistVersion).count() == 1
    assert db.session.query(ChecklistItem).count() == 21


def test_demo_seed_is_rerunnable(app, db):
    first = core_demo.seed("small", clock.today())  # calls this domain's seed_demo
    db.session.commit()
    assert first["end_of_line"] > 0 and first["inspections"] > 100
    again = demo.seed(random.Random(1), clock.today())
    assert again == {"end_of_line": 0, "inspections": 0}
    assert db.session.query(CustomerSafety).filter_by(end_of_line=True).count() == first["end_of_line"]
    assert db.session.query(Inspection).count() == first["inspections"]


def test_home_figures_follow_the_role(staff, customer, db, en_request, signature_url):
    from fieldsvc.inspections.services import home
    recording.record(staff["repair_tech"], {"customer_id": customer.id, "outcome": "completed",
                                            "items": [{"code": "hose_aged", "ok": False}]}, strict=False)
    assert home.figures(staff["repair_tech"]) == {"to_recheck": 0, "incomplete_visits": 1, "visits_today": 1}
    assert home.figures(staff["safety_officer"])["hazards"]["open"] == 1
    assert home.figures(staff["pipe_fitter"]) == {"my_rectifications": 0, "incomplete_visits": 0, "visits_today": 0}
    assert home.figures(staff["station_chief"])["sampling_anomalies"] == 0
    assert home.figures(staff["card_clerk"]) == {}
