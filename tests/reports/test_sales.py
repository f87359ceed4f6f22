"""Gas sold (issue #19, item 1), worked by hand on a known month: October 2026, Asia/Shanghai.

Bills issued in October (the tier split made by the domain's own pure function, readings.rules.split_tiers,
on the seed tariff 0–350 2.61 · 350–500 3.13 · above 3.92; commercial flat 3.45):
  district A  R1 residential 400 m³, nothing before in the year → tier 1 350 (913.50) + tier 2 50 (156.50) = 1070.00
              R2 residential 100 m³, 480 m³ billed before (the September bill below) → tier 2 20 (62.60) +
                 tier 3 80 (313.60) = 376.20
              K1 commercial  200 m³ at 3.45 = 690.00
  district C  R3 residential  10 m³ → tier 1 10 (26.10)
Not October: R2's 480 m³ bill issued 30 September (tier 1 350 = 913.50, tier 2 130 = 406.90), a 50 m³ bill issued
1 November; a year earlier, a 100 m³ bill issued 15 October 2025 and a 70 m³ one issued 5 November 2025.
Company October: residential 510 m³ 1472.30 · commercial 200 m³ 690.00 · industrial 0 · total 710 m³ 2162.30;
tiers 1: 360, 2: 70, 3: 80 (= the residential 510).
IC card (district A, R1): 30 m³ (78.30) confirmed 5 Oct; 20 m³ (52.20) confirmed 6 Oct and reversed; 10 m³
confirmed 1 Nov 00:10 (still 31 Oct in UTC: November in Shanghai); a meter change's 15 m³ carried (no sale);
5 m³ still pending. → card 30 m³ 78.30 in 1 sale, 1 reversal of 20 m³.
Year to date (to 31 Oct 2026): 480 + 710 + 30 = 1220 m³, against 100 m³ to 31 Oct 2025: +1120.0 %.
District A: residential 500 m³ 1446.20, total 700 m³, card 30.
"""
import io
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from fieldsvc.cardsales.models import CardAccount, CardSale, CardSaleLine, Outlet
from fieldsvc.customers.models import Customer, District, Meter
from fieldsvc.readings import rules as tariff_rules
from fieldsvc.readings.models import Bill, BillLine, Reading, Tariff, TariffTier

TZ = ZoneInfo("Asia/Shanghai")
MONTH = "2026-10"
PERIOD = {"from": "2026-10-01", "to": "2026-10-31"}


def local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


