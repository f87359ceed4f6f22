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


def test_reading_completion(known_month):
    # 4 stops on the active route; meters 1 and 2 read in October (the sent-back one does not count,
    # meter 2's accepted re-read does), meter 3 read in September; the inactive route is left out.
    assert queries.reading_completion(START, END, known_month.a.id) == {"stops": 4, "read": 2,
                                                                        "rate": Decimal("50.0")}
    trend = queries.reading_trend([(2025, 9), (2025, 10)], known_month.a.id)
    assert trend["2025-10"]["read"] == 2 and trend["2025-09"]["read"] == 1


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


def test_followup_satisfaction(known_month):
    assert queries.satisfaction(START, END, known_month.a.id) == {
        "count": 3, "mean": Decimal("3.67"), "satisfied": 2, "satisfied_rate": Decimal("66.7")}


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
    assert f["readings"] == {"stops": 4, "read": 0, "rate": Decimal("0.0")}
    assert f["arrears"]["rate"] is None and f["arrears"]["billed"] == Decimal("0.00")
    assert f["hazards"] == {"found": 0, "rectified": 0, "overdue": 0, "rate": None}
    assert f["metering"]["tests"] == 0 and f["metering"]["failure_rate"] is None
    assert f["satisfaction"] == {"count": 0, "mean": None, "satisfied": 0, "satisfied_rate": None}


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
