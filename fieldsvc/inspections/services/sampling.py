"""End-of-line pressure sampling (管网末端压力抽检): customers at the ends of the network are marked;
each day the station chief draws N of them into pressure_check work orders; the results come back
through dispatch, are judged by the same pressure rule, reviewed with anomalies first, exported."""
import random
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from fieldsvc import audit, clock, exports
from fieldsvc.customers.models import Customer
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.dispatch.services.steps import new_order
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import CustomerSafety, SamplingOrder, SamplingReview
from fieldsvc.inspections.services import common
from fieldsvc.inspections.services.recording import flags_for
from fieldsvc.labels import label
from fieldsvc.permissions import P, require

MAX_DRAW = 100


def mark(actor, customer_id: int, on: bool, note: str | None = None) -> CustomerSafety:
    """Mark (or unmark) a customer as an end-of-line sampling point."""
    require(actor, P.pressure_sampling)
    customer = common.customer(customer_id)
    row = flags_for(customer.id)
    if bool(row.end_of_line) == on and (note or None) == row.end_of_line_note:
        return row
    row.end_of_line, row.end_of_line_note = on, note if on else None
    db.session.flush()
    audit.record(actor, "customer_safety.end_of_line", "customer", customer.id, on=on, note=note)
    return row


def signed_off(day: date) -> SamplingReview | None:
    """The day's sign-off, if the chief has signed it."""
    return db.session.execute(select(SamplingReview).where(SamplingReview.day == day)).scalar_one_or_none()


def points(actor, district_id: int | None, page: int, per_page: int) -> tuple[list, int]:
    require(actor, P.pressure_sampling)
    stmt = (select(CustomerSafety, Customer).join(Customer, Customer.id == CustomerSafety.customer_id)
            .where(CustomerSafety.end_of_line.is_(True)))
    if district_id:
        stmt = stmt.where(Customer.district_id == district_id)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.order_by(Customer.district_id, Customer.address)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def draw(actor, n: int, day: date | None = None, rnd=None) -> list[SamplingOrder]:
    """Draw n end-of-line customers not yet drawn that day into pressure_check orders (due that day)."""
    require(actor, P.pressure_sampling)
    day = day or clock.today()
    if not 1 <= n <= MAX_DRAW:
        raise Invalid({"n": [_("Between 1 and %(n)d customers.", n=MAX_DRAW)]})
    if signed_off(day) is not None:
        raise Invalid({"n": [_("This day's sample is signed off: no more checks can be drawn for it.")]})
    drawn = select(SamplingOrder.customer_id).where(SamplingOrder.day == day)
    candidates = db.session.execute(
        select(Customer.id).join(CustomerSafety, CustomerSafety.customer_id == Customer.id)
        .where(CustomerSafety.end_of_line.is_(True), Customer.status == "active", Customer.id.not_in(drawn))
    ).scalars().all()
    if not candidates:
        raise Invalid({"n": [_("No end-of-line customer is left to draw today.")]})
    chosen = rules.draw_sample(candidates, n, rnd or random.SystemRandom())
    rows = []
    for customer_id in chosen:
        order = new_order(actor, {"type": "pressure_check", "customer_id": customer_id,
                                  "description": _("End-of-line pressure sampling, %(day)s", day=day.isoformat()),
                                  "deadline": common.end_of_day(day)})
        row = SamplingOrder(day=day, customer_id=customer_id, work_order_id=order.id, drawn_by_id=actor.id)
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    audit.record(actor, "pressure_sampling.draw", "pressure_sampling", None, day=day, requested=n,
                 customers=chosen)
    return rows


@dataclass(frozen=True)
class Sample:
    row: SamplingOrder
    order: WorkOrder
    customer: Customer
    static_pa: int | None
    working_pa: int | None
    result: rules.PressureResult | None
    locked: bool = False  # the day is signed off: the reading is the one copied at the sign-off

    @property
    def anomaly(self) -> bool:
        return rules.pressure_anomaly(self.result)

    @property
    def done(self) -> bool:
        return self.order.status in rules.DONE_ORDER


def review(actor, day: date) -> list[Sample]:
    """The day's samples, anomalies first, then those not done, then the normal ones."""
    require(actor, P.pressure_sampling)
    rows = db.session.execute(
        select(SamplingOrder).where(SamplingOrder.day == day)
        .options(joinedload(SamplingOrder.customer).joinedload(Customer.district),
                 joinedload(SamplingOrder.work_order).joinedload(WorkOrder.completion),
                 joinedload(SamplingOrder.work_order).joinedload(WorkOrder.assignee),
                 joinedload(SamplingOrder.followup_order))
        .order_by(SamplingOrder.id)).scalars().all()
    locked = signed_off(day) is not None
    samples = []
    for row in rows:
        if locked:
            static, working = row.locked_static_pa, row.locked_working_pa
        else:
            results = row.work_order.completion.results if row.work_order.completion else {}
            static, working = results.get("static_pa"), results.get("working_pa")
        result = common.evaluate(row.customer.gas, static, working) if working is not None else None
        samples.append(Sample(row, row.work_order, row.customer, static, working, result, locked))
    return sorted(samples, key=lambda s: (not s.anomaly, s.done, s.row.id))


CSV_COLUMNS = ("day", "account_no", "customer", "district", "address", "gas", "work_order", "status",
               "technician", "static_pa", "working_pa", "band_min_pa", "band_max_pa", "verdict", "restriction",
               "anomaly")


def report_csv(actor, day: date) -> str:
    """The daily report for the dispatch centre (UTF-8 with BOM so spreadsheet programs read Chinese)."""
    return exports.csv_text(CSV_COLUMNS, _report_rows(actor, day))  # the one export writer


def _report_rows(actor, day: date):
    for s in review(actor, day):
        low, high = rules.band(s.customer.gas, common.rated_pressures())
        yield [day.isoformat(), s.customer.account_no, s.customer.name, s.customer.district.name,
               s.customer.address, s.customer.gas, s.order.id, label(s.order.status, "wo_status"),
               s.order.assignee.name if s.order.assignee else "",
               "" if s.static_pa is None else s.static_pa, "" if s.working_pa is None else s.working_pa,
               int(low), int(high), s.result.verdict.value if s.result else "",
               "" if s.result is None or s.result.restriction is None else int(s.result.restriction),
               int(s.anomaly)]
