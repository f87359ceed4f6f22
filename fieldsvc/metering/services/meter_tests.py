"""Bench tests: record a test (licence and equipment gates, the rules' verdict), find and list tests."""
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from fieldsvc import audit, clock
from fieldsvc.auth.services import has_valid_licence
from fieldsvc.customers.models import Customer, Meter
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.metering import rules
from fieldsvc.metering.models import BatchSession, Equipment, MeteringDocument, MeterTest, MeterTestPoint
from fieldsvc.metering.services import equipment as equipment_services
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require


def require_licence(user, on: date, field: str = "_schema") -> None:
    """An expired (or missing) metrology licence blocks signing a test (RULES §1)."""
    if not has_valid_licence(user, on):
        raise Invalid({field: [_("%(name)s has no valid metrology licence on %(date)s: renew it before "
                                 "signing tests or documents.", name=user.name, date=on.isoformat())]})


def get_meter_by_serial(actor, serial_no: str) -> Meter:
    require(actor, P.meter_tests_record)
    meter = db.session.execute(select(Meter).where(Meter.serial_no == serial_no.strip())).scalar_one_or_none()
    if meter is None:
        raise Invalid({"serial_no": [_("No meter with serial number %(serial)s.", serial=serial_no.strip())]})
    return meter


def default_verification(meter: Meter) -> rules.Verification:
    """What the test form offers first for this meter (the rule: rules.default_verification)."""
    return rules.default_verification(meter.customer_id is not None, meter.first_verified_on is not None)


def _compute_points(rows: list[dict], size: str, accuracy_class: str, verification: str) -> list:
    """The rules' result for every point; a flow outside the meter's range is named on its row."""
    errors, results = {}, []
    for i, row in enumerate(rows):
        flow = Decimal(row["flow_m3h"])
        if not rules.flow_in_range(flow, size):
            errors[str(i)] = {"flow_m3h": [_("Between qmin %(qmin)s and qmax %(qmax)s m³/h for a %(size)s meter.",
                                             qmin=rules.qmin(size), qmax=rules.qmax(size), size=size)]}
            continue
        if Decimal(row["reference_l"]) <= 0:
            errors[str(i)] = {"reference_l": [_("The reference volume must be above zero.")]}
            continue
        results.append(rules.point_result(flow, Decimal(row["reference_l"]), Decimal(row["indicated_l"]),
                                          size, accuracy_class, verification))
    if errors:
        raise Invalid({"points": errors})
    if not results:
        raise Invalid({"points": [_("Enter at least one flow point.")]})
    return results


