"""The chief's review of the end-of-line sample: sign-off with an analysis note (locks the readings),
a follow-up pressure check from an anomaly (once per sample), the weekly report (JSON, PDF)."""
from datetime import timedelta

import pytest

from fieldsvc import clock
from fieldsvc.audit import AuditEntry
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.dispatch.services import orders
from fieldsvc.errors import Conflict, Invalid, NotAllowed
from fieldsvc.extensions import db
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import SamplingOrder, SamplingReview
from fieldsvc.inspections.services import sampling, sampling_review
from tests.inspections.conftest import make_customer

EN = {"Accept-Language": "en"}


def _complete(staff, order_id, static, working):
    order = db.session.get(WorkOrder, order_id)
    orders.assign(staff["station_chief"], order.id, staff["repair_tech"].id, order.version)
    for to in ("accepted", "en_route", "on_site"):
        orders.transition(staff["repair_tech"], order.id, to, order.version)
    orders.transition(staff["repair_tech"], order.id, "completed", order.version,
                      completion={"results": {"static_pa": static, "working_pa": working}})


@pytest.fixture
def day_drawn(staff, db, en_request):
    """Two end-of-line customers drawn today: one measured low (anomaly), one normal."""
    chief = staff["station_chief"]
    for n in range(2):
        customer = make_customer(db, f"6410000{n}")
        sampling.mark(chief, customer.id, True)
    rows = sampling.draw(chief, 2)
    _complete(staff, rows[0].work_order_id, 1600, 1400)  # low
    _complete(staff, rows[1].work_order_id, 2100, 2000)  # normal
    db.session.flush()
    return rows


# --- rules ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("statuses, expected", [
    ([], 0), (["completed", "closed", "cancelled"], 0), (["new", "completed"], 1),
    (["assigned", "accepted", "en_route", "on_site"], 4)])
def test_unsettled(statuses, expected):
    assert rules.unsettled(statuses) == expected


@pytest.mark.parametrize("day, monday", [("2026-12-07", "2026-12-07"), ("2026-12-13", "2026-12-07"),
                                         ("2026-12-10", "2026-12-07"), ("2027-01-01", "2026-12-28")])
def test_week_of(day, monday):
    from datetime import date
    start, end = rules.week_of(date.fromisoformat(day))
    assert start.isoformat() == monday and (end - start).days == 6 and start.weekday() == 0


@pytest.mark.parametrize("days, problem", [(0, None), (30, None), (31, "too_long"), (-1, "reversed")])
def test_report_period_problem(days, problem):
    from datetime import date
    start = date(2026, 12, 1)
    assert rules.report_period_problem(start, start + timedelta(days=days)) == problem


@pytest.mark.parametrize("verdict, priority", [("high", "urgent"), ("low", "normal"), ("normal", "normal"),
                                               (None, "normal")])
def test_followup_priority(verdict, priority):
    assert rules.followup_priority(verdict) == priority


# --- services ---------------------------------------------------------------------------------------

def test_sign_off_locks_the_readings(staff, db, day_drawn):
    chief = staff["station_chief"]
    review = sampling_review.sign_off(chief, clock.today(), "末端低压一户，疑似调压器故障，已安排复查。")
    assert review.samples == 2 and review.anomalies == 1
    locked = {r.id: (r.locked_working_pa, r.locked_verdict) for r in db.session.query(SamplingOrder)}
    assert locked[day_drawn[0].id] == (1400, "low") and locked[day_drawn[1].id] == (2000, "normal")
    # the completion changed afterwards (a correction, a bug): the signed review keeps the signed reading
    order = db.session.get(WorkOrder, day_drawn[0].work_order_id)
    order.completion.results = {"static_pa": 2100, "working_pa": 2050}
    db.session.flush()
    low = next(s for s in sampling.review(chief, clock.today()) if s.row.id == day_drawn[0].id)
    assert low.locked and low.working_pa == 1400 and low.anomaly
    assert db.session.query(AuditEntry).filter_by(action="pressure_sampling.sign_off").count() == 1
    with pytest.raises(Conflict):
        sampling_review.sign_off(chief, clock.today(), "again")
    with pytest.raises(Invalid) as exc:
        sampling.draw(chief, 1)  # no more draws on a signed day
    assert "n" in exc.value.errors


def test_sign_off_refused_while_a_check_is_open_or_without_note(staff, db, en_request):
    chief = staff["station_chief"]
    customer = make_customer(db, "64200001")
    sampling.mark(chief, customer.id, True)
    sampling.draw(chief, 1)
    with pytest.raises(Invalid) as exc:
        sampling_review.sign_off(chief, clock.today(), "分析")
    assert "day" in exc.value.errors and "still open" in exc.value.errors["day"][0]
    with pytest.raises(Invalid) as exc:
        sampling_review.sign_off(chief, clock.today(), "   ")
    assert "analysis" in exc.value.errors
    with pytest.raises(Invalid) as exc:
        sampling_review.sign_off(chief, clock.today() - timedelta(days=3), "分析")
    assert "No sample" in exc.value.errors["day"][0]
    with pytest.raises(Invalid) as exc:
        sampling_review.sign_off(chief, clock.today() + timedelta(days=1), "分析")
    assert "day" in exc.value.errors
    with pytest.raises(NotAllowed):
        sampling_review.sign_off(staff["director"], clock.today(), "分析")
    assert db.session.query(SamplingReview).count() == 0


