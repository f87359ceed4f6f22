"""Dashboard pages (director, station chief, statistics clerk) and the monthly report downloads."""
from datetime import date

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from fieldsvc import cache as fieldsvc_cache
from fieldsvc import clock
from fieldsvc.customers.services import list_districts
from fieldsvc.exports import XLSX_MIMETYPE
from fieldsvc.labels import label
from fieldsvc.permissions import P, can, permission_required
from fieldsvc.reports import cache, charts, exports, sales, services
from fieldsvc.schemas import parse_date

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _date(name: str) -> date | None:
    return parse_date(request.args.get(name), name)  # YYYY-MM-DD within the app's date range, else 422


def _link(endpoint: str, **args) -> str | None:
    """The URL of another domain's list page when that page exists and the user may open it."""
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return None
    needed = getattr(view, "required_permission", None)
    if needed is not None and not can(current_user, needed):
        return None
    return url_for(endpoint, **{k: v for k, v in args.items() if v is not None})


def _links(district_id: int | None, month: str) -> dict:
    return {
        "orders": _link("dispatch.board", status="all", district_id=district_id),
        "emergency": _link("dispatch.board", status="all", type="emergency", district_id=district_id),
        "readings": _link("readings.routes"),
        "arrears": _link("readings.arrears"),
        "inspections": _link("inspections.plan_index", district_id=district_id),
        "hazards": _link("inspections.hazards_index", view="all"),
        "metering": _link("metering.tests", state="issued"),
        "satisfaction": _link("complaints.analysis", month=month),
        "followups": _link("dispatch.followups"),
        "hse_hazards": _link("hse.hazards", significant="1"),
        "hse_matrix": _link("hse.matrix"),
        "nonconformities": _link("hse.nonconformities", open="1"),
        "staff": _link("staff.index"),
    }


def _districts(district_id):
    districts = list_districts()
    name = next((d.name for d in districts if d.id == district_id), None)
    return districts, name


@bp.get("/")
@permission_required(P.reports_view)
def index():
    p = services.period(_date("from"), _date("to"))
    district_id = request.args.get("district_id", type=int)
    # The body is the same for everyone of a role and district on a day: kept a minute, dropped by any write.
    key = (f"dashboard:{current_user.role}:{current_user.district_id}:{p.start}:{p.end}:{district_id}:"
           f"{get_locale()}:{clock.today()}")
    body = fieldsvc_cache.cached(key, lambda: _dashboard(p, district_id))
    return render_template("reports/index.html", body=Markup(body))  # noqa: S704 - our own template's output


def _dashboard(p, district_id) -> str:
    view = services.dashboard(current_user, p, district_id)
    districts, district_name = _districts(view["district_id"])
    month = f"{p.end.year:04d}-{p.end.month:02d}"
    orders = charts.bar_chart([(charts.month_label(k), v["orders"]) for k, v in view["trend"].items()],
                              _("Work orders per month"))
    readings = charts.bar_chart([(charts.month_label(k), v["readings"]["rate"]) for k, v in view["trend"].items()],
                                _("Reading completion per month (%)"), max_value=100)
    compare = None
    if view["districts"]:
        compare = charts.bar_chart([(d["name"], d["orders"]) for d in view["districts"]],
                                   _("Work orders per district"))
    return render_template("reports/_dashboard.html", v=view, f=view["figures"], p=p, districts=districts,
                           district_name=district_name, links=_links(view["district_id"], month), month=month,
                           chart_orders=orders, chart_readings=readings, chart_districts=compare,
                           sales_charts=sales_charts(view),
                           this_month=services.this_month(), cache_minutes=cache.seconds() // 60)


def sales_charts(view: dict) -> dict:
    """The gas-sold charts of the dashboard (same drawing as the others: charts.bar_chart)."""
    s = view["figures"]["sales"]
    ytd = s["ytd"]
    m3 = " m³"
    by_category = [(label(c, "category"), s["billed_m3"][c]) for c in sales.CATEGORIES]
    by_category.append((_("IC card"), s["card_m3"]))
    tiers = [(_("Tier %(n)s", n=t), s["tiers_m3"][t]) for t in sales.TIERS]
    months = [(charts.month_label(k), sales.total_m3(v)) for k, v in view["sales_trend"].items()]
    year = [(_("%(year)s to %(day)s", year=ytd["year"], day=ytd["to"].strftime("%m-%d")), ytd["m3"]),
            (_("%(year)s to %(day)s", year=ytd["year"] - 1, day=ytd["last_year_to"].strftime("%m-%d")),
             ytd["last_year_m3"])]
    out = {"category": charts.bar_chart(by_category, _("Gas sold by category (m³)"), m3),
           "tiers": charts.bar_chart(tiers, _("Residential gas by tier (m³)"), m3),
           "months": charts.bar_chart(months, _("Gas sold per month (m³)"), m3),
           "year": charts.bar_chart(year, _("Year to date against last year (m³)"), m3)}
    if view["districts"]:
        out["districts"] = charts.bar_chart([(d["name"], d["total_m3"]) for d in s["by_district"]],
                                            _("Gas sold per district (m³)"), m3)
    return out


@bp.get("/monthly")
@permission_required(P.reports_view)
def monthly():
    year, month = services.parse_month(request.args.get("month"))
    report = services.monthly(current_user, year, month, request.args.get("district_id", type=int))
    districts, district_name = _districts(report["district_id"])
    return render_template("reports/monthly.html", r=report, lines=exports.lines(report["figures"]),
                           districts=districts, district_name=district_name)


@bp.get("/monthly/<string:month>.xlsx", defaults={"fmt": "xlsx"})
@bp.get("/monthly/<string:month>.pdf", defaults={"fmt": "pdf"})
@permission_required(P.reports_view)
def monthly_file(month: str, fmt: str):
    year, mon = services.parse_month(month)
    report = services.monthly(current_user, year, mon, request.args.get("district_id", type=int))
    _, district_name = _districts(report["district_id"])
    if fmt == "xlsx":
        body, mimetype = exports.xlsx(report, district_name), \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, mimetype = exports.pdf(report, district_name), "application/pdf"
    name = f"monthly-{report['key']}" + (f"-d{report['district_id']}" if report["district_id"] else "")
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@bp.get("/sales.xlsx")
@permission_required(P.reports_view)
def sales_file():
    """The statistician's export of gas sold for a period (this month by default) and district."""
    p = services.period(_date("from"), _date("to"))
    export = services.sales_export(current_user, p, request.args.get("district_id", type=int))
    _, district_name = _districts(export["district_id"])
    name = f"sales-{p.start.isoformat()}-{p.end.isoformat()}" + (f"-d{export['district_id']}" if export["district_id"] else "")
    return Response(exports.sales_xlsx(export, district_name), mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
