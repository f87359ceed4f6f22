"""Annual plans: who writes which, items with progress read from the other domains' tables (or reported by
hand when the domain is not installed), the director's approval, and the year-end summary and its PDF."""
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

import fieldsvc
from fieldsvc import clock
from fieldsvc.customers.models import Meter
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotFound
from fieldsvc.hse.models import TrainingSession, TrainingTopic
from fieldsvc.inspections.models import Inspection
from fieldsvc.management.services import metrics, plans, summaries
from fieldsvc.metering.models import Equipment, MeterTest


@pytest.fixture
def year():
    return clock.today().year


@pytest.fixture
def records(staff, customer, db, year):
    """This year: one of the customers inspected (coverage 100 % of 1), two training sessions, three bench
    tests; last year: one more of each (not counted)."""
    zone = clock.zone()
    this_year, last_year = date(year, 3, 10), date(year - 1, 11, 5)
    for day in (this_year, last_year):
        db.session.add(Inspection(customer_id=customer.id, inspector_id=staff["repair_tech"].id, outcome="completed",
                                  visited_at=datetime(day.year, day.month, day.day, 10, tzinfo=zone), gas="NG"))
    topic = TrainingTopic(name="燃气安全")
    db.session.add(topic)
    db.session.flush()
    for day in (this_year, this_year + timedelta(days=30), last_year):
        db.session.add(TrainingSession(topic_id=topic.id, held_on=day, hours=Decimal(2), trainer="吴海燕"))
    meter = Meter(serial_no="T0001", size="G2.5", accuracy_class="1.5", kind="diaphragm", location="indoor")
    bench = Equipment(name="钟罩式标准装置", serial_no="B-1", calibration_cert="C-1", status="approved",
                      calibration_expires_on=date(year + 1, 1, 1))
    # Awaiting approval, its certificate long lapsed: not in service, so it does not lower the figure.
    pending = Equipment(name="新购标准装置", serial_no="B-2", calibration_cert="C-2", status="pending",
                        calibration_expires_on=date(year - 2, 1, 1))
    db.session.add_all([meter, bench, pending])
    db.session.flush()
    for day in (this_year, this_year, this_year + timedelta(days=1), last_year):
        db.session.add(MeterTest(
            meter_id=meter.id, verification="initial", equipment_id=bench.id, tester_id=staff["metering_tech"].id,
            tested_on=day, tested_at=datetime(day.year, day.month, day.day, 9, tzinfo=zone), size="G2.5",
            accuracy_class="1.5", gas="NG", temperature_c=Decimal(20), humidity_pct=Decimal(50), leak_test_ok=True,
            pressure_loss_pa=Decimal(100), pressure_loss_limit_pa=Decimal(200), ok=True, failures=[],
            mean_error_pct=Decimal("0.5")))
    db.session.commit()


def test_metric_providers_read_the_other_domains(records, year):
    assert metrics.value("inspection_coverage", year) == Decimal("100.0")
    assert metrics.value("trainings_held", year) == 2
    assert metrics.value("meter_tests", year) == 3
    assert metrics.value("meter_tests", year - 1) == 1
    assert metrics.value("equipment_in_calibration", year) == Decimal("100.0")
    assert metrics.value("incidents", year) == 0
    assert metrics.value(None, year) is None and metrics.value("nonsense", year) is None


def test_a_metric_is_none_when_its_domain_is_not_installed(records, year, monkeypatch):
    monkeypatch.setattr(fieldsvc, "DOMAINS", tuple(d for d in fieldsvc.DOMAINS if d not in ("hse", "metering")))
    assert metrics.value("trainings_held", year) is None
    assert metrics.value("meter_tests", year) is None
    assert metrics.value("inspection_coverage", year) == Decimal("100.0")
    assert "trainings_held" not in metrics.available()


def _safety_plan(staff, year, db):
    officer = staff["safety_officer"]
    plan = plans.create_plan(officer, {"year": year, "kind": "safety"})
    plans.add_item(officer, plan, {"section": "inspection", "description": "全年入户安检覆盖率达到 95%",
                                   "metric": "inspection_coverage", "target": Decimal(95), "owner_id": officer.id,
                                   "due_on": date(year, 12, 31)})
    plans.add_item(officer, plan, {"section": "training", "description": "每季度一次安全培训",
                                   "metric": "trainings_held", "target": Decimal(4), "owner_id": officer.id})
    plans.add_item(officer, plan, {"section": "publicity", "description": "社区燃气安全宣传周",
                                   "owner_id": staff["station_chief"].id, "due_on": date(year, 6, 30)})
    db.session.commit()
    return plan


