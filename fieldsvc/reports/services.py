"""Use cases of the reports domain: who may see which district, the period asked for, and the
dashboard / KPI / monthly-report figures, all from `queries` (read-only: only `cache` keeps closed
months' figures)."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

from fieldsvc import clock, schemas
from fieldsvc.errors import Invalid, NotAllowed
from fieldsvc.permissions import P, Role, require
from fieldsvc.reports import cache, figures, queries, sales

MAX_DAYS = 366
TREND_MONTHS = 12


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def key(self) -> str:
        return f"{self.start.isoformat()}…{self.end.isoformat()}"


def month_bounds(year: int, month: int) -> Period:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return Period(first, nxt - timedelta(days=1))


def this_month() -> Period:
    today = clock.today()
    return month_bounds(today.year, today.month)


def period(start: date | None, end: date | None) -> Period:
    """The period asked for; this month when neither end is given. Refuses reversed or over-long ones."""
    if start is None and end is None:
        return this_month()
    start = start or end.replace(day=1)
    end = end or month_bounds(start.year, start.month).end
    if end < start:
        raise Invalid({"to": [_("The end of the period is before its start.")]})
    if (end - start).days >= MAX_DAYS:
        raise Invalid({"to": [_("A period can be at most %(n)s days long.", n=MAX_DAYS)]})
    return Period(start, end)


def parse_month(text: str | None) -> tuple[int, int]:
    """'YYYY-MM' → (year, month); this month when empty; Invalid when malformed or outside the app's date
    range (fieldsvc.schemas.parse_month)."""
    parsed = schemas.parse_month(text, "month")
    if parsed is None:
        today = clock.today()
        return today.year, today.month
    return parsed


def own_district_only(actor) -> bool:
    """A station chief sees the figures of their own district only; the director and the statistics clerk
    any district, or all. Pages ask this (`any_district` on what they show), never the role."""
    return actor.role == Role.station_chief


def scope(actor, district_id: int | None) -> int | None:
    """The district the actor may see: a station chief only their own (another one is refused with 403;
    none asked for means theirs); the director and the statistics clerk any, or all (None)."""
    require(actor, P.reports_view)
    if own_district_only(actor):
        if actor.district_id is None or (district_id is not None and district_id != actor.district_id):
            raise NotAllowed()
        return actor.district_id
    return district_id


def last_months(year: int, month: int, n: int = TREND_MONTHS) -> list[tuple[int, int]]:
    """The n calendar months ending with (year, month), oldest first."""
    index = year * 12 + month - 1
    return [((i // 12), (i % 12) + 1) for i in range(index - n + 1, index + 1)]


def kpis(actor, p: Period, district_id: int | None) -> dict:
    """Every figure of the period for the district the actor may see."""
    district_id = scope(actor, district_id)
    return {"from": p.start, "to": p.end, "district_id": district_id,
            **queries.all_figures(p.start, p.end, district_id)}


def dashboard(actor, p: Period, district_id: int | None) -> dict:
    """The dashboard: the period's figures, today's (for a station chief), the 12-month trends up to the
    period's last month (closed months from reports.cache, which this may write: the request commits) and,
    for the whole company, the district comparison; `any_district`: whether the actor may choose another
    district. A fixed number of queries: the kept months of both trends and of the year to date in one
    SELECT (cache.prefetch), the period's figures in a few more (reports.figures)."""
    district_id = scope(actor, district_id)
    months = last_months(p.end.year, p.end.month)
    kept = cache.prefetch(district_id, months, months + cache.ytd_months(p.end))
    figures_ = figures.period_figures(p.start, p.end, district_id, kept, compare=district_id is None)
    compared = figures_.pop("districts", None)
    sold = cache.sales_months(months, district_id, _sold_known(p, figures_["sales"]), kept)
    today = None
    if own_district_only(actor):
        day = clock.today()
        today = {"date": day, **queries.work_order_figures(day, day, district_id)}
    known = None
    if p == month_bounds(p.end.year, p.end.month):  # a whole month: its trend figures are the period's
        known = {queries.month_key(p.end.year, p.end.month): {
            "orders": figures_["orders"]["total"], "stops": figures_["readings"]["stops"],
            "read": figures_["readings"]["read"]}}
    return {"period": p, "district_id": district_id, "any_district": not own_district_only(actor),
            "figures": figures_, "today": today,
            "trend": cache.trend(months, district_id, known, kept), "sales_trend": sold, "districts": compared}


def _sold_known(p: Period, s: dict) -> dict | None:
    """The period's gas sold as one month of the sales trend, when the period is that whole month."""
    if p != month_bounds(p.end.year, p.end.month):
        return None
    return {queries.month_key(p.end.year, p.end.month): {
        "billed_m3": s["billed_m3"]["total"], "billed_amount": s["billed_amount"]["total"],
        "card_m3": s["card_m3"], "card_amount": s["card_amount"]}}


def monthly(actor, year: int, month: int, district_id: int | None) -> dict:
    """The monthly report (月报): the same figures as the dashboard for one calendar month; `any_district`
    as on the dashboard."""
    p = month_bounds(year, month)
    district_id = scope(actor, district_id)
    return {"period": p, "key": f"{year:04d}-{month:02d}", "district_id": district_id,
            "any_district": not own_district_only(actor),
            "figures": queries.all_figures(p.start, p.end, district_id)}


def sales_export(actor, p: Period, district_id: int | None) -> dict:
    """The statistician's export of gas sold: the period's figures and the long table (reports.sales.detail)
    for the district the actor may see."""
    district_id = scope(actor, district_id)
    return {"period": p, "district_id": district_id, "figures": sales.period(p.start, p.end, district_id),
            "rows": sales.detail(p.start, p.end, district_id)}
