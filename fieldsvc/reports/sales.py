"""Gas sold (气量销售), read-only and aggregated in SQL: billed m³ and yuan, IC-card m³ and yuan.

Definitions (the dashboard, the KPI API, the 月报 and the statistician's export all use these):
- Billed: bills *issued* (Bill.issued_on) in the period, by the category stored on the bill (the
  customer's category when it was billed) and by the district of the customer. Volume and amount are the
  bills' own columns, so the report adds up to the bills table exactly.
- Tiers: each bill stores its tier split (bill_lines, written by readings.rules.bill_lines when the bill
  was issued), so the split is read, never recomputed. `tiers_m3` counts residential bills only: the
  tiered price (阶梯气价) is a residential tariff; commercial and industrial gas has one flat price.
- IC card: purchases (not a meter change's carried volume, which is no sale) *confirmed* (read back from
  the card, CardSale.confirmed_at) in the period, net of reversals: a confirmed sale reversed (冲正)
  since is left out of card_m3 / card_amount and counted in card_reversed. Money is the amount due (the
  price), not the cash handed over. District: the customer's.
Every function costs a fixed number of statements (one or two), whatever the volume of records.
"""
from datetime import date
from decimal import Decimal

from sqlalchemy import Integer, Numeric, String, and_, case, cast, func, literal, select, union_all

from fieldsvc.cardsales.models import CardSale, CardSaleLine
from fieldsvc.customers.models import Customer, District
from fieldsvc.extensions import db
from fieldsvc.readings.models import Bill, BillLine
from fieldsvc.reports.queries import _between, month_end, month_key

CATEGORIES = ("residential", "commercial", "industrial")
TIERS = ("1", "2", "3")
TIERED_CATEGORY = "residential"
PURCHASE = "purchase"
REVERSED = "reversed"
M3 = Decimal("0.001")
CENT = Decimal("0.01")


def m3(value) -> Decimal:
    """A volume to the litre, without trailing zeros (350, 12.5): bills are whole m³ and read as such."""
    return Decimal(format(Decimal(str(value or 0)).quantize(M3).normalize(), "f"))


