"""Dashboard pages (director, station chief, statistics clerk) and the monthly report downloads."""
from datetime import date

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.customers.services import list_districts
from fieldsvc.permissions import P, can, permission_required
from fieldsvc.reports import cache, charts, exports, services
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
    view = services.dashboard(current_user, p, request.args.get("district_id", type=int))
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
    return render_template("reports/index.html", v=view, f=view["figures"], p=p, districts=districts,
                           district_name=district_name, links=_links(view["district_id"], month), month=month,
                           chart_orders=orders, chart_readings=readings, chart_districts=compare,
                           this_month=services.this_month(), cache_minutes=cache.seconds() // 60)


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
