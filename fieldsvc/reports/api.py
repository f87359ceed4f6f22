"""GET /api/v1/reports/kpis: the dashboard figures as JSON numbers (reports.view; a station chief
sees their own district only — another district is 403)."""
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from fieldsvc.reports import services
from fieldsvc.schemas import BaseSchema

blp = Blueprint("reports_api", __name__, url_prefix="/api/v1", description="Dashboards and KPIs")

class KpiQuery(BaseSchema):
    from_ = fields.Date(data_key="from", metadata={"description": "First day (YYYY-MM-DD); default: this month"})
    to = fields.Date(metadata={"description": "Last day, inclusive (at most 366 days after `from`)"})
    district = fields.Integer(metadata={"description": "District id; omitted: all (a station chief: theirs)"})


class Orders(Schema):
    total = fields.Integer(metadata={"description": "Work orders created in the period"})
    by_type = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())


class TypeCompliance(Schema):
    reached = fields.Integer()
    on_time = fields.Integer()
    rate = fields.Decimal(as_string=False, allow_none=True)


class Compliance(Schema):
    reached = fields.Integer(metadata={"description": "Orders of the period that reached their milestone"})
    on_time = fields.Integer(metadata={"description": "… at or before due_at"})
    rate = fields.Decimal(as_string=False, allow_none=True, metadata={"description": "on_time / reached, %"})
    by_type = fields.Dict(keys=fields.String(), values=fields.Nested(TypeCompliance))


class Emergency(Schema):
    count = fields.Integer()
    median_min = fields.Float(allow_none=True)
    p90_min = fields.Float(allow_none=True, metadata={"description": "Nearest-rank 90th percentile"})


class ReadingsOut(Schema):
    stops = fields.Integer()
    read = fields.Integer()
    rate = fields.Decimal(as_string=False, allow_none=True, metadata={"description": "抄表率, %"})


class Arrears(Schema):
    bills = fields.Integer()
    billed = fields.Decimal(as_string=False)
    paid = fields.Decimal(as_string=False)
    rate = fields.Decimal(as_string=False, allow_none=True, metadata={"description": "回收率, %"})


class Inspections(Schema):
    customers = fields.Integer()
    done = fields.Integer()
    visited = fields.Integer()
    coverage = fields.Decimal(as_string=False, allow_none=True, metadata={"description": "安检率, %"})
    entry_rate = fields.Decimal(as_string=False, allow_none=True, metadata={"description": "入户率, %"})


class Hazards(Schema):
    found = fields.Integer()
    rectified = fields.Integer()
    overdue = fields.Integer()
    rate = fields.Decimal(as_string=False, allow_none=True, metadata={"description": "整改率, %"})


class Metering(Schema):
    tests = fields.Integer()
    failed = fields.Integer()
    failure_rate = fields.Decimal(as_string=False, allow_none=True)
    certificates = fields.Integer()
    notices = fields.Integer()


class Scores(Schema):
    count = fields.Integer(metadata={"description": "Follow-up calls with a score (1–5) in the period"})
    mean = fields.Decimal(as_string=False, allow_none=True)
    satisfied = fields.Integer(metadata={"description": "… scoring 4 or 5"})
    satisfied_rate = fields.Decimal(as_string=False, allow_none=True)


class Satisfaction(Scores):
    """Both kinds of follow-up call pooled, and each on its own."""

    complaints = fields.Nested(Scores, metadata={"description": "Complaints' follow-up calls"})
    visits = fields.Nested(Scores, metadata={"description": "Dispatch follow-up visits after repairs"})


class Hse(Schema):
    significant_hazards = fields.Integer()
    open_nonconformities = fields.Integer()


class Qualifications(Schema):
    expired = fields.Integer()
    expiring = fields.Integer()
    days = fields.Integer()


def _m3(description: str = ""):
    return fields.Decimal(as_string=False, metadata={"description": description} if description else {})


class ByCategory(Schema):
    residential = _m3()
    commercial = _m3()
    industrial = _m3()
    total = _m3()


class Tiers(Schema):
    class Meta:
        include = {"1": _m3("Tier 1"), "2": _m3("Tier 2"), "3": _m3("Tier 3")}


class CardReversed(Schema):
    count = fields.Integer()
    m3 = _m3()
    amount = _m3()


class YearToDate(Schema):
    year = fields.Integer()
    to = fields.Date(metadata={"description": "The last day counted (the period's end, or today while it runs)"})
    m3 = _m3("Billed + IC-card m³ from 1 January to `to`")
    last_year_to = fields.Date()
    last_year_m3 = _m3("The same, a year earlier")
    change_pct = fields.Decimal(as_string=False, allow_none=True)


class Sales(Schema):
    billed_m3 = fields.Nested(ByCategory, metadata={"description": "m³ of the bills issued in the period"})
    billed_amount = fields.Nested(ByCategory, metadata={"description": "yuan of the bills issued in the period"})
    bills = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": "Bills, by category"})
    tiers_m3 = fields.Nested(Tiers, metadata={"description": "Residential bills' m³ by tier (阶梯)"})
    tiers_amount = fields.Nested(Tiers, metadata={"description": "Residential bills' yuan by tier"})
    card_m3 = _m3("IC-card purchases confirmed in the period, net of reversals")
    card_amount = _m3("… their amount due, yuan")
    card_sales = fields.Integer()
    card_reversed = fields.Nested(CardReversed, metadata={"description": "Confirmed in the period, reversed since"})
    total_m3 = _m3("billed_m3.total + card_m3")
    ytd = fields.Nested(YearToDate)


class ComplaintCounts(Schema):
    received = fields.Integer(metadata={"description": "Received in the period"})
    closed = fields.Integer(metadata={"description": "Closed in the period"})
    on_time = fields.Integer(metadata={"description": "Received in the period, every clock met"})
    late = fields.Integer(metadata={"description": "Received in the period, a clock missed or overdue"})
    running = fields.Integer(metadata={"description": "Received in the period, clocks still running in time"})
    on_time_rate = fields.Decimal(as_string=False, allow_none=True,
                                  metadata={"description": "on_time / (on_time + late), %"})


class Complaints(ComplaintCounts):
    by_category = fields.Dict(keys=fields.String(), values=fields.Nested(ComplaintCounts))
    by_channel = fields.Dict(keys=fields.String(), values=fields.Nested(ComplaintCounts))


class KpiOut(Schema):
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    district_id = fields.Integer(allow_none=True)
    orders = fields.Nested(Orders)
    compliance = fields.Nested(Compliance)
    emergency = fields.Nested(Emergency)
    readings = fields.Nested(ReadingsOut)
    arrears = fields.Nested(Arrears)
    inspections = fields.Nested(Inspections)
    hazards = fields.Nested(Hazards)
    metering = fields.Nested(Metering)
    satisfaction = fields.Nested(Satisfaction)
    hse = fields.Nested(Hse)
    qualifications = fields.Nested(Qualifications)
    sales = fields.Nested(Sales)
    complaints = fields.Nested(Complaints)


@blp.route("/reports/kpis")
class Kpis(MethodView):
    @blp.arguments(KpiQuery, location="query")
    @blp.response(200, KpiOut)
    def get(self, args):
        """The dashboard figures of a period (definitions: fieldsvc/reports/queries.py)."""
        p = services.period(args.get("from_"), args.get("to"))
        result = services.kpis(current_user, p, args.get("district"))
        result["from_"] = result.pop("from")
        return result
