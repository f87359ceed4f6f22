"""The KPI API (who may, which district), the dashboard and monthly pages, the XLSX and PDF, and the
dashboard's fixed number of SQL queries."""
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from fieldsvc.extensions import db as _db
from fieldsvc.reports import exports, queries
from tests.reports.conftest import END, START, local

KPIS = "/api/v1/reports/kpis?from=2025-10-01&to=2025-10-31"


@pytest.mark.parametrize("username", ["repair_tech", "meter_reader", "card_clerk", "safety_officer",
                                      "metering_head"])
def test_api_refuses_other_roles(known_month, api, username):
    client, headers = api(username)
    assert client.get(KPIS, headers=headers).status_code == 403


def test_api_needs_login(known_month, client):
    assert client.get(KPIS).status_code == 401


@pytest.mark.parametrize("username", ["director", "statistician"])
def test_api_company_and_district_figures(known_month, api, username):
    client, headers = api(username)
    body = client.get(KPIS, headers=headers).json
    assert body["from"] == "2025-10-01" and body["to"] == "2025-10-31" and body["district_id"] is None
    assert body["orders"]["total"] == 8
    body = client.get(f"{KPIS}&district={known_month.a.id}", headers=headers).json
    assert body["district_id"] == known_month.a.id
    assert body["orders"]["total"] == 7 and body["orders"]["by_type"]["emergency"] == 3
    assert body["compliance"]["rate"] == 40.0 and body["emergency"]["p90_min"] == 90.0
    assert body["readings"]["rate"] == 60.0 and body["arrears"]["paid"] == 120.0
    assert body["inspections"]["entry_rate"] == 66.7 and body["hazards"]["overdue"] == 1
    assert body["satisfaction"]["mean"] == 3.67 and body["hse"]["open_nonconformities"] == 2


def test_api_station_chief_sees_own_district_only(known_month, api):
    client, headers = api("station_chief")
    body = client.get(KPIS, headers=headers).json
    assert body["district_id"] == known_month.a.id and body["orders"]["total"] == 7
    assert client.get(f"{KPIS}&district={known_month.a.id}", headers=headers).status_code == 200
    assert client.get(f"{KPIS}&district={known_month.b.id}", headers=headers).status_code == 403


def test_api_period_defaults_and_validation(known_month, api):
    client, headers = api("director")
    assert client.get("/api/v1/reports/kpis", headers=headers).status_code == 200
    assert client.get("/api/v1/reports/kpis?from=2025-10-31&to=2025-10-01", headers=headers).status_code == 422
    assert client.get("/api/v1/reports/kpis?from=2024-01-01&to=2025-10-01", headers=headers).status_code == 422
    assert client.get("/api/v1/reports/kpis?from=nonsense", headers=headers).status_code == 422


