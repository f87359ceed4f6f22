"""The complaint ledger (投诉台账): GET /complaints/ledger.xlsx?from=&to= — who may have it, which complaints
it holds, every column of a complaint, the clocks judged, and hostile dates refused with a message."""
import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from fieldsvc.complaints import rules
from fieldsvc.complaints.models import Complaint, ComplaintSolution
from fieldsvc.complaints.services import ledger
from fieldsvc.customers.models import District
from fieldsvc.models import utcnow

TZ = ZoneInfo("Asia/Shanghai")
OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}


def at(day: int, hour: int = 10, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


@pytest.fixture
def complaints(db, staff):
    """A (the chief's district): one complaint through to its follow-up call, one late; C: one on time;
    one received in September and one with no district (neither is in the chief's October ledger)."""
    a = db.session.get(District, staff["station_chief"].district_id)
    c = db.session.query(District).filter(District.id != a.id).order_by(District.code).first()
    director, chief = staff["director"], staff["station_chief"]

    def add(n, district, received, contacted, resolved, **extra):
        row = Complaint(tracking_no=f"TS-20261001-L{n:05d}", channel="hotline", category="billing",
                        description=extra.pop("description", f"L{n}"), contact_name="王先生", contact_phone="13800000000",
                        district_id=district.id if district else None, status=extra.pop("status", "resolved"),
                        received_at=received, first_contact_due=received + timedelta(hours=24),
                        first_contacted_at=contacted, resolve_due=received + timedelta(days=7), resolved_at=resolved,
                        owner_id=chief.id, received_by_id=chief.id, valid=True, reopen_count=0, **extra)
        db.session.add(row)
        db.session.flush()
        return row
    full = add(1, a, at(6), at(6, 12), at(9), status="closed", closed_at=at(10), cause="billing_error",
               cause_detail="Reading keyed as 1350 instead of 1035", approved_by_id=director.id, approved_at=at(8),
               actions_taken="Bill reissued", compensation=Decimal("20.00"), satisfaction=5,
               followed_up_at=at(12), followup_comments="Quick and polite", description="=HYPERLINK(\"x\")")
    db.session.add(ComplaintSolution(complaint_id=full.id, description="Withdrawn idea", withdrawn=True))
    db.session.add(ComplaintSolution(complaint_id=full.id, description="Reissue the October bill", approved=True,
                                     compensation=Decimal("20.00")))
    add(2, a, at(8), at(10), None, status="investigating")                 # both clocks missed / overdue
    add(3, c, at(11), at(11, 11), at(12))
    add(4, a, at(20, 10, 9), at(20, 11, 9), at(21, 10, 9))                 # September
    add(5, None, at(15), at(15, 11), at(16))                               # no district
    db.session.commit()
    return a, c


def rows_of(body: bytes) -> tuple[list, list[list]]:
    sheet = load_workbook(io.BytesIO(body)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return rows[1], [r for r in rows[2:] if any(v is not None for v in r)]


def test_director_gets_every_complaint_of_the_period_with_its_columns(complaints, login):
    response = login("director").get("/complaints/ledger.xlsx", query_string=OCTOBER,
                                     headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "complaint-ledger-2026-10-01-2026-10-31.xlsx" in response.headers["Content-Disposition"]
    header, rows = rows_of(response.data)
    assert [r[0] for r in rows] == ["TS-20261001-L00001", "TS-20261001-L00002", "TS-20261001-L00003",
                                    "TS-20261001-L00005"]
    full = dict(zip(header, rows[0], strict=True))
    assert full["Received"] == datetime(2026, 10, 6, 10, 0)          # business time
    assert full["Description"] == '=HYPERLINK("x")'                 # text, never a formula
    assert (full["Owner"], full["Received by"]) == ("郑志强", "郑志强")
    assert (full["Category"], full["Channel"]) == ("Billing", "Hotline")  # words, not codes
    assert full["First-contact clock"] == "Within target" and full["Resolution clock"] == "Within target"
    assert full["Finding"] == "Billing error" and full["Finding, detail"] == "Reading keyed as 1350 instead of 1035"
    assert full["Solution"] == "Reissue the October bill"            # the approved one, not the withdrawn one
    assert (full["Approved by"], full["Approved"]) == ("周建国", datetime(2026, 10, 8, 10, 0))
    assert (full["Follow-up score (1–5)"], full["Follow-up comments"]) == (5, "Quick and polite")
    assert full["Compensation (yuan)"] == 20
    assert full["Closed"] == datetime(2026, 10, 10, 10, 0)
    late = dict(zip(header, rows[1], strict=True))
    assert (late["First-contact clock"], late["Resolution clock"]) == ("Target missed", "Overdue")


def test_station_chief_gets_their_district_only(complaints, login):
    response = login("station_chief").get("/complaints/ledger.xlsx", query_string=OCTOBER)
    assert response.status_code == 200
    _header, rows = rows_of(response.data)
    assert [r[0] for r in rows] == ["TS-20261001-L00001", "TS-20261001-L00002"]


def test_statistician_gets_the_ledger_and_others_are_refused(complaints, login):
    assert login("statistician").get("/complaints/ledger.xlsx", query_string=OCTOBER).status_code == 200
    for username in ("repair_tech", "card_clerk", "safety_officer", "metering_head"):
        assert login(username).get("/complaints/ledger.xlsx", query_string=OCTOBER).status_code == 403, username


def test_scope_denies_by_default(staff, app):
    """complaints_view_all alone is not enough: a role the ledger does not name gets nothing, nor does a
    station chief without a district."""
    from fieldsvc.errors import NotAllowed
    assert ledger.scope(staff["director"]).district_id is None
    assert ledger.scope(staff["station_chief"]).district_id == staff["station_chief"].district_id
    chief = staff["station_chief"]
    chief.district_id = None
    with pytest.raises(NotAllowed):
        ledger.scope(chief)
    assert not ledger.may_download(chief)
    assert not ledger.may_download(staff["meter_reader"])


@pytest.mark.parametrize("query", [{"from": "2026-13-01"}, {"from": "1999-12-31"}, {"to": "2101-01-01"},
                                   {"from": "'; DROP TABLE complaints; --"}, {"from": "2026-10-31", "to": "2026-10-01"},
                                   {"from": "2025-01-01", "to": "2026-10-31"}])
def test_hostile_dates_are_a_422_with_a_message(complaints, login, query):
    response = login("director").get("/complaints/ledger.xlsx", query_string=query, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "YYYY-MM-DD" in page or "between" in page or "before its start" in page or "at most" in page


def test_no_dates_is_this_month(complaints, login, db):
    db.session.add(Complaint(tracking_no="TS-NOW-000001", channel="web", category="other", description="now",
                             contact_name="x", contact_phone="1", status="received", received_at=utcnow(),
                             first_contact_due=utcnow() + timedelta(hours=24),
                             resolve_due=utcnow() + timedelta(days=7), reopen_count=0))
    db.session.commit()
    _header, rows = rows_of(login("statistician").get("/complaints/ledger.xlsx").data)
    assert [r[0] for r in rows] == ["TS-NOW-000001"]


def test_the_list_page_links_the_ledger_for_those_roles(complaints, login):
    for username, offered in (("director", True), ("statistician", True), ("station_chief", True),
                              ("repair_tech", False), ("card_clerk", False)):
        page = login(username).get("/complaints/").get_data(as_text=True)
        assert ('id="c-ledger"' in page) is offered, username


def test_clock_verdicts():
    now = at(20)
    due = at(10)
    assert rules.clocks(due, at(9), due, at(9), True, now) == ("met", "met")
    assert rules.verdict("met", "met") == rules.ON_TIME
    assert rules.clocks(due, at(11), due, None, True, now) == ("missed", "overdue")
    assert rules.verdict("met", "missed") == rules.LATE
    assert rules.verdict("missed", "running") == rules.LATE
    assert rules.verdict("met", "running") == rules.RUNNING
    assert rules.clocks(due, at(9), due, None, False, now) == ("met", "n/a")
    assert rules.verdict("met", "n/a") == rules.ON_TIME
    assert rules.verdict("running", "n/a") == rules.RUNNING