class SalesBuilder:
    def __init__(self, db, staff):
        self.db, self.staff, self.n = db, staff, 0
        chief = staff["station_chief"]
        self.a = db.session.get(District, chief.district_id)
        self.c = db.session.query(District).filter(District.id != self.a.id).order_by(District.code).first()
        self.tariffs = {}
        for category, tiers in (("residential", tariff_rules.RESIDENTIAL_TIERS),
                                ("commercial", (tariff_rules.Tier(None, Decimal("3.45")),))):
            self.tariffs[category] = self.add(Tariff(category=category, name=category, valid_from=date(2000, 1, 1),
                                                     tiers=[TariffTier(seq=i, upper_m3=t.upper, price=t.price)
                                                            for i, t in enumerate(tiers, 1)]))

    def add(self, obj):
        self.db.session.add(obj)
        self.db.session.flush()
        return obj

    def customer(self, district, category="residential"):
        self.n += 1
        customer = self.add(Customer(account_no=f"S{self.n:07d}", name=f"C{self.n}", category=category, gas="NG",
                                     district_id=district.id, address=f"Road {self.n}"))
        meter = self.add(Meter(serial_no=f"SM{self.n:06d}", customer_id=customer.id, size="G2.5",
                               accuracy_class="1.5", kind="ic_card", location="indoor", status="installed"))
        return customer, meter

    def bill(self, who, volume: int, issued_on: date, used_before: int = 0) -> Bill:
        customer, meter = who
        tariff = self.tariffs[customer.category]
        tiers = [tariff_rules.Tier(t.upper_m3, t.price) for t in tariff.tiers]
        lines = tariff_rules.split_tiers(Decimal(volume), Decimal(used_before), tiers, date(issued_on.year, 1, 1))
        reading = self.add(Reading(meter_id=meter.id, customer_id=customer.id, cycle=issued_on.strftime("%Y-%m"),
                                   read_at=local(issued_on), read_on=issued_on, value=Decimal(volume), kind="actual",
                                   consumption_m3=Decimal(volume), status="accepted"))
        return self.add(Bill(
            customer_id=customer.id, meter_id=meter.id, reading_id=reading.id, tariff_id=tariff.id,
            category=customer.category, cycle=issued_on.strftime("%Y-%m"), period_start=issued_on - timedelta(days=30),
            period_end=issued_on, volume_m3=Decimal(volume), amount=tariff_rules.total(lines), issued_on=issued_on,
            due_on=issued_on + timedelta(days=20), paid_amount=Decimal(0),
            lines=[BillLine(seq=i, cycle_start=x.cycle_start, tier=x.tier, volume_m3=x.volume_m3, price=x.price,
                            amount=x.amount, customer_id=customer.id) for i, x in enumerate(lines, 1)]))

    def card_sale(self, who, volume: int, confirmed_at: datetime | None, status="confirmed", kind="purchase"):
        customer, meter = who
        if not hasattr(self, "outlet"):
            self.outlet = self.add(Outlet(code="O1", name="Outlet 1", district_id=self.a.id))
            self.account = self.add(CardAccount(card_no="IC0001", customer_id=customer.id, meter_id=meter.id,
                                                status="active", issued_on=date(2026, 1, 1)))
            self.seq = 0
        self.seq += 1
        lines = tariff_rules.split_tiers(Decimal(volume), Decimal(0), tariff_rules.RESIDENTIAL_TIERS, date(2026, 1, 1))
        amount = tariff_rules.total(lines) if kind == "purchase" else Decimal("0.00")
        day = (confirmed_at or local(date(2026, 10, 7))).astimezone(TZ).date()
        return self.add(CardSale(
            kind=kind, account_id=self.account.id, card_no="IC0001", customer_id=customer.id,
            account_no=customer.account_no, meter_id=meter.id, purchase_seq=self.seq, volume_m3=Decimal(volume),
            amount_due=amount, amount_paid=amount, payment_method="cash" if kind == "purchase" else "none",
            outlet_id=self.outlet.id, clerk_id=self.staff["card_clerk"].id, business_date=day, status=status,
            confirmed_at=confirmed_at, reversed_at=confirmed_at + timedelta(hours=1) if status == "reversed" else None,
            lines=[CardSaleLine(seq=i, tier=x.tier, volume_m3=x.volume_m3, price=x.price,
                                amount=x.amount if kind == "purchase" else Decimal(0), cycle_start=x.cycle_start,
                                customer_id=customer.id) for i, x in enumerate(lines, 1)]))


@pytest.fixture
def sales_month(db, staff):
    b = SalesBuilder(db, staff)
    r1, r2, k1 = b.customer(b.a), b.customer(b.a), b.customer(b.a, "commercial")
    r3, old = b.customer(b.c), b.customer(b.c)
    b.bill(r2, 480, date(2026, 9, 30))
    b.bill(r1, 400, date(2026, 10, 1))
    b.bill(r2, 100, date(2026, 10, 31), used_before=480)
    b.bill(k1, 200, date(2026, 10, 15))
    b.bill(r3, 10, date(2026, 10, 20))
    b.bill(r1, 50, date(2026, 11, 1), used_before=400)
    b.bill(old, 100, date(2025, 10, 15))
    b.bill(old, 70, date(2025, 11, 5), used_before=100)
    b.card_sale(r1, 30, local(date(2026, 10, 5)))
    b.card_sale(r1, 20, local(date(2026, 10, 6)), status="reversed")
    b.card_sale(r1, 10, local(date(2026, 11, 1), 0, 10))
    b.card_sale(r1, 15, local(date(2026, 10, 8)), kind="transfer")
    b.card_sale(r1, 5, None, status="pending")
    db.session.commit()
    return b


def d(value) -> Decimal:
    return Decimal(str(value))


