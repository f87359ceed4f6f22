"""The station chief's end-of-line pressure sampling: points, the daily draw, review, CSV report."""
from datetime import date

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from fieldsvc import clock
from fieldsvc.customers import services as customer_services
from fieldsvc.customers.models import Customer
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.inspections import rules, sampling_schemas, schemas
from fieldsvc.inspections.services import sampling as service
from fieldsvc.inspections.services import sampling_review as review_service
from fieldsvc.inspections.views import PER_PAGE, bp
from fieldsvc.permissions import P, permission_required
from fieldsvc.schemas import parse_date
from fieldsvc.web import load_form, on_record


def _day() -> date:
    try:
        date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return clock.today()
    return parse_date(request.args.get("day"), "day")  # within the app's date range, else 422


def _page(errors=None, values=None, status=200):
    day = _day()
    district_id = request.args.get("district_id", type=int)
    page = max(request.args.get("page", 1, type=int), 1)
    points, total = service.points(current_user, district_id, page, PER_PAGE)
    samples = service.review(current_user, day)
    state = review_service.day_state(current_user, day, samples)
    return render_template("inspections/sampling.html", day=day, samples=samples, points=points, total=total,
                           state=state, week=rules.week_of(day),
                           page=page, per_page=PER_PAGE, district_id=district_id,
                           districts=customer_services.list_districts(), errors=errors or {},
                           values=values or {}, anomalies=sum(1 for s in samples if s.anomaly)), status


@bp.get("/sampling")
@permission_required(P.pressure_sampling)
def sampling():
    return _page()


@bp.post("/sampling/draw")
@permission_required(P.pressure_sampling)
def sampling_draw():
    def process():
        rows = service.draw(current_user, load_form(schemas.SamplingDrawIn())["n"])
        return _("%(n)d pressure checks drawn for today.", n=len(rows))
    return on_record(_render, process, url_for("inspections.sampling"))


@bp.post("/sampling/points")
@permission_required(P.pressure_sampling)
def sampling_mark():
    """Mark a customer (by account number) as end of line, or unmark with remove=1."""
    def process():
        data = load_form(schemas.SamplingPointIn())
        customer_id = db.session.execute(select(Customer.id).where(Customer.account_no == data["account_no"])).scalar()
        if customer_id is None:
            raise Invalid({"account_no": [_("No customer has this account number.")]})
        on = request.form.get("remove") != "1"
        service.mark(current_user, customer_id, on, data.get("note"))
        return _("End-of-line point saved.") if on else _("End-of-line point removed.")
    return on_record(_render, process, url_for("inspections.sampling"))


def _render(values, errors, status):
    return _page(errors, values, status)


@bp.get("/sampling/report.csv")
@permission_required(P.pressure_sampling)
def sampling_report():
    day = _day()
    return Response(service.report_csv(current_user, day), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="pressure-sampling-{day.isoformat()}.csv"'})


@bp.post("/sampling/signoff")
@permission_required(P.pressure_sampling)
def sampling_signoff():
    """The chief signs the day off with the analysis note (the day's readings are locked from then on)."""
    def process():
        data = load_form(sampling_schemas.SamplingSignOffIn())
        review_service.sign_off(current_user, data["day"], data["analysis"])
        return _("The sample of %(day)s is signed off; its readings are locked.", day=data["day"].isoformat())
    return on_record(_render, process, url_for("inspections.sampling", day=request.form.get("day") or None))


@bp.post("/sampling/<int:sample_id>/followup")
@permission_required(P.pressure_sampling)
def sampling_followup(sample_id):
    """One tap on an anomalous sample: a follow-up pressure check for the customer."""
    def process():
        order = review_service.open_followup(current_user, sample_id)
        return _("Follow-up check #%(id)d opened; assign it on the dispatch board.", id=order.id)
    return on_record(_render, process, url_for("inspections.sampling", day=request.args.get("day") or None))


@bp.get("/sampling/report.pdf")
@permission_required(P.pressure_sampling_report)
def sampling_report_pdf():
    """The weekly report to the dispatch centre (default: this week; ?from=&to= at most 31 days)."""
    start, end = parse_date(request.args.get("from"), "from"), parse_date(request.args.get("to"), "to")
    body = review_service.report_pdf(current_user, start, end)
    start, end = review_service.period(start, end)
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="pressure-sampling-{start.isoformat()}-{end.isoformat()}.pdf"'})