def test_who_writes_which_plan(staff, db, year, en_request):
    with pytest.raises(NotAllowed):
        plans.create_plan(staff["metering_head"], {"year": year, "kind": "safety"})
    with pytest.raises(NotAllowed):
        plans.create_plan(staff["station_chief"], {"year": year, "kind": "safety"})
    plans.create_plan(staff["metering_head"], {"year": year, "kind": "technical"})
    with pytest.raises(Invalid):  # one of each kind a year
        plans.create_plan(staff["director"], {"year": year, "kind": "technical"})


def test_items_are_checked(staff, db, year, en_request):
    plan = plans.create_plan(staff["safety_officer"], {"year": year, "kind": "safety"})
    for data, field in (({"section": "metering", "description": "x"}, "section"),
                        ({"section": "training", "description": "x", "metric": "trainings_held"}, "target"),
                        ({"section": "training", "description": "x", "due_on": date(year + 1, 1, 1)}, "due_on"),
                        ({"section": "training", "description": "x", "owner_id": 999999}, "owner_id")):
        with pytest.raises(Invalid) as exc:
            plans.add_item(staff["safety_officer"], plan, data)
        assert field in exc.value.errors


def test_progress_is_read_from_the_records(staff, records, db, year, en_request):
    plan = _safety_plan(staff, year, db)
    rows = {r.item.section: r for r in plans.progress(plan, date(year, 7, 1))}
    assert rows["inspection"].actual == Decimal("100.0") and rows["inspection"].progress == Decimal(100)
    assert rows["inspection"].state == "done"
    assert rows["training"].actual == 2 and rows["training"].progress == Decimal("50.0")
    assert rows["training"].state == "on_track"
    assert rows["publicity"].actual is None and rows["publicity"].progress is None
    assert rows["publicity"].state == "overdue"  # due 30 June, nothing reported


def test_approval_then_progress_by_the_owner(staff, db, year, en_request):
    plan = _safety_plan(staff, year, db)
    publicity = next(i for i in plan.items if i.section == "publicity")
    with pytest.raises(Conflict):  # progress only once approved
        plans.report_progress(staff["station_chief"], publicity, {"progress_pct": Decimal(50)})
    plans.transition(staff["safety_officer"], plan, "submitted")
    with pytest.raises(NotAllowed):
        plans.transition(staff["safety_officer"], plan, "approved")
    with pytest.raises(Conflict):  # items are frozen once submitted
        plans.add_item(staff["safety_officer"], plan, {"section": "training", "description": "x"})
    plans.transition(staff["director"], plan, "approved")
    plans.report_progress(staff["station_chief"], publicity, {"progress_pct": Decimal(60), "progress_note": "三个社区已完成"})
    with pytest.raises(NotFound):  # someone else's item
        plans.report_progress(staff["metering_tech"], publicity, {"progress_pct": Decimal(70)})
    row = next(r for r in plans.progress(plan, date(year, 1, 2)) if r.item.id == publicity.id)
    assert row.progress == Decimal("60.0") and row.state == "on_track"
    assert [r.item.id for r in plans.my_items(staff["station_chief"])] == [publicity.id]


def test_the_year_end_summary_from_the_same_figures(staff, records, db, year, en_request):
    plan = _safety_plan(staff, year, db)
    with pytest.raises(Conflict):  # only for an approved plan
        summaries.generate(staff["safety_officer"], plan)
    plans.transition(staff["safety_officer"], plan, "submitted")
    plans.transition(staff["director"], plan, "approved")
    summary = summaries.generate(staff["safety_officer"], plan)
    db.session.commit()
    figures = {i["section"]: i for i in summary.figures["items"]}
    progress = {r.item.section: r for r in plans.progress(plan)}
    assert figures["training"]["actual"] == "2" and figures["training"]["target"] == "4"
    assert Decimal(figures["training"]["progress"]) == progress["training"].progress == Decimal(50)
    assert "2" in summary.texts["training"] and "每季度一次安全培训" in summary.texts["training"]
    assert set(summary.texts) == {"inspection", "publicity", "training", "rectification", "overall"}

    summaries.update_texts(staff["safety_officer"], summary, {"training": "全年开展培训两次，未达计划。", "bogus": "x"})
    assert summary.texts["training"] == "全年开展培训两次，未达计划。" and "bogus" not in summary.texts
    # Taking the figures again keeps the author's words unless asked to fill them again.
    summaries.generate(staff["safety_officer"], plan)
    assert summary.texts["training"] == "全年开展培训两次，未达计划。"
    summaries.transition(staff["safety_officer"], summary, "submitted")
    with pytest.raises(NotAllowed):
        summaries.transition(staff["safety_officer"], summary, "approved")
    summaries.transition(staff["director"], summary, "approved")
    with pytest.raises(Conflict):
        summaries.update_texts(staff["safety_officer"], summary, {"training": "改"})
    with pytest.raises(Conflict):
        summaries.generate(staff["safety_officer"], plan)
    db.session.commit()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        summaries.summary_pdf(staff["director"], summary))).pages)
    assert "全年开展培训两次，未达计划。" in text and "每季度一次安全培训" in text
