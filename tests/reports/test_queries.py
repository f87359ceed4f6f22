"""Every figure of reports.queries against the known month built in conftest (October 2025)."""
from datetime import date
from decimal import Decimal

from fieldsvc.reports import queries, services
from tests.reports.conftest import END, START


def test_orders_by_type_and_status_with_period_edges(known_month):
    a = queries.orders(START, END, known_month.a.id)
    assert a == {"total": 7,
                 "by_type": {"emergency": 3, "repair": 2, "purge_ignition": 1, "pressure_check": 1},
                 "by_status": {"completed": 3, "on_site": 1, "closed": 1, "cancelled": 1, "new": 1}}
    assert queries.orders(START, END, None)["total"] == 8  # district C's order counts for the company


def test_response_time_compliance_per_type(known_month):
    c = queries.compliance(START, END, known_month.a.id)
    assert c["by_type"] == {
        "emergency": {"reached": 3, "on_time": 1, "rate": Decimal("33.3")},
        "repair": {"reached": 1, "on_time": 1, "rate": Decimal("100.0")},      # the new one has not arrived
        "purge_ignition": {"reached": 1, "on_time": 0, "rate": Decimal("0.0")},  # completed a day late
    }
    assert (c["reached"], c["on_time"], c["rate"]) == (5, 2, Decimal("40.0"))
    company = queries.compliance(START, END, None)
    assert (company["reached"], company["on_time"]) == (6, 3)


def test_emergency_arrival_median_and_p90(known_month):
    assert queries.emergency_arrival(START, END, known_month.a.id) == {"count": 3, "median_min": 40.0,
                                                                       "p90_min": 90.0}


def test_percentile_nearest_rank():
    assert queries.percentile([], 90) is None
    assert queries.percentile([5], 90) == 5
    assert queries.percentile(list(range(1, 11)), 90) == 9
    assert queries.percentile(list(range(1, 12)), 90) == 10


SEP, NOV = (date(2025, 9, 1), date(2025, 9, 30)), (date(2025, 11, 1), date(2025, 11, 30))
JAN_2024 = (date(2024, 1, 1), date(2024, 1, 31))


def test_reading_completion_of_a_month(known_month):
    # Planned in October: today's 4 stops of A-1 (m3 was put in on 20 October, before the month's end) and
    # the meter read on A-old, a route switched off since (it was read on it in October). Read: m0, m1 (the
    # sent-back reading does not count, the accepted re-read does) and A-old's meter. The skip at 00:10 on
    # 1 November is November's, though still 31 October in UTC.
    assert queries.reading_completion(START, END, known_month.a.id) == {"stops": 5, "read": 3,
                                                                        "rate": Decimal("60.0")}
    assert queries.reading_completion(START, END, None) == {"stops": 5, "read": 3, "rate": Decimal("60.0")}


def test_reading_completion_of_past_months_uses_their_own_plan(known_month):
    a = known_month.a.id
    # September: m0, m1, m2 (m3 not yet in); a meter since taken off the route was skipped on it that month.
    # Read: m0 and m2; m1's estimate (nobody home) is not a reading taken.
    assert queries.reading_completion(*SEP, a) == {"stops": 4, "read": 2, "rate": Decimal("50.0")}
    # November: the 4 stops and the meter skipped at 00:10 on the 1st; m2's self-read (no route) counts.
    assert queries.reading_completion(*NOV, a) == {"stops": 5, "read": 1, "rate": Decimal("20.0")}
    # A month without any record: the stops whose meter was in service then, none read.
    assert queries.reading_completion(*JAN_2024, a) == {"stops": 3, "read": 0, "rate": Decimal("0.0")}


def test_reading_trend_gives_each_month_its_own_figures(known_month):
    months = [(2024, 1), (2025, 9), (2025, 10), (2025, 11)]
    for district in (known_month.a.id, None, known_month.b.id):
        trend = queries.reading_trend(months, district)
        assert list(trend) == ["2024-01", "2025-09", "2025-10", "2025-11"]
        for key, (start, end) in zip(trend, (JAN_2024, SEP, (START, END), NOV), strict=True):
            assert trend[key] == queries.reading_completion(start, end, district), (district, key)
    assert [v["rate"] for v in queries.reading_trend(months, known_month.a.id).values()] == [
        Decimal("0.0"), Decimal("50.0"), Decimal("60.0"), Decimal("20.0")]
    assert all(v == {"stops": 0, "read": 0, "rate": None}
               for v in queries.reading_trend(months, known_month.b.id).values())
    assert queries.reading_trend([], None) == {}


def test_arrears_recovery(known_month):
    assert queries.arrears_recovery(START, END, known_month.a.id) == {
        "bills": 2, "billed": Decimal("150.00"), "paid": Decimal("120.00"), "rate": Decimal("80.0")}


def test_inspection_coverage_and_entry_rate(known_month):
    i = queries.inspection_coverage(START, END, known_month.a.id)
    assert (i["customers"], i["done"], i["visited"]) == (4, 2, 3)
    assert (i["coverage"], i["entry_rate"]) == (Decimal("50.0"), Decimal("66.7"))


def test_household_hazards(known_month):
    assert queries.household_hazards(START, END, known_month.a.id) == {
        "found": 4, "rectified": 2, "overdue": 1, "rate": Decimal("50.0")}