def test_dashboard_pages(known_month, login):
    page = login("director").get("/reports/?from=2025-10-01&to=2025-10-31", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="r-orders"' in html and "<svg" in html and "<script" not in html.split("</head>")[1]
    assert "Districts compared" in html and "/dispatch/?status=all" in html
    words = _words(html)  # the company's October, as the API gives it
    for figure in ("Work orders 8 Orders created", "Response time met 3 of 6", "90.0 Emergency arrival, 90th "
                   "percentile (min) 3 arrivals", "Reading completion 3 of 5 stops", "Recovery rate 120.00 of 150.00 yuan"):
        assert figure in words, figure
    chief = login("station_chief").get("/reports/?from=2025-10-01&to=2025-10-31", headers={"Accept-Language": "en"})
    assert chief.status_code == 200
    text = chief.get_data(as_text=True)
    assert "Today" in text and "Districts compared" not in text and known_month.a.name in text
    assert login("station_chief").get(f"/reports/?district_id={known_month.b.id}").status_code == 403
    assert login("repair_tech").get("/reports/").status_code == 403
    monthly = login("statistician").get("/reports/monthly?month=2025-10", headers={"Accept-Language": "en"})
    assert monthly.status_code == 200
    words = _words(monthly.get_data(as_text=True))
    for figure in ("2025-10 · All districts Work orders created 8 Emergency repair 3", "Stops planned 5 Stops read 3 "
                   "Reading completion 60.0 %", "Billed (yuan) 150.00 Paid (yuan) 120.00 Recovery rate 80.0 %"):
        assert figure in words, figure


def _words(html: str) -> str:
    """The page's text: tags dropped, runs of space (and no-break space) made one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.replace("&nbsp;", " ")))


def test_monthly_xlsx_holds_the_dashboard_numbers(known_month, login):
    response = login("director").get(f"/reports/monthly/2025-10.xlsx?district_id={known_month.a.id}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = {row[0]: row[3] for row in sheet.iter_rows(min_row=4, values_only=True)}
    figures = queries.all_figures(START, END, known_month.a.id)
    expected = {line.key: line.value for line in exports.lines(figures)}
    assert values.keys() == expected.keys()
    for key, value in expected.items():
        assert values[key] == (None if value is None else pytest.approx(float(value))), key
    assert values["orders.total"] == 7 and values["readings.rate"] == 60.0
    assert values["arrears.billed"] == 150.0 and values["compliance.type.emergency"] == pytest.approx(33.3)
    assert Decimal(str(values["satisfaction.mean"])) == Decimal("3.67")


def test_monthly_pdf(known_month, login):
    response = login("statistician").get("/reports/monthly/2025-10.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    from pypdf import PdfReader
    lines = {re.sub(r"\s+", " ", line).strip()
             for page in PdfReader(io.BytesIO(response.data)).pages for line in page.extract_text().splitlines()}
    # the company's October, as the API gives it (test_api_company_and_district_figures)
    for line in ("工单总数 8", "工单 · 抢修 3", "抢修到场次数 3", "到场时间90分位（分钟） 90.0", "抄表率 60.0 %",
                 "应收金额（元） 150.00", "实收金额（元） 120.00", "回收率 80.0 %"):
        assert line in lines, line
    assert login("statistician").get("/reports/monthly/2025-13.pdf").status_code == 422


def _count_queries(client, url) -> int:
    count = 0

    def before(*args, **kwargs):
        nonlocal count
        count += 1
    engine = _db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return count


@pytest.mark.parametrize("username", ["director", "station_chief"])
def test_dashboard_uses_a_fixed_number_of_queries(known_month, login, db, username):
    url = "/reports/?from=2025-10-01&to=2025-10-31"
    client = login(username)
    client.get(url)  # warm caches (labels, districts)
    db.session.commit()  # both counts start from the same state of the shared session (user expired)
    before = _count_queries(client, url)
    for i in range(40):  # many more records of every kind the dashboard counts
        known_month.order(known_month.a, "emergency", "completed", local(START) + timedelta(hours=i), 30,
                          on_site_min=10 + i, completed_min=60)
        known_month.order(known_month.c, "repair", "new", local(START) + timedelta(hours=i), 240)
    db.session.commit()
    after = _count_queries(client, url)
    assert after == before
    assert before < 30


def test_api_and_dashboard_show_both_kinds_of_follow_up(followup_visits, api, login):
    client, headers = api("director")
    body = client.get(f"{KPIS}&district={followup_visits.a.id}", headers=headers).json
    assert body["satisfaction"]["count"] == 5 and body["satisfaction"]["mean"] == 3.8
    assert body["satisfaction"]["complaints"] == {"count": 3, "mean": 3.67, "satisfied": 2, "satisfied_rate": 66.7}
    assert body["satisfaction"]["visits"] == {"count": 2, "mean": 4.0, "satisfied": 1, "satisfied_rate": 50.0}
    empty = client.get(f"{KPIS}&district={followup_visits.b.id}", headers=headers).json["satisfaction"]
    assert empty["visits"] == {"count": 0, "mean": None, "satisfied": 0, "satisfied_rate": None}
    html = login("director").get(f"/reports/?from=2025-10-01&to=2025-10-31&district_id={followup_visits.a.id}",
                                 headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'id="r-satisfaction-visits"' in html and 'id="r-satisfaction-complaints"' in html
    assert "After repairs, mean" in html and 'id="r-readings-note"' in html


def test_dashboard_trend_month_is_the_period_figure(known_month, login):
    """The period's month in the trend chart is the period's own figure (60 %, as in the KPI)."""
    html = login("director").get(f"/reports/?from=2025-10-01&to=2025-10-31&district_id={known_month.a.id}",
                                 headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<title>2025-10: 60</title>" in html and "<title>2025-09: 50</title>" in html


@pytest.mark.parametrize(("username", "chooses"), [("director", True), ("statistician", True),
                                                   ("station_chief", False)])
def test_the_district_picker_follows_what_the_service_allows(known_month, login, username, chooses):
    """The pages offer another district only when reports.services says the actor may see any district."""
    client = login(username)
    for url in ("/reports/?from=2025-10-01&to=2025-10-31", "/reports/monthly?month=2025-10"):
        html = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert ('id="r-district"' in html) is chooses, url
    monthly = client.get(f"/reports/monthly?month=2025-10&district_id={known_month.a.id}" if chooses
                         else "/reports/monthly?month=2025-10").get_data(as_text=True)
    assert (f"district_id={known_month.a.id}" in monthly) is chooses  # the download links keep the choice