def record_test(actor, data: dict, *, batch: BatchSession | None = None, corrects: MeterTest | None = None,
                customer: Customer | None = None) -> MeterTest:
    """Record a bench test and its verdict.

    data: meter_id, verification, equipment_id (a flow standard), optional leak_equipment_id (a leak bench),
    temperature_c, humidity_pct, leak_test_ok,
    pressure_loss_pa, points [{flow_m3h, reference_l, indicated_l}], optional note.
    `corrects`: an earlier test of the same meter this one corrects (it keeps that test's date).
    `customer`: the customer the meter served, when it was removed for a complaint verification.
    """
    require(actor, P.meter_tests_record)
    tested_on = corrects.tested_on if corrects is not None else clock.today()
    require_licence(actor, tested_on)
    meter = db.session.get(Meter, data["meter_id"])
    if meter is None:
        raise Invalid({"meter_id": [_("No such meter.")]})
    if meter.status == "scrapped":
        raise Invalid({"meter_id": [_("Meter %(serial)s is scrapped.", serial=meter.serial_no)]})
    equipment = equipment_services.require_usable(db.session.get(Equipment, data["equipment_id"]), tested_on)
    leak_equipment = None
    if data.get("leak_equipment_id") is not None:
        leak_equipment = equipment_services.require_usable(db.session.get(Equipment, data["leak_equipment_id"]),
                                                           tested_on, "leak_equipment_id",
                                                           rules.EquipmentKind.leak_bench)
    if corrects is not None and corrects.meter_id != meter.id:
        raise Invalid({"meter_id": [_("A correction must be of the same meter.")]})
    points = _compute_points(data["points"], meter.size, meter.accuracy_class, data["verification"])
    verdict = rules.verdict(points, data["leak_test_ok"], data["pressure_loss_pa"], meter.size)
    customer = customer or meter.customer
    test = MeterTest(
        meter_id=meter.id, verification=data["verification"], equipment_id=equipment.id,
        leak_equipment_id=leak_equipment.id if leak_equipment else None, tester_id=actor.id, tested_on=tested_on, tested_at=corrects.tested_at if corrects is not None else utcnow(),
        size=meter.size, accuracy_class=meter.accuracy_class,
        customer_id=customer.id if customer else None, gas=customer.gas if customer else "NG",
        temperature_c=data["temperature_c"], humidity_pct=data["humidity_pct"],
        leak_test_ok=data["leak_test_ok"], pressure_loss_pa=data["pressure_loss_pa"],
        pressure_loss_limit_pa=rules.pressure_loss_limit(meter.size), ok=verdict.ok,
        failures=verdict.failures, mean_error_pct=rules.mean_error([p.error_pct for p in points]),
        note=data.get("note"), batch=batch, corrects_id=corrects.id if corrects is not None else None)
    test.points = [MeterTestPoint(seq=n, flow_m3h=p.flow_m3h, reference_l=p.reference_l,
                                  indicated_l=p.indicated_l, zone=p.zone.value, error_pct=p.error_pct,
                                  mpe_pct=p.mpe_pct, ok=p.ok) for n, p in enumerate(points, start=1)]
    db.session.add(test)
    db.session.flush()
    audit.record(actor, "meter_test.record", "meter_test", test.id, meter_id=meter.id, serial_no=meter.serial_no,
                 verification=test.verification, ok=test.ok, failures=test.failures,
                 corrects_id=test.corrects_id, batch_id=test.batch_id)
    return test


def correct_test(actor, original: MeterTest, data: dict) -> MeterTest:
    """A correction is a new test of the same meter and date; issuing it supersedes the old document."""
    require(actor, P.meter_tests_record)
    if correction_of(original) is not None:
        raise Conflict(_("This test was already corrected: correct the latest version."))
    return record_test(actor, {**data, "meter_id": original.meter_id}, batch=original.batch, corrects=original,
                       customer=original.customer)


def correction_of(test: MeterTest) -> MeterTest | None:
    """The newer test that corrects this one, if any."""
    return db.session.execute(select(MeterTest).where(MeterTest.corrects_id == test.id)).scalar_one_or_none()


def get_test(actor, test_id: int) -> MeterTest:
    require(actor, P.meter_tests_view)
    test = db.session.get(MeterTest, test_id)
    if test is None:
        raise NotFound(_("No such test."))
    return test


def _pending():
    """A test waits for a document: none issued for it, and no later test corrects it."""
    corrected = select(MeterTest.corrects_id).where(MeterTest.corrects_id.is_not(None))
    return MeterTest.id.not_in(select(MeteringDocument.test_id)), MeterTest.id.not_in(corrected)


def pending_count_query(actor):
    """How many tests wait for a document, as a scalar SELECT (the home page asks it with every card's)."""
    require(actor, P.meter_tests_view)
    return select(func.count(MeterTest.id)).where(*_pending())


def list_tests(actor, q: str | None = None, state: str | None = None, page: int = 1,
               per_page: int = 50) -> tuple[list[MeterTest], int]:
    """Tests newest first; q: meter serial prefix; state: pending (not issued) | issued."""
    require(actor, P.meter_tests_view)
    stmt = select(MeterTest)
    if q and q.strip():
        stmt = stmt.join(Meter, Meter.id == MeterTest.meter_id).where(
            Meter.serial_no.startswith(q.strip(), autoescape=True))
    issued = select(MeteringDocument.test_id)
    if state == "pending":
        stmt = stmt.where(*_pending())
    elif state == "issued":
        stmt = stmt.where(MeterTest.id.in_(issued))
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    # What a list row shows, in the same statement (each is at most one row: no duplicates under LIMIT).
    stmt = stmt.options(joinedload(MeterTest.meter), joinedload(MeterTest.tester), joinedload(MeterTest.document))
    rows = db.session.execute(stmt.order_by(MeterTest.id.desc()).limit(per_page).offset((page - 1) * per_page))
    return list(rows.scalars()), total
