"""Demo data of this domain, called by the lead's demo seeding: the checklist, end-of-line points,
a few past visits so the plan, the lists and the archive are not empty, and one visit today that
found a grade A leak (recorded through the service, so it does what a real one does). Re-runnable."""
import base64
import io
import random
from datetime import date, datetime, time, timedelta

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.customers.models import Customer
from fieldsvc.extensions import db
from fieldsvc.inspections.models import CustomerSafety, Inspection
from fieldsvc.inspections.services import checklist, recording

END_OF_LINE_SHARE = 0.03
# Customers visited in the last two years: the city size carries the benchmark's 40,000 inspections.
PAST_VISITS_SHARE = {"small": 0.4, "city": 0.8}


def seed_demo(rnd: random.Random, today: date, size: str) -> dict:
    """Called by the demo seeding (fieldsvc/core/demo.py)."""
    result = seed(rnd, today, PAST_VISITS_SHARE.get(size, PAST_VISITS_SHARE["small"]))
    result = result if isinstance(result, dict) else {"inspections": result}
    from fieldsvc.inspections import demo_sampling
    result["sampling_reviewed"] = demo_sampling.seed(today)  # yesterday's draw, measured and signed off
    return result


def seed(rnd: random.Random, today: date, past_share: float = PAST_VISITS_SHARE["small"]) -> dict:
    """Checklist v1; ~3 % of customers as end-of-line points; earlier visits for a share of customers (40 %, 80 % at city size)."""
    version = checklist.ensure_default()
    added = {"end_of_line": 0, "inspections": 0}
    customers = list(db.session.execute(select(Customer.id, Customer.gas).order_by(Customer.id)).all())
    if not db.session.execute(select(func.count(CustomerSafety.id))).scalar_one():
        for cid, _gas in customers:
            if rnd.random() < END_OF_LINE_SHARE:
                db.session.add(CustomerSafety(customer_id=cid, end_of_line=True, long_term_uninspected=False,
                                              end_of_line_note="管网末端"))
                added["end_of_line"] += 1
    inspector = db.session.execute(select(User).where(User.username == "repair_tech")).scalar_one_or_none()
    if inspector and not db.session.execute(select(func.count(Inspection.id))).scalar_one():
        zone = clock.zone()
        for cid, gas in customers:
            if rnd.random() >= past_share:
                continue
            day = today - timedelta(days=rnd.randrange(200, 420))
            at = datetime.combine(day, time(rnd.randrange(9, 19), rnd.randrange(60)), tzinfo=zone)
            working = rnd.randrange(1700, 2600) if gas == "NG" else None
            db.session.add(Inspection(customer_id=cid, inspector_id=inspector.id, checklist_id=version.id,
                                      outcome="completed", visited_at=at, gas=gas, working_pa=working,
                                      static_pa=working + rnd.randrange(50, 300) if working else None,
                                      pressure_verdict="normal" if working else None,
                                      restriction=False if working else None))
            added["inspections"] += 1
        db.session.flush()
        added["inspections"] += _grade_a_visit(inspector, today)
        added["inspections"] += _pipe_check(today)
    db.session.flush()
    return added


def _pipe_check(today: date) -> int:
    """The pipe fitter's indoor pipe check (issue #20): a corroded riser (grade B: a rectification order)
    and the archive's facility data."""
    from fieldsvc.inspections.services import facility
    fitter = db.session.execute(select(User).where(User.username == "pipe_fitter")).scalar_one_or_none()
    customer = db.session.execute(select(Customer).where(
        Customer.category == "residential", Customer.status == "active", Customer.supply == "on")
        .order_by(Customer.id.desc()).offset(1)).scalars().first()
    if fitter is None or customer is None:
        return 0
    at = min(datetime.combine(min(today, clock.today()), time(10, 40), tzinfo=clock.zone()), clock.now())
    recording.record(fitter, {
        "customer_id": customer.id, "outcome": "completed", "visited_at": at, "signature": _signature(),
        "items": [{"code": "pipe_corrosion", "ok": False, "grade": "B", "note": "厨房立管锈蚀起皮，壁厚减薄"},
                  {"code": "no_auto_shutoff_valve", "ok": True}, {"code": "leak_detected", "ok": True}]})
    facility.update_facility(fitter, customer, {"meter_location": "kitchen", "pipe_material": "galvanised",
                                                "facility_note": "表前阀为旋塞阀，建议更换球阀"})
    return 1


def _grade_a_visit(inspector: User, today: date) -> int:
    """A leak at the meter valve, the gas shut off and the notice signed: the customer's supply is off
    for safety, the pipe fitter has an urgent rectification and the safety officer a field report."""
    customer = db.session.execute(select(Customer).where(
        Customer.category == "residential", Customer.status == "active", Customer.supply == "on")
        .order_by(Customer.id.desc())).scalars().first()
    if customer is None:
        return 0
    at = min(datetime.combine(min(today, clock.today()), time(9, 30), tzinfo=clock.zone()), clock.now())
    recording.record(inspector, {
        "customer_id": customer.id, "outcome": "completed", "visited_at": at, "supply_shut_off": True,
        "signature": _signature(), "items": [{"code": "leak_detected", "ok": False, "note": "表前阀接口检漏液起泡"}]})
    return 1


def _signature() -> str:
    image = Image.new("LA", (160, 48), (0, 0))
    ImageDraw.Draw(image).line([(10, 30), (40, 12), (70, 36), (100, 14), (150, 28)], fill=(0, 255), width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
