"""Complaints in the numbers (issue #19, item 2), worked by hand on October 2026 (Asia/Shanghai).

District A (the station chief's):
  K1 billing, hotline   received 6 Oct; contacted in 2 h (due 24 h); resolved 10 Oct (due 13 Oct); closed 11 Oct → on time
  K2 billing, web       received 8 Oct; contacted 10 Oct (24 h missed); resolved in time; closed 20 Oct       → late
  K3 meter_accuracy, hotline  received 9 Oct; contacted in time; resolved 20 Oct (due 16 Oct); closed 2 Nov  → late
  K4 meter_accuracy, counter  received 20 Oct; contacted in time; judged not valid (no resolution clock);
                              closed_invalid 22 Oct                                                     → on time
  K5 safety, hotline    received 30 Oct; contacted in time; resolution due in the future, not resolved   → running
  K6 attitude, hotline  received 25 Sep, closed 3 Oct: closed in October, not received in it
District C:
  K7 pressure, field    received 10 Oct; contacted and resolved in time, not closed yet               → on time
Company: received 6, closed 4 (K1, K2, K4, K6), on time 3, late 2, running 1 → 60.0 %.
District A: received 5, closed 4, on time 2, late 2, running 1 → 50.0 %.
"""
import io
import subprocess
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from fieldsvc.complaints.models import Complaint
from fieldsvc.customers.models import District
from fieldsvc.models import utcnow

TZ = ZoneInfo("Asia/Shanghai")
PERIOD = {"from": "2026-10-01", "to": "2026-10-31"}


def at(day: int, hour: int = 10, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


def end_of(day: int, month: int = 10) -> datetime:
    return datetime.combine(date(2026, month, day), time(23, 59, 59), TZ)


def complaint(db, n: int, district, category, channel, received, contacted, resolve_due, resolved=None,
              closed=None, valid=True, status="closed"):
    return db.session.add(Complaint(
        tracking_no=f"TS-20261001-K{n:05d}", channel=channel, category=category, description=f"K{n} description",
        contact_name="x", contact_phone="1", district_id=district.id, status=status, received_at=received,
        first_contact_due=received + timedelta(hours=2 if category == "safety" else 24), first_contacted_at=contacted,
        resolve_due=resolve_due, resolved_at=resolved, closed_at=closed, valid=valid,
        invalid_reason=None if valid else "meter tested within its MPE", reopen_count=0))


@pytest.fixture
def complaint_month(db, staff):
    a = db.session.get(District, staff["station_chief"].district_id)
    c = db.session.query(District).filter(District.id != a.id).order_by(District.code).first()
    complaint(db, 1, a, "billing", "hotline", at(6), at(6, 12), end_of(13), at(10), at(11))
    complaint(db, 2, a, "billing", "web", at(8), at(10), end_of(15), at(14), at(20))
    complaint(db, 3, a, "meter_accuracy", "hotline", at(9), at(9, 15), end_of(16), at(20), at(2, 10, 11))
    complaint(db, 4, a, "meter_accuracy", "counter", at(20), at(20, 16), end_of(27), closed=at(22), valid=False,
              status="closed_invalid")
    complaint(db, 5, a, "safety", "hotline", at(30), at(30, 11), utcnow() + timedelta(days=10), status="investigating")
    complaint(db, 6, a, "attitude", "hotline", at(25, 10, 9), at(25, 12, 9), end_of(2), at(1), at(3))
    complaint(db, 7, c, "pressure", "field", at(10), at(10, 11), end_of(17), at(12), status="resolved")
    db.session.commit()
    return a, c


def test_kpi_api_complaints(complaint_month, api):
    client, headers = api("director")
    c = client.get("/api/v1/reports/kpis", query_string=PERIOD, headers=headers).json["complaints"]
    assert (c["received"], c["closed"], c["on_time"], c["late"], c["running"]) == (6, 4, 3, 2, 1)
    assert c["on_time_rate"] == 60.0
    by = c["by_category"]
    assert {k: (v["received"], v["closed"], v["on_time_rate"]) for k, v in by.items() if v["received"] or v["closed"]} \
        == {"billing": (2, 2, 50.0), "meter_accuracy": (2, 1, 50.0), "safety": (1, 0, None),
            "attitude": (0, 1, None), "pressure": (1, 0, 100.0)}
    assert set(by) >= {"suggestion", "other"}  # every category listed
    channels = {k: (v["received"], v["closed"], v["on_time_rate"]) for k, v in c["by_channel"].items()}
    assert channels == {"hotline": (3, 2, 50.0), "web": (1, 1, 0.0), "counter": (1, 1, 100.0), "field": (1, 0, 100.0)}


def test_kpi_api_complaints_of_a_station_chief(complaint_month, api):
    client, headers = api("station_chief")
    c = client.get("/api/v1/reports/kpis", query_string=PERIOD, headers=headers).json["complaints"]
    assert (c["received"], c["closed"], c["on_time"], c["late"], c["running"], c["on_time_rate"]) == (5, 4, 2, 2, 1, 50.0)
    assert c["by_category"]["pressure"]["received"] == 0


def test_monthly_xlsx_has_the_complaints_section(complaint_month, login):
    body = login("statistician").get("/reports/monthly/2026-10.xlsx").data
    sheet = load_workbook(io.BytesIO(body)).active
    rows = {r[0]: (r[1], r[3]) for r in sheet.iter_rows(min_row=4, values_only=True) if r and r[0]}
    assert rows["complaints.received"] == ("投诉", 6)
    assert rows["complaints.closed"][1] == 4 and rows["complaints.late"][1] == 2
    assert rows["complaints.on_time_rate"][1] == 60.0
    assert rows["complaints.by_category.billing.on_time_rate"][1] == 50.0
    assert rows["complaints.by_channel.web.on_time_rate"][1] == 0.0
    assert "complaints.by_category.suggestion.received" not in rows  # nothing in the month: no line


def test_monthly_pdf_has_the_complaints_section(complaint_month, login):
    body = login("director").get("/reports/monthly/2026-10.pdf").data
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True).stdout
    lines = [" ".join(line.split()) for line in text.decode().splitlines()]
    assert "投诉" in lines
    for label, value in (("受理投诉", "6"), ("办结投诉", "4"), ("时限内处理", "3"), ("超时处理", "2"),
                         ("时限达标率", "60.0 %")):
        assert f"{label} {value}" in lines, label
    # web is the only channel with a 0.0 % rate (its one complaint was late)
    assert [line for line in lines if line.startswith("渠道 · ") and line.endswith("时限达标率 0.0 %")] != []


def test_dashboard_shows_the_complaint_numbers(complaint_month, login):
    page = login("director").get("/reports/", query_string=PERIOD, headers={"Accept-Language": "en"}).get_data(as_text=True)
    section = page[page.index('id="r-complaints"'):]
    section = section[:section.index("</section>")]
    assert '<strong>6</strong>' in section and '<strong>60.0%</strong>' in section
    assert "3 on time · 2 late · 1 running" in section