def test_metering_tests_and_certificates(known_month):
    assert queries.metering(START, END, known_month.a.id) == {
        "tests": 2, "failed": 1, "failure_rate": Decimal("50.0"), "certificates": 1, "notices": 1}
    assert queries.metering(START, END, None) == {
        "tests": 3, "failed": 1, "failure_rate": Decimal("33.3"), "certificates": 2, "notices": 1}


NO_SCORES = {"count": 0, "mean": None, "satisfied": 0, "satisfied_rate": None}


def test_followup_satisfaction_of_complaints(known_month):
    # Complaint follow-up calls in October: 5, 4, 2 (the one on 1 November and the one without a score
    # are left out); no dispatch follow-up visits in this fixture.
    complaints = {"count": 3, "mean": Decimal("3.67"), "satisfied": 2, "satisfied_rate": Decimal("66.7")}
    assert queries.satisfaction(START, END, known_month.a.id) == {**complaints, "complaints": complaints,
                                                                  "visits": NO_SCORES}


def test_followup_satisfaction_of_complaints_and_visits(followup_visits):
    a = queries.satisfaction(START, END, followup_visits.a.id)
    assert a["complaints"] == {"count": 3, "mean": Decimal("3.67"), "satisfied": 2, "satisfied_rate": Decimal("66.7")}
    # Visits in October: 5 and 3 (the call without a score and the one at 00:20 on 1 November are left out).
    assert a["visits"] == {"count": 2, "mean": Decimal("4.00"), "satisfied": 1, "satisfied_rate": Decimal("50.0")}
    # Pooled: 5, 4, 2, 5, 3.
    assert {k: a[k] for k in ("count", "mean", "satisfied", "satisfied_rate")} == {
        "count": 5, "mean": Decimal("3.80"), "satisfied": 3, "satisfied_rate": Decimal("60.0")}
    company = queries.satisfaction(START, END, None)  # district C's visit scored 1
    assert company["visits"] == {"count": 3, "mean": Decimal("3.00"), "satisfied": 1,
                                 "satisfied_rate": Decimal("33.3")}
    assert (company["count"], company["mean"], company["satisfied_rate"]) == (6, Decimal("3.33"), Decimal("50.0"))
    assert queries.satisfaction(START, END, followup_visits.b.id) == {**NO_SCORES, "complaints": NO_SCORES,
                                                                      "visits": NO_SCORES}
    assert queries.satisfaction(*JAN_2024, None) == {**NO_SCORES, "complaints": NO_SCORES, "visits": NO_SCORES}
    november = queries.satisfaction(*NOV, followup_visits.a.id)
    assert november["visits"]["count"] == 1 and november["complaints"]["count"] == 1 and november["mean"] == 3


def test_hse_snapshot(known_month):
    assert queries.hse(START, END, None) == {"significant_hazards": 2, "open_nonconformities": 2}


def test_qualifications(known_month):
    assert queries.qualifications(START, END, known_month.a.id) == {"expired": 1, "expiring": 1, "days": 60}
    assert queries.qualifications(START, END, None) == {"expired": 1, "expiring": 2, "days": 60}


def test_empty_month(known_month):
    f = queries.all_figures(date(2024, 1, 1), date(2024, 1, 31), known_month.a.id)
    assert f["orders"] == {"total": 0, "by_type": {}, "by_status": {}}
    assert f["compliance"]["rate"] is None and f["compliance"]["reached"] == 0
    assert f["emergency"] == {"count": 0, "median_min": None, "p90_min": None}
    assert f["readings"] == {"stops": 3, "read": 0, "rate": Decimal("0.0")}  # m3 was put in in 2025
    assert f["arrears"]["rate"] is None and f["arrears"]["billed"] == Decimal("0.00")
    assert f["hazards"] == {"found": 0, "rectified": 0, "overdue": 0, "rate": None}
    assert f["metering"]["tests"] == 0 and f["metering"]["failure_rate"] is None
    assert f["satisfaction"] == {**NO_SCORES, "complaints": NO_SCORES, "visits": NO_SCORES}


def test_district_without_data(known_month):
    f = queries.all_figures(START, END, known_month.b.id)
    assert f["orders"]["total"] == 0
    assert f["readings"] == {"stops": 0, "read": 0, "rate": None}
    assert f["inspections"] == {"customers": 0, "done": 0, "visited": 0, "coverage": None, "entry_rate": None}
    assert f["arrears"]["bills"] == 0 and f["hazards"]["found"] == 0 and f["metering"]["tests"] == 0
    assert f["satisfaction"]["count"] == 0 and f["qualifications"]["expired"] == 0


def test_orders_by_month_and_district_comparison(known_month):
    months = services.last_months(2025, 11, 3)
    assert months == [(2025, 9), (2025, 10), (2025, 11)]
    assert queries.orders_by_month(months, known_month.a.id) == {"2025-09": 1, "2025-10": 7, "2025-11": 1}
    rows = {r["id"]: r for r in queries.districts_comparison(START, END)}
    assert rows[known_month.a.id]["orders"] == 7 and rows[known_month.a.id]["rate"] == Decimal("40.0")
    assert rows[known_month.c.id]["orders"] == 1 and rows[known_month.b.id]["orders"] == 0
    assert rows[known_month.b.id]["rate"] is None


def test_last_months_wraps_the_year():
    assert services.last_months(2026, 2, 4) == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]
    assert len(services.last_months(2026, 11)) == 12
