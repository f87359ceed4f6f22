"""The station chief's review of the end-of-line sample (审核检测记录, 分析异常现象, 分析结果上报调度中心):
the day's sign-off with an analysis note (which locks the day's readings), a follow-up pressure check
opened from an anomalous sample, and the weekly report to the dispatch centre (JSON and PDF)."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from fieldsvc import audit, clock, pdf
from fieldsvc.customers.models import Customer
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.dispatch.services import orders
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import CustomerSafety, SamplingOrder, SamplingReview
from fieldsvc.inspections.services import common
from fieldsvc.inspections.services.sampling import Sample, signed_off
from fieldsvc.labels import label
from fieldsvc.permissions import P, can, require

NOTE_MAX = 2000
ORG_NAME = "城市燃气有限公司客户服务部"


@dataclass(frozen=True)
class DayState:
    """What the review section of the page offers for a day (from the service, not from role tests)."""
    review: SamplingReview | None
    samples: int
    unsettled: int
    may_sign: bool
    may_follow_up: bool


def day_state(actor, day: date, samples: list[Sample]) -> DayState:
    require(actor, P.pressure_sampling)
    review = signed_off(day)
    open_count = rules.unsettled(s.order.status for s in samples)
    return DayState(review, len(samples), open_count,
                    review is None and bool(samples) and open_count == 0 and day <= clock.today(),
                    can(actor, P.orders_create))


def unsigned_days(actor, back: int = 7) -> list[date]:
    """Days of the last `back` days before today with a sample drawn and no sign-off yet, oldest first."""
    require(actor, P.pressure_sampling)
    today = clock.today()
    since = today - timedelta(days=back)
    drawn = select(SamplingOrder.day).where(SamplingOrder.day >= since, SamplingOrder.day < today).distinct()
    signed = select(SamplingReview.day).where(SamplingReview.day >= since)
    return sorted(db.session.execute(drawn.where(SamplingOrder.day.not_in(signed))).scalars())


def sign_off(actor, day: date, note: str) -> SamplingReview:
    """Sign the day's sample off with the analysis note. Every sample order must be settled (done or
    cancelled); the readings are copied onto the samples and stay as signed (locked) from then on."""
    from fieldsvc.inspections.services import sampling
    require(actor, P.pressure_sampling)
    note = (note or "").strip()
    if not note:
        raise Invalid({"analysis": [_("Write the analysis: what the readings show and what is done about anomalies.")]})
    if len(note) > NOTE_MAX:
        raise Invalid({"analysis": [_("At most %(n)d characters.", n=NOTE_MAX)]})
    if day > clock.today():
        raise Invalid({"day": [_("A day that has not come yet cannot be signed off.")]})
    if signed_off(day) is not None:
        raise Conflict(_("This day's sample is already signed off."))
    samples = sampling.review(actor, day)
    if not samples:
        raise Invalid({"day": [_("No sample drawn on this day.")]})
    still_open = rules.unsettled(s.order.status for s in samples)
    if still_open:
        raise Invalid({"day": [_("%(n)d of the day's checks are still open: finish or cancel them before "
                                 "signing off.", n=still_open)]})
    for s in samples:
        s.row.locked_static_pa, s.row.locked_working_pa = s.static_pa, s.working_pa
        s.row.locked_verdict = s.result.verdict.value if s.result else None
        s.row.locked_restriction = s.result.restriction if s.result else None
    anomalies = sum(1 for s in samples if s.anomaly)
    review = SamplingReview(day=day, note=note, samples=len(samples), anomalies=anomalies, signed_by_id=actor.id,
                            signed_at=clock.now())
    db.session.add(review)
    db.session.flush()
    audit.record(actor, "pressure_sampling.sign_off", "pressure_sampling", review.id, day=day,
                 samples=len(samples), anomalies=anomalies, note=note,
                 readings={s.row.id: [s.static_pa, s.working_pa] for s in samples})
    return review


def open_followup(actor, sample_id: int) -> WorkOrder:
    """One tap on an anomalous sample: a pressure_check for the same customer, through dispatch's create
    service, linked to the sample. A second one for the same sample is a conflict."""
    from fieldsvc.inspections.services import sampling
    require(actor, P.pressure_sampling)
    row = db.session.get(SamplingOrder, sample_id)
    if row is None:
        raise NotFound()
    if row.followup_order_id is not None:
        raise Conflict(_("Follow-up check #%(id)d is already open for this sample.", id=row.followup_order_id))
    sample = next(s for s in sampling.review(actor, row.day) if s.row.id == row.id)
    if not sample.anomaly:
        raise Invalid({"sample": [_("Only an anomalous reading opens a follow-up check.")]})
    verdict = sample.result.verdict.value
    order = orders.create_order(actor, {
        "type": "pressure_check", "customer_id": row.customer_id, "priority": rules.followup_priority(verdict),
        "description": _("Follow-up of the end-of-line sample of %(day)s (check #%(id)d): working pressure "
                         "%(pa)s Pa, %(verdict)s.", day=row.day.isoformat(), id=row.work_order_id,
                         pa=sample.working_pa, verdict=_restriction_or(sample))})
    # Claimed only if still free: two taps at once leave one follow-up (the other request rolls back).
    claimed = db.session.execute(update(SamplingOrder).where(SamplingOrder.id == row.id,
                                                             SamplingOrder.followup_order_id.is_(None))
                                 .values(followup_order_id=order.id).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise Conflict(_("A follow-up check is already open for this sample."))
    db.session.refresh(row)
    audit.record(actor, "pressure_sampling.follow_up", "pressure_sampling", row.id, day=row.day,
                 work_order_id=order.id, verdict=verdict)
    return order


def _restriction_or(sample: Sample) -> str:
    words = [label(sample.result.verdict.value, "pressure_verdict")]
    if sample.result.restriction:
        words.append(_("restricted supply"))
    return ", ".join(words)


# --- the weekly report to the dispatch centre ------------------------------------------------------

def period(start: date | None, end: date | None) -> tuple[date, date]:
    """The report's days: default the current week (Monday to Sunday); at most REPORT_MAX_DAYS."""
    if start is None and end is None:
        return rules.week_of(clock.today())
    start, end = start or rules.week_of(end)[0], end or rules.week_of(start)[1]
    problem = rules.report_period_problem(start, end)
    if problem == "reversed":
        raise Invalid({"to": [_("The last day is before the first day.")]})
    if problem == "too_long":
        raise Invalid({"to": [_("At most %(n)d days in one report.", n=rules.REPORT_MAX_DAYS)]})
    return start, end


