"""A known month of records (October 2025, Asia/Shanghai) inserted directly with the domains' models.

District A (the station chief's) holds the records; district B has none; district C has one work
order, so company totals differ from district A's. The expected figures are worked out by hand in
the test modules from what is built here.
"""
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete

from fieldsvc.auth.models import Qualification
from fieldsvc.complaints.models import Complaint
from fieldsvc.customers.models import Customer, District, Meter
from fieldsvc.dispatch.models import Completion, WorkOrder
from fieldsvc.hse.models import HseHazard, Nonconformity
from fieldsvc.inspections.models import ChecklistItem, ChecklistVersion, Hazard, Inspection, InspectionResult
from fieldsvc.metering.models import Equipment, MeteringDocument, MeterTest
from fieldsvc.readings.models import Bill, Reading, Route, RouteStop, Skip, Tariff

TZ = ZoneInfo("Asia/Shanghai")
START, END = date(2025, 10, 1), date(2025, 10, 31)


def local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


class Builder:
    def __init__(self, db, staff):
        self.db, self.staff = db, staff
        self.n = 0
        chief = staff["station_chief"]
        districts = db.session.query(District).order_by(District.code).all()
        self.a = db.session.get(District, chief.district_id)
        others = [d for d in districts if d.id != self.a.id]
        self.b, self.c = others[0], others[1]

    def seq(self) -> int:
        self.n += 1
        return self.n

    def add(self, obj):
        self.db.session.add(obj)
        self.db.session.flush()
        return obj

    def customer(self, district) -> Customer:
        n = self.seq()
        return self.add(Customer(account_no=f"R{n:07d}", name=f"C{n}", category="residential", gas="NG",
                                 district_id=district.id, address=f"Road {n}"))

    def meter(self, customer=None, installed_on=None) -> Meter:
        n = self.seq()
        return self.add(Meter(serial_no=f"M{n:07d}", customer_id=customer.id if customer else None, size="G2.5",
                              accuracy_class="1.5", kind="diaphragm", location="indoor", status="installed",
                              installed_on=installed_on))

    def order(self, district, type_, status, created, due_min, on_site_min=None, completed_min=None):
        return self.add(WorkOrder(type=type_, status=status, district_id=district.id, address="x", description="x",
                                  created_at=created, due_at=created + timedelta(minutes=due_min),
                                  on_site_at=created + timedelta(minutes=on_site_min) if on_site_min is not None else None,
                                  completed_at=created + timedelta(minutes=completed_min)
                                  if completed_min is not None else None))

    def reading(self, meter, day, status="accepted", route=None, kind="actual"):
        return self.add(Reading(meter_id=meter.id, route_id=route.id if route else None, cycle=day.strftime("%Y-%m"),
                                read_at=local(day), read_on=day, value=Decimal(10), kind=kind,
                                consumption_m3=Decimal(1), status=status))

    def skip(self, meter, at: datetime, route):
        return self.add(Skip(route_id=route.id, meter_id=meter.id, cycle=at.strftime("%Y-%m"), code="nobody_home",
                             at=at))

    def followup_visit(self, district, completed: datetime, score):
        """A dispatch follow-up call after a repair, completed with this score in its results."""
        order = self.order(district, "followup_visit", "closed", completed - timedelta(hours=5), 24 * 60,
                           completed_min=5 * 60)
        self.add(Completion(work_order_id=order.id, completed_at=completed,
                            results={} if score is None else {"satisfaction": score}))
        return order