def yuan(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def _null(type_):
    return literal(None, type_)


def _card_confirmed(start: date, end: date):
    return and_(CardSale.kind == PURCHASE, CardSale.confirmed_at.is_not(None),
                _between(CardSale.confirmed_at, start, end))


def period(start: date, end: date, district_id: int | None) -> dict:
    """The period's gas sales (definitions above). One statement: bills by district and category,
    residential bill lines by tier, card purchases by district and reversed or not, and the districts' names.
    → {"billed_m3": {residential, commercial, industrial, total}, "billed_amount": {…}, "bills": {…},
       "tiers_m3": {"1", "2", "3"}, "tiers_amount": {…}, "card_m3", "card_amount", "card_sales",
       "card_reversed": {"count", "m3", "amount"}, "total_m3", "by_district": [{"id", "name", …}]}
    """
    return period_and_sums(start, end, district_id, [])[0]


def period_and_sums(start: date, end: date, district_id: int | None,
                    ranges: list[tuple[date, date]]) -> tuple[dict, list[dict]]:
    """(`period`, `sums` of the ranges) in one statement: the dashboard's gas sold and its year to date's
    part-month, which would otherwise cost a round trip each."""
    rows = db.session.execute(union_all(*_period_selects(start, end, district_id),
                                        *_sums_selects(ranges, district_id))).all()
    names = {r[1]: r[2] for r in rows if r[0] == NAME}
    return (_shape([r for r in rows if r[0] in PERIOD_KINDS], names),
            _sums_of([r for r in rows if r[0] in SUM_KINDS], len(ranges)))


NAME = "name"
PERIOD_KINDS = ("bill", "tier", "card")
SUM_KINDS = ("sum_bill", "sum_card")


def _period_selects(start: date, end: date, district_id: int | None) -> list:
    """(kind, district_id, key, n, m3, amount) rows of `period`, and one (NAME, id, name, …) row per district."""
    bills = (select(literal("bill").label("kind"), Customer.district_id.label("district_id"),
                    Bill.category.label("key"), func.count(Bill.id).label("n"),
                    func.sum(Bill.volume_m3).label("m3"), func.sum(Bill.amount).label("amount"))
             .join(Customer, Customer.id == Bill.customer_id)
             .where(Bill.issued_on >= start, Bill.issued_on <= end)
             .group_by(Customer.district_id, Bill.category))
    tiers = (select(literal("tier"), _null(Integer), cast(BillLine.tier, String), func.count(BillLine.id),
                    func.sum(BillLine.volume_m3), func.sum(BillLine.amount))
             .join(Bill, Bill.id == BillLine.bill_id)
             .where(Bill.issued_on >= start, Bill.issued_on <= end, Bill.category == TIERED_CATEGORY)
             .group_by(BillLine.tier))
    reversed_ = case((CardSale.status == REVERSED, "reversed"), else_="net")
    cards = (select(literal("card"), Customer.district_id, reversed_, func.count(CardSale.id),
                    func.sum(CardSale.volume_m3), func.sum(CardSale.amount_due))
             .join(Customer, Customer.id == CardSale.customer_id)
             .where(_card_confirmed(start, end))
             .group_by(Customer.district_id, reversed_))
    if district_id is not None:
        bills = bills.where(Customer.district_id == district_id)
        tiers = tiers.where(BillLine.customer_id.in_(select(Customer.id).where(Customer.district_id == district_id)))
        cards = cards.where(Customer.district_id == district_id)
    names = select(literal(NAME), District.id, District.name, _null(Integer), _null(Numeric), _null(Numeric))
    return [bills, tiers, cards, names]


def _shape(rows, names: dict) -> dict:
    billed = {c: Decimal(0) for c in CATEGORIES}
    amount = {c: yuan(0) for c in CATEGORIES}
    count = {c: 0 for c in CATEGORIES}
    tiers = {t: Decimal(0) for t in TIERS}
    tiers_amount = {t: yuan(0) for t in TIERS}
    card = {"net": [0, Decimal(0), yuan(0)], "reversed": [0, Decimal(0), yuan(0)]}
    districts: dict = {}

    def district(i):
        return districts.setdefault(i, {"id": i, "name": names.get(i, "—"), "billed_m3": Decimal(0),
                                        "billed_amount": yuan(0), "card_m3": Decimal(0), "card_amount": yuan(0)})
    for kind, district_id, key, n, vol, money in rows:
        vol, money = m3(vol), yuan(money)
        if kind == "bill":
            billed[key] = billed.get(key, Decimal(0)) + vol
            amount[key] = amount.get(key, Decimal(0)) + money
            count[key] = count.get(key, 0) + n
            d = district(district_id)
            d["billed_m3"] += vol
            d["billed_amount"] += money
        elif kind == "tier":
            tiers[key] = tiers.get(key, Decimal(0)) + vol
            tiers_amount[key] = tiers_amount.get(key, Decimal(0)) + money
        else:
            card[key][0] += n
            card[key][1] += vol
            card[key][2] += money
            if key == "net":
                d = district(district_id)
                d["card_m3"] += vol
                d["card_amount"] += money
    for totals in (billed, amount, count):
        totals["total"] = sum(totals.values())
    by_district = sorted(districts.values(), key=lambda d: d["name"])
    for d in by_district:
        d["total_m3"] = d["billed_m3"] + d["card_m3"]
    n, vol, money = card["net"]
    rn, rvol, rmoney = card["reversed"]
    return {"billed_m3": billed, "billed_amount": amount, "bills": count, "tiers_m3": tiers,
            "tiers_amount": tiers_amount, "card_m3": vol, "card_amount": money, "card_sales": n,
            "card_reversed": {"count": rn, "m3": rvol, "amount": rmoney},
            "total_m3": billed["total"] + vol, "by_district": by_district}


# --- sums per date range (months of a trend, the year to date) -----------------------------------

def sums(ranges: list[tuple[date, date]], district_id: int | None) -> list[dict]:
    """Billed and card m³ and yuan (definitions above) of each date range (in date order, not
    overlapping). One statement whatever their number.
    → [{"billed_m3", "billed_amount", "card_m3", "card_amount"}] in the order of `ranges`."""
    if not ranges:
        return []
    return _sums_of(db.session.execute(union_all(*_sums_selects(ranges, district_id))).all(), len(ranges))


def _sums_selects(ranges: list[tuple[date, date]], district_id: int | None) -> list:
    """`sums` as (kind, range index, NULL, NULL, m3, amount) rows: the shape of `period`'s, to share its UNION."""
    if not ranges:
        return []
    first, last = ranges[0][0], ranges[-1][1]
    bill_range = case(*[(and_(Bill.issued_on >= s, Bill.issued_on <= e), i) for i, (s, e) in enumerate(ranges)])
    card_range = case(*[(_between(CardSale.confirmed_at, s, e), i) for i, (s, e) in enumerate(ranges)])
    bills = (select(literal("sum_bill").label("kind"), bill_range.label("i"), _null(String), _null(Integer),
                    func.sum(Bill.volume_m3).label("m3"), func.sum(Bill.amount).label("amount"))
             .where(Bill.issued_on >= first, Bill.issued_on <= last).group_by(bill_range))
    cards = (select(literal("sum_card"), card_range, _null(String), _null(Integer), func.sum(CardSale.volume_m3),
                    func.sum(CardSale.amount_due))
             .where(_card_confirmed(first, last), CardSale.status != REVERSED).group_by(card_range))
    if district_id is not None:
        in_district = select(Customer.id).where(Customer.district_id == district_id)
        bills = bills.where(Bill.customer_id.in_(in_district))
        cards = cards.where(CardSale.customer_id.in_(in_district))
    return [bills, cards]


def _sums_of(rows, n: int) -> list[dict]:
    out = [{"billed_m3": m3(0), "billed_amount": yuan(0), "card_m3": m3(0), "card_amount": yuan(0)}
           for _ in range(n)]
    for kind, i, _key, _n, vol, money in rows:
        if i is None:
            continue
        prefix = "billed" if kind == "sum_bill" else "card"
        out[i][f"{prefix}_m3"], out[i][f"{prefix}_amount"] = m3(vol), yuan(money)
    return out


def month_sums(months: list[tuple[int, int]], district_id: int | None) -> dict[str, dict]:
    """`sums` of whole calendar months (oldest first) → {"2026-11": {…}}."""
    ranges = [(date(y, m, 1), month_end(y, m)) for y, m in months]
    return dict(zip([month_key(y, m) for y, m in months], sums(ranges, district_id), strict=True))


def total_m3(figures: dict) -> Decimal:
    return figures["billed_m3"] + figures["card_m3"]


def change_pct(now: Decimal, before: Decimal) -> Decimal | None:
    """(now − before) / before as a percentage with one decimal; None when before is nothing."""
    if not before:
        return None
    return ((now - before) * 100 / before).quantize(Decimal("0.1"))


# --- the statistician's detail --------------------------------------------------------------------

def detail(start: date, end: date, district_id: int | None) -> list[dict]:
    """Every tier line of the period's bills and card purchases, summed by month (of issue or of
    confirmation), district, source, category and tier: the statistician's long table. Two statements
    (the lines, the districts' names).
    Source: "bills", "card" (net), "card_reversed" (confirmed in the period and reversed since).
    → [{"month", "district", "source", "category", "tier", "lines", "m3", "amount"}] sorted."""
    months = _months_between(start, end)
    bill_month = case(*[(and_(Bill.issued_on >= s, Bill.issued_on <= e), k) for k, s, e in months])
    card_month = case(*[(_between(CardSale.confirmed_at, s, e), k) for k, s, e in months])
    bills = (select(literal("bills").label("source"), bill_month.label("month"), Customer.district_id,
                    Bill.category.label("category"), BillLine.tier.label("tier"), func.count(BillLine.id),
                    func.sum(BillLine.volume_m3), func.sum(BillLine.amount))
             .join(Bill, Bill.id == BillLine.bill_id).join(Customer, Customer.id == Bill.customer_id)
             .where(Bill.issued_on >= start, Bill.issued_on <= end)
             .group_by(bill_month, Customer.district_id, Bill.category, BillLine.tier))
    source = case((CardSale.status == REVERSED, "card_reversed"), else_="card")
    cards = (select(source, card_month, Customer.district_id, Customer.category, CardSaleLine.tier,
                    func.count(CardSaleLine.id), func.sum(CardSaleLine.volume_m3), func.sum(CardSaleLine.amount))
             .join(CardSale, CardSale.id == CardSaleLine.sale_id).join(Customer, Customer.id == CardSale.customer_id)
             .where(_card_confirmed(start, end))
             .group_by(source, card_month, Customer.district_id, Customer.category, CardSaleLine.tier))
    if district_id is not None:
        bills = bills.where(Customer.district_id == district_id)
        cards = cards.where(Customer.district_id == district_id)
    names = dict(db.session.execute(select(District.id, District.name)).all())
    order = {"bills": 0, "card": 1, "card_reversed": 2}
    rows = [{"month": month, "district": names.get(d, "—"), "source": src, "category": cat, "tier": tier,
             "lines": n, "m3": m3(vol), "amount": yuan(money)}
            for src, month, d, cat, tier, n, vol, money in db.session.execute(union_all(bills, cards)).all()]
    rank = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(rows, key=lambda r: (r["month"] or "", order[r["source"]], r["district"],
                                       rank.get(r["category"], 9), r["tier"]))


def _months_between(start: date, end: date) -> list[tuple[str, date, date]]:
    """(key, first day, last day) of each calendar month the period touches, clipped to the period."""
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append((month_key(y, m), max(start, date(y, m, 1)), min(end, month_end(y, m))))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out

