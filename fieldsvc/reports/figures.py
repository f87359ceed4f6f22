"""Every figure family of a period (reports.queries, reports.sales, reports.complaints) in a fixed, small
number of statements: the dashboard, the KPI API, the monthly report and the HSE audit ask for all of
them at once, and asked one family at a time they cost 18 round trips (issue #25).

- One SELECT of every one-row aggregate (bills due, inspection coverage, hazards, metering, follow-up
  scores, HSE registers, qualifications, today's planned stops), each a derived table (queries.one_row).
- One statement for the period's work orders: a GROUP BY (district, type, status) for orders and
  compliance, the emergencies' arrival times and, on the dashboard, every district's name for the
  district comparison (queries.work_order_figures).
- One UNION for gas sold and the year to date's part month (reports.sales.period_and_sums).
- On their own: route work per period (a GROUP BY over readings and skips), complaints (rows judged by
  complaints.rules in Python) and the year to date's kept months (reports.cache; the dashboard reads them
  with its trends: `kept`).
Each family's own function in reports.queries still answers alone, from the same statements.
"""
from datetime import date

from fieldsvc.extensions import db
from fieldsvc.reports import queries

# (name, one-row SELECTs of the period, their values → the family's figures), in the order of the output
ONE_ROW = (
    ("arrears", queries.arrears_rows, queries.arrears_of),
    ("inspections", queries.coverage_rows, queries.coverage_of),
    ("hazards", queries.hazards_rows, queries.hazards_of),
    ("metering", queries.metering_rows, queries.metering_of),
    ("satisfaction", queries.satisfaction_rows, queries.satisfaction_of),
    ("hse", queries.hse_rows, queries.hse_of),
    ("qualifications", queries.qualifications_rows, queries.qualifications_of),
)
ORDER = ("orders", "compliance", "emergency", "readings", "arrears", "inspections", "hazards", "metering",
         "satisfaction", "hse", "qualifications", "sales", "complaints")


def period_figures(start: date, end: date, district_id: int | None, kept: dict | None = None,
                   compare: bool = False) -> dict:
    """{family: figures} of the period, as each family's function in reports.queries gives them. With
    `compare` (the whole company only), also "districts": queries.districts_comparison, from the same
    GROUP BY. `kept`: reports.cache.prefetch, for the year to date."""
    out: dict = {}
    planned = queries.planned_today([(start, end)], district_id)
    selects, spans = [], []
    for name, rows, of in ONE_ROW:
        parts = rows(start, end, district_id)
        spans.append((name, of, sum(len(p.selected_columns) for p in parts)))
        selects.extend(parts)
    values = queries.one_row([*selects, planned])
    at = 0
    for name, of, width in spans:
        out[name] = of(values[at:at + width])
        at += width
    in_service = values[at:]

    out.update(queries.work_order_figures(start, end, district_id, compare))
    work = db.session.execute(queries.route_work([(start, end)], district_id)).all()
    out["readings"] = queries.reading_counts_of(in_service, work)[0]
    out["sales"] = queries.gas_sold(start, end, district_id, kept)
    out["complaints"] = queries.complaint_numbers(start, end, district_id)
    return {name: out[name] for name in (*ORDER, *(("districts",) if compare else ()))}