def test_followup_from_an_anomaly_once(staff, db, day_drawn):
    chief = staff["station_chief"]
    low, normal = day_drawn
    order = sampling_review.open_followup(chief, low.id)
    assert order.type == "pressure_check" and order.customer_id == low.customer_id and order.status == "new"
    assert db.session.get(SamplingOrder, low.id).followup_order_id == order.id
    assert "1400" in order.description
    with pytest.raises(Conflict):
        sampling_review.open_followup(chief, low.id)
    with pytest.raises(Invalid) as exc:
        sampling_review.open_followup(chief, normal.id)
    assert "sample" in exc.value.errors
    assert db.session.query(WorkOrder).filter_by(type="pressure_check").count() == 3
    assert db.session.query(AuditEntry).filter_by(action="pressure_sampling.follow_up").count() == 1


def test_report_holds_readings_anomalies_orders_and_signoffs(staff, db, day_drawn):
    chief = staff["station_chief"]
    follow = sampling_review.open_followup(chief, day_drawn[0].id)
    sampling_review.sign_off(chief, clock.today(), "一户偏低，已派复查。")
    data = sampling_review.report(staff["director"])
    assert data["from"] <= clock.today() <= data["to"]
    assert data["totals"] == {"days": 1, "days_signed_off": 1, "samples": 2, "measured": 2, "anomalies": 1,
                              "followups": 1}
    assert [a["verdict"] for a in data["anomalies"]] == ["low"]
    assert data["followups"] == [{"sample_id": day_drawn[0].id, "work_order_id": follow.id, "status": "new"}]
    assert data["signoffs"][0]["note"] == "一户偏低，已派复查。" and data["points_on_file"] == 2
    with pytest.raises(NotAllowed):
        sampling_review.report(staff["repair_tech"])


# --- API and pages ----------------------------------------------------------------------------------

def test_api_report(staff, db, api, day_drawn):
    sampling_review.sign_off(staff["station_chief"], clock.today(), "正常")
    db.session.commit()
    client, headers = api("director")
    today = clock.today().isoformat()
    body = client.get(f"/api/v1/pressure-samples?from={today}&to={today}", headers=headers).get_json()
    assert body["from"] == today and len(body["samples"]) == 2 and body["signoffs"][0]["note"] == "正常"
    low = next(s for s in body["samples"] if s["anomaly"])
    assert low["working_pa"] == 1400 and low["band_pa"] == [1500, 3000] and low["locked"] is True
    assert client.get("/api/v1/pressure-samples", headers=headers).status_code == 200
    other, other_headers = api("repair_tech")
    assert other.get("/api/v1/pressure-samples", headers=other_headers).status_code == 403


@pytest.mark.parametrize("query, field", [
    ("from=2026-13-45", "from"), ("to=0000-00-00", "to"), ("from=9999-12-31", "from"),
    ("from=2026-12-10&to=2026-12-01", "to"), ("from=2026-01-01&to=2026-06-30", "to"),
    ("from=" + "9" * 500, "from"), ("from[x]=1&to=abc", "to")])
def test_api_hostile_dates_are_422(staff, api, query, field):
    client, headers = api("station_chief")
    response = client.get(f"/api/v1/pressure-samples?{query}", headers={**headers, **EN})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in response.get_data(as_text=True)


def test_pages_sign_off_follow_up_and_pdf(staff, db, login, day_drawn):
    chief = login("station_chief")
    db.session.commit()
    page = chief.get("/inspections/sampling", headers=EN).get_data(as_text=True)
    assert "Open a follow-up check" in page and "Sign off this day" in page
    response = chief.post(f"/inspections/sampling/{day_drawn[0].id}/followup", headers=EN)
    assert response.status_code == 302
    assert chief.post(f"/inspections/sampling/{day_drawn[0].id}/followup", headers=EN).status_code == 302  # flashed
    assert db.session.query(WorkOrder).filter_by(type="pressure_check").count() == 3
    # the normal one: refused with the reason shown on the page
    refused = chief.post(f"/inspections/sampling/{day_drawn[1].id}/followup", headers=EN)
    assert refused.status_code == 422 and "Only an anomalous reading" in refused.get_data(as_text=True)
    # a note too long: 422, the typed note kept
    long_note = "压力偏低" * 600
    bad = chief.post(f"/inspections/sampling/signoff?day={clock.today().isoformat()}", headers=EN,
                     data={"day": clock.today().isoformat(), "analysis": long_note})
    assert bad.status_code == 422 and long_note in bad.get_data(as_text=True)
    bad = chief.post("/inspections/sampling/signoff", headers=EN, data={"day": "2026-13-45", "analysis": "好"})
    assert bad.status_code == 422
    ok = chief.post(f"/inspections/sampling/signoff?day={clock.today().isoformat()}", headers=EN,
                    data={"day": clock.today().isoformat(), "analysis": "一户偏低，已派复查工单。"})
    assert ok.status_code == 302
    page = chief.get("/inspections/sampling", headers=EN).get_data(as_text=True)
    assert "Signed off" in page and "一户偏低，已派复查工单。" in page and "Follow-up check #" in page
    pdf = chief.get("/inspections/sampling/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert login("director").get("/inspections/sampling/report.pdf?from=2026-12-10&to=2026-12-01",
                                 headers=EN).status_code == 422
    assert login("repair_tech").get("/inspections/sampling/report.pdf").status_code == 403


def test_unsigned_days_remind_the_chief(staff, db, en_request):
    from fieldsvc.inspections.services import home
    chief = staff["station_chief"]
    customer = make_customer(db, "64300001")
    sampling.mark(chief, customer.id, True)
    day = clock.today() - timedelta(days=2)
    row = sampling.draw(chief, 1, day=day)[0]
    _complete(staff, row.work_order_id, 2100, 2000)
    sampling.draw(chief, 1)  # today's: not yet due for sign-off
    assert sampling_review.unsigned_days(chief) == [day]
    assert home.figures(chief)["sampling_unsigned"] == [day]
    sampling_review.sign_off(chief, day, "正常")
    assert sampling_review.unsigned_days(chief) == []