@pytest.fixture
def known_month(db, staff):
    """Builds the month; returns the builder (districts a, b, c)."""
    b = Builder(db, staff)
    A, C = b.a, b.c
    # --- work orders (district A: 7 in the period; C: 1) ---
    b.order(A, "emergency", "completed", local(date(2025, 10, 5)), 30, on_site_min=20, completed_min=60)
    b.order(A, "emergency", "completed", local(date(2025, 10, 6)), 30, on_site_min=40, completed_min=80)
    b.order(A, "emergency", "completed", local(date(2025, 10, 7)), 30, on_site_min=90, completed_min=120)
    b.order(A, "repair", "on_site", local(date(2025, 10, 8)), 240, on_site_min=60)
    b.order(A, "purge_ignition", "closed", local(date(2025, 10, 9)), 3 * 1440, completed_min=4 * 1440)
    b.order(A, "pressure_check", "cancelled", local(date(2025, 10, 10)), 3 * 1440)
    b.order(A, "repair", "new", local(date(2025, 10, 31), 23, 30), 240)           # last minutes of the period
    b.order(A, "repair", "new", local(date(2025, 9, 30), 23, 30), 240)            # before it
    b.order(A, "repair", "new", local(date(2025, 11, 1), 0, 10), 240)             # after it (still Oct in UTC)
    b.order(C, "repair", "completed", local(date(2025, 10, 15)), 240, on_site_min=30, completed_min=90)
    # --- readings (see test_queries.test_reading_completion_* for the figures they give) ---
    # Route A-1 is active with 4 stops: m0, m1, m2 and m3 (m3 put in on 20 October). Route A-old is switched
    # off today; its meter was read on it in October. Two meters no longer on any route were skipped on
    # one in September, one in the first minutes of November (still 31 October in UTC).
    customers = [b.customer(A) for _ in range(4)]
    meters = [b.meter(c) for c in customers[:3]] + [b.meter(customers[3], installed_on=date(2025, 10, 20))]
    route = b.add(Route(name="A-1", district_id=A.id, active=True))
    for i, m in enumerate(meters, 1):
        b.add(RouteStop(route_id=route.id, seq=i, meter_id=m.id))
    old = b.add(Route(name="A-old", district_id=A.id, active=False))
    old_meter = b.meter(customers[0])
    b.add(RouteStop(route_id=old.id, seq=1, meter_id=old_meter.id))
    gone_sep, gone_nov = b.meter(customers[1]), b.meter(customers[2])
    b.reading(meters[0], date(2025, 9, 10), route=route)
    r1 = b.reading(meters[0], date(2025, 10, 10), route=route)
    b.reading(meters[1], date(2025, 9, 11), route=route, kind="estimated")          # nobody home: not read
    b.reading(meters[1], date(2025, 10, 12), status="sent_back", route=route)
    r2 = b.reading(meters[1], date(2025, 10, 15), route=route)
    r3 = b.reading(meters[2], date(2025, 9, 30), route=route)
    b.reading(meters[2], date(2025, 11, 5), kind="self")                            # self-read, no route
    b.reading(old_meter, date(2025, 10, 10), route=old)
    b.skip(gone_sep, local(date(2025, 9, 12)), route)
    b.skip(gone_nov, local(date(2025, 11, 1), 0, 10), route)
    # --- bills due in October: 150.00 billed, 120.00 paid; one due in November ---
    tariff = b.add(Tariff(category="residential", name="T", valid_from=date(2025, 1, 1)))
    for reading, amount, paid, due in ((r1, "100.00", "100.00", date(2025, 10, 20)),
                                       (r2, "50.00", "20.00", date(2025, 10, 31)),
                                       (r3, "999.00", "0.00", date(2025, 11, 5))):
        b.add(Bill(customer_id=customers[0].id, meter_id=reading.meter_id, reading_id=reading.id,
                   tariff_id=tariff.id, category="residential", cycle="2025-10", period_start=date(2025, 9, 1),
                   period_end=date(2025, 9, 30), volume_m3=Decimal(1), amount=Decimal(amount),
                   paid_amount=Decimal(paid), issued_on=date(2025, 10, 1), due_on=due))
    # --- inspections: of A's 4 customers, 2 done, 1 refused, 1 not visited ---
    checklist = b.add(ChecklistVersion(number=1, title="v1", active=True))
    item = b.add(ChecklistItem(checklist_id=checklist.id, position=1, section="pipe", code="leak", grade="B",
                               label_zh="漏气", label_en="Leak"))
    inspector = staff["repair_tech"]
    visits = [b.add(Inspection(customer_id=c.id, inspector_id=inspector.id, outcome=outcome,
                               visited_at=local(date(2025, 10, 31), 10), gas="NG"))
              for c, outcome in ((customers[0], "completed"), (customers[1], "completed"), (customers[2], "refused"))]
    result = b.add(InspectionResult(inspection_id=visits[0].id, item_id=item.id, position=1, code="leak", ok=False))
    for grade, status, found, deadline in (("A", "closed", date(2025, 10, 2), date(2025, 10, 2)),
                                           ("B", "awaiting_recheck", date(2025, 10, 3), date(2025, 10, 18)),
                                           ("B", "open", date(2025, 10, 5), date(2025, 10, 20)),       # overdue
                                           ("B", "rectifying", date(2025, 10, 30), date(2025, 11, 15)),
                                           ("C", "advised", date(2025, 10, 6), None),                 # advice
                                           ("B", "open", date(2025, 9, 25), date(2025, 10, 10))):     # before
        b.add(Hazard(inspection_id=visits[0].id, customer_id=customers[0].id, result_id=result.id, code="leak",
                     grade=grade, found_on=found, deadline=deadline, status=status))
    # --- metering: tests in October (A's customer ok and failed; a stock meter ok), one in September ---
    equipment = b.add(Equipment(name="bench", serial_no="B1", calibration_cert="C1",
                                calibration_expires_on=date(2027, 1, 1)))
    tester = staff["metering_tech"]

    def test(day, ok, customer):
        return b.add(MeterTest(meter_id=b.meter(customer).id, verification="initial", equipment_id=equipment.id,
                               tester_id=tester.id, tested_on=day, tested_at=local(day), size="G2.5",
                               accuracy_class="1.5", customer_id=customer.id if customer else None, gas="NG",
                               temperature_c=Decimal(20), humidity_pct=Decimal(50), leak_test_ok=ok,
                               pressure_loss_pa=Decimal(100), pressure_loss_limit_pa=Decimal(200), ok=ok,
                               mean_error_pct=Decimal("0.5")))
    t1 = test(date(2025, 10, 11), True, customers[0])
    t2 = test(date(2025, 10, 12), False, customers[1])
    t3 = test(date(2025, 10, 13), True, None)
    test(date(2025, 9, 13), True, customers[2])
    for t, kind in ((t1, "certificate"), (t2, "notice"), (t3, "certificate")):
        b.add(MeteringDocument(number=f"D{t.id}", kind=kind, test_id=t.id, issued_on=t.tested_on,
                               issued_at=local(t.tested_on), issued_by_id=tester.id, pdf=b"%PDF", pdf_size=4,
                               sha256="0" * 64))
    # --- complaints followed up in October: 5, 4, 2; one in November; one without a score ---
    for score, day in ((5, date(2025, 10, 3)), (4, date(2025, 10, 4)), (2, date(2025, 10, 31)),
                       (5, date(2025, 11, 1)), (None, date(2025, 10, 5))):
        n = b.seq()
        b.add(Complaint(tracking_no=f"TS-{n:06d}", channel="hotline", category="service", description="x",
                        contact_name="x", contact_phone="1", district_id=A.id, status="closed",
                        received_at=local(date(2025, 9, 1)), first_contact_due=local(date(2025, 9, 2)),
                        resolve_due=local(date(2025, 9, 9)), satisfaction=score,
                        followed_up_at=local(day, 9) if score else None))
    # --- HSE: 2 significant active sources (one retired, one not significant); 2 open NCs ---
    for significant, status in ((True, "active"), (True, "active"), (True, "retired"), (False, "active")):
        b.add(HseHazard(unit="station", activity="x", description="x", accident_type="fire", l=Decimal(3),
                        e=Decimal(6), c=Decimal(15), d=Decimal(270), grade=3, colour="yellow",
                        significant=significant, status=status))
    for status in ("draft", "in_progress", "closed"):
        b.add(Nonconformity(title="x", description="x", origin="audit", status=status))
    # --- qualifications (only these): A's chief has one expired and one expiring on 2025-10-31 ---
    db.session.execute(delete(Qualification))
    chief = staff["station_chief"]
    for expires in (date(2025, 10, 15), date(2025, 12, 1), date(2026, 6, 1)):
        b.add(Qualification(user_id=chief.id, kind="service_cert_3", number="Q", issuer="x", expires_on=expires))
    b.add(Qualification(user_id=staff["director"].id, kind="service_cert_3", number="Q", issuer="x",
                        expires_on=date(2025, 11, 10)))
    db.session.commit()
    return b


@pytest.fixture
def followup_visits(known_month, db):
    """The known month plus dispatch follow-up calls (after repairs) completed in October: district A
    scores 5 and 3, one call without a score and one scored on 1 November (00:20, still 31 October in
    UTC); district C scores 1. Kept out of `known_month` so the work-order figures there stay as worked out."""
    b = known_month
    b.followup_visit(b.a, local(date(2025, 10, 8), 15), 5)
    b.followup_visit(b.a, local(date(2025, 10, 31), 23, 50), 3)
    b.followup_visit(b.a, local(date(2025, 10, 9), 15), None)
    b.followup_visit(b.a, local(date(2025, 11, 1), 0, 20), 1)
    b.followup_visit(b.c, local(date(2025, 10, 20), 15), 1)
    db.session.commit()
    return b