COMPANY = {
    "billed_m3": {"residential": "510", "commercial": "200", "industrial": "0", "total": "710"},
    "billed_amount": {"residential": "1472.30", "commercial": "690.00", "industrial": "0", "total": "2162.30"},
    "tiers_m3": {"1": "360", "2": "70", "3": "80"},
    "card_m3": "30", "card_amount": "78.30",
}
DISTRICT_A = {
    "billed_m3": {"residential": "500", "commercial": "200", "industrial": "0", "total": "700"},
    "billed_amount": {"residential": "1446.20", "commercial": "690.00", "industrial": "0", "total": "2136.20"},
    "tiers_m3": {"1": "350", "2": "70", "3": "80"},
    "card_m3": "30", "card_amount": "78.30",
}


def check_api_sales(sales: dict, expected: dict) -> None:
    for key in ("billed_m3", "billed_amount", "tiers_m3"):
        assert set(sales[key]) == set(expected[key]), key
        for name, value in expected[key].items():
            assert d(sales[key][name]) == d(value), (key, name, sales[key][name])
    assert d(sales["card_m3"]) == d(expected["card_m3"])
    assert d(sales["card_amount"]) == d(expected["card_amount"])


def test_kpi_api_sales_of_the_worked_month(sales_month, api):
    client, headers = api("director")
    sales = client.get("/api/v1/reports/kpis", query_string=PERIOD, headers=headers).json["sales"]
    check_api_sales(sales, COMPANY)
    assert sales["card_sales"] == 1
    assert sales["card_reversed"] == {"count": 1, "m3": 20, "amount": 52.2}
    assert d(sales["tiers_amount"]["1"]) == d("939.60") and d(sales["tiers_amount"]["3"]) == d("313.60")
    assert sales["bills"] == {"residential": 3, "commercial": 1, "industrial": 0, "total": 4}
    assert d(sales["total_m3"]) == 740
    ytd = sales["ytd"]
    assert (ytd["to"], ytd["last_year_to"]) == ("2026-10-31", "2025-10-31")
    assert (d(ytd["m3"]), d(ytd["last_year_m3"]), d(ytd["change_pct"])) == (1220, 100, d("1120.0"))


def test_kpi_api_sales_of_a_station_chief_are_their_district(sales_month, api):
    client, headers = api("station_chief")
    sales = client.get("/api/v1/reports/kpis", query_string=PERIOD, headers=headers).json["sales"]
    check_api_sales(sales, DISTRICT_A)
    other = client.get("/api/v1/reports/kpis", headers=headers,
                       query_string={**PERIOD, "district": sales_month.c.id})
    assert other.status_code == 403


def test_year_to_date_of_a_period_ending_mid_month(sales_month, api):
    """To 15 October: R2's September 480, R1's 400 (1 Oct) and the 30 m³ card sale (5 Oct); K1's bill of
    15 October counts (the day is included), R2's and R3's later ones do not. A year earlier: 100 (15 Oct 2025)."""
    client, headers = api("director")
    sales = client.get("/api/v1/reports/kpis", query_string={"from": "2026-10-01", "to": "2026-10-15"},
                       headers=headers).json["sales"]
    assert d(sales["billed_m3"]["total"]) == 600
    ytd = sales["ytd"]
    assert (d(ytd["m3"]), d(ytd["last_year_m3"]), ytd["last_year_to"]) == (1110, 100, "2025-10-15")


def _xlsx_values(body: bytes) -> dict:
    sheet = load_workbook(io.BytesIO(body)).active
    return {row[0]: row[3] for row in sheet.iter_rows(min_row=4, values_only=True) if row and row[0]}


def test_monthly_xlsx_carries_the_sales(sales_month, login):
    response = login("statistician").get(f"/reports/monthly/{MONTH}.xlsx")
    assert response.status_code == 200
    values = _xlsx_values(response.data)
    for key in ("billed_m3", "billed_amount", "tiers_m3"):
        for name, value in COMPANY[key].items():
            assert d(values[f"sales.{key}.{name}"]) == d(value), (key, name)
    assert d(values["sales.card_m3"]) == 30 and d(values["sales.card_amount"]) == d("78.30")
    assert values["sales.card_reversed.count"] == 1 and d(values["sales.card_reversed.m3"]) == 20
    assert d(values["sales.ytd.m3"]) == 1220 and d(values["sales.ytd.last_year_m3"]) == 100
    assert d(values["sales.ytd.change_pct"]) == d("1120.0")
    district_a = sales_month.a.id
    assert d(values[f"sales.district.{district_a}.m3"]) == 730  # 700 billed + 30 card