def _samples_between(start: date, end: date) -> list[Sample]:
    rows = db.session.execute(
        select(SamplingOrder).where(SamplingOrder.day >= start, SamplingOrder.day <= end)
        .options(joinedload(SamplingOrder.customer).joinedload(Customer.district),
                 joinedload(SamplingOrder.work_order).joinedload(WorkOrder.completion),
                 joinedload(SamplingOrder.work_order).joinedload(WorkOrder.assignee),
                 joinedload(SamplingOrder.followup_order))
        .order_by(SamplingOrder.day, SamplingOrder.id)).scalars().all()
    signed = set(db.session.execute(select(SamplingReview.day).where(
        SamplingReview.day >= start, SamplingReview.day <= end)).scalars())
    out = []
    for row in rows:
        locked = row.day in signed
        if locked:
            static, working = row.locked_static_pa, row.locked_working_pa
        else:
            results = row.work_order.completion.results if row.work_order.completion else {}
            static, working = results.get("static_pa"), results.get("working_pa")
        result = common.evaluate(row.customer.gas, static, working) if working is not None else None
        out.append(Sample(row, row.work_order, row.customer, static, working, result, locked))
    return out


def report(actor, start: date | None = None, end: date | None = None) -> dict:
    """Points, readings and verdicts, anomalies, the follow-up orders opened and the sign-offs of the period
    (start…end inclusive; see `period` for the defaults and limits)."""
    require(actor, P.pressure_sampling_report)
    start, end = period(start, end)
    samples = _samples_between(start, end)
    reviews = list(db.session.execute(select(SamplingReview).where(
        SamplingReview.day >= start, SamplingReview.day <= end).options(joinedload(SamplingReview.signed_by))
        .order_by(SamplingReview.day)).scalars())
    rated = common.rated_pressures()
    items, points = [], {}
    for s in samples:
        low, high = rules.band(s.customer.gas, rated)
        follow = s.row.followup_order
        items.append({
            "id": s.row.id, "day": s.row.day, "customer_id": s.customer.id, "account_no": s.customer.account_no,
            "customer": s.customer.name, "district": s.customer.district.name, "address": s.customer.address,
            "gas": s.customer.gas, "work_order_id": s.order.id, "status": s.order.status,
            "technician": s.order.assignee.name if s.order.assignee else None,
            "static_pa": s.static_pa, "working_pa": s.working_pa, "band_pa": [int(low), int(high)],
            "verdict": s.result.verdict.value if s.result else None,
            "restriction": s.result.restriction if s.result else None,
            "anomaly": s.anomaly, "locked": s.locked,
            "followup_order_id": follow.id if follow else None, "followup_status": follow.status if follow else None})
        point = points.setdefault(s.customer.id, {"customer_id": s.customer.id, "account_no": s.customer.account_no,
                                                  "customer": s.customer.name, "district": s.customer.district.name,
                                                  "address": s.customer.address, "samples": 0, "anomalies": 0})
        point["samples"] += 1
        point["anomalies"] += int(s.anomaly)
    on_file = db.session.execute(select(func.count(CustomerSafety.id)).where(
        CustomerSafety.end_of_line.is_(True))).scalar_one()
    days = sorted({s.row.day for s in samples})
    return {
        "from": start, "to": end, "points_on_file": on_file,
        "points": sorted(points.values(), key=lambda p: (-p["anomalies"], p["account_no"])),
        "samples": items,
        "anomalies": [i for i in items if i["anomaly"]],
        "followups": [{"sample_id": i["id"], "work_order_id": i["followup_order_id"], "status": i["followup_status"]}
                      for i in items if i["followup_order_id"]],
        "signoffs": [{"day": r.day, "signed_by": r.signed_by.name, "signed_at": r.signed_at, "note": r.note,
                      "samples": r.samples, "anomalies": r.anomalies} for r in reviews],
        "totals": {"days": len(days), "days_signed_off": len(reviews), "samples": len(items),
                   "measured": sum(1 for i in items if i["working_pa"] is not None),
                   "anomalies": sum(1 for i in items if i["anomaly"]),
                   "followups": sum(1 for i in items if i["followup_order_id"])},
        "unsigned_days": [d for d in days if d not in {r.day for r in reviews}],
    }


def report_pdf(actor, start: date | None = None, end: date | None = None) -> bytes:
    """The weekly report as a document for the dispatch centre (in Chinese, like the other documents)."""
    data = report(actor, start, end)
    return pdf.render_pdf("inspections/pdf/sampling_report.html", report=data,
                          org=current_app.config.get("SAMPLING_ORG_NAME", ORG_NAME),
                          printed_at=clock.now(), printed_by=actor.name)