def pdf_text(body: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True)
    return [" ".join(line.split()) for line in out.stdout.decode().splitlines() if line.strip()]


def line_with(lines: list[str], label: str) -> str:
    found = [line for line in lines if line.startswith(label)]
    assert len(found) == 1, (label, found)
    return found[0]


def test_monthly_pdf_carries_the_sales(sales_month, login):
    response = login("director").get(f"/reports/monthly/{MONTH}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    lines = pdf_text(response.data)
    expected = {
        "抄表售气量 · 民用户（m³）": "510", "抄表售气量 · 商业用户（m³）": "200", "抄表售气量 · 工业福利用户（m³）": "0",
        "抄表售气量 · 合计（m³）": "710", "抄表售气金额 · 民用户（元）": "1472.30",
        "抄表售气金额 · 商业用户（元）": "690.00", "抄表售气金额 · 合计（元）": "2162.30",
        "居民第一阶梯气量（m³）": "360", "居民第二阶梯气量（m³）": "70", "居民第三阶梯气量（m³）": "80",
        "IC卡售气量（m³）": "30", "IC卡售气金额（元）": "78.30", "冲正笔数": "1",
        "本年累计售气量（m³，截至2026-10-31）": "1220", "上年同期累计（m³，截至2025-10-31）": "100",
        "同比增减": "1120.0 %",
    }
    for label, value in expected.items():
        assert line_with(lines, label).removeprefix(label).strip() == value, label


def test_statisticians_export_reconciles_with_the_kpis(sales_month, login):
    response = login("statistician").get("/reports/sales.xlsx", query_string=PERIOD)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    summary = {r[0]: r[2] for r in rows if r and isinstance(r[0], str) and r[0].startswith("sales.")}
    assert d(summary["sales.billed_m3.total"]) == 710 and d(summary["sales.card_m3"]) == 30
    start = next(i for i, r in enumerate(rows) if r and r[6] == "m³") + 1
    detail = [r for r in rows[start:] if r and r[0]]
    by_source: dict = {}
    for month, _district, _source, _category, _tier, _n, vol, amount, source, _code in detail:
        assert month == MONTH
        total = by_source.setdefault(source, [Decimal(0), Decimal(0)])
        total[0] += d(vol)
        total[1] += d(amount)
    assert by_source["bills"] == [Decimal(710), d("2162.30")]
    assert by_source["card"] == [Decimal(30), d("78.30")]
    assert by_source["card_reversed"] == [Decimal(20), d("52.20")]
    tier3 = [r for r in detail if r[8] == "bills" and r[4] == 3]
    assert [(r[9], d(r[6]), d(r[7])) for r in tier3] == [("residential", 80, d("313.60"))]
    commercial = [r for r in detail if r[9] == "commercial"]
    assert [(r[4], d(r[6]), d(r[7])) for r in commercial] == [(1, 200, d("690.00"))]


def test_dashboard_draws_the_sales(sales_month, login):
    page = login("director").get("/reports/", query_string=PERIOD,
                                 headers={"Accept-Language": "en"}).get_data(as_text=True)
    section = page[page.index('id="r-sales"'):page.index('id="r-complaints"')]
    assert "740 m³" in section                       # billed 710 + card 30
    assert section.count("<svg") == 3               # by category, tiers, year to date
    assert 'aria-label="Gas sold by category (m³)"' in section
    assert "<title>Residential: 510 m³</title>" in section and "<title>IC card: 30 m³</title>" in section
    assert "<title>Tier 3: 80 m³</title>" in section
    assert 'aria-label="Gas sold, last 12 months"' not in section
    assert "<title>2026-10: 740 m³</title>" in page   # the 12-month chart
    assert "<script" not in section


def test_sales_export_refuses_hostile_dates(sales_month, login):
    client = login("statistician")
    for bad in ("2026-13-01", "9999-01-01", "x' OR 1=1"):
        response = client.get("/reports/sales.xlsx", query_string={"from": bad})
        assert response.status_code == 422, bad
    assert login("repair_tech").get("/reports/sales.xlsx").status_code == 403
