"""Weekly in-home meter checks: a random sample of installed meters (older meters drawn more often),
the visit recorded on the phone, the ledger (台账) of findings, and meters reaching their service life."""
import random
import secrets
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from fieldsvc import audit, clock
from fieldsvc.customers import rules as customer_rules
from fieldsvc.customers.models import Customer, Meter
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.metering import rules
from fieldsvc.metering.models import MeterCheck
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require

DEFAULT_SAMPLE = 20
FINDINGS = ("seal_broken", "meter_damaged", "leak_suspected", "register_fault", "life_reached", "obstructed",
            "tampering")
OUTCOMES = ("done", "no_access")


def sample_size() -> int:
    return int(current_app.config.get("METERING_WEEKLY_SAMPLE", DEFAULT_SAMPLE))


def draw_sample(actor, day: date | None = None, size: int | None = None, seed: int | None = None) -> list[MeterCheck]:
    """Draw this week's sample once: installed meters weighted by age (1 + years since verification)."""
    require(actor, P.meter_checks)
    today = clock.today()
    week = rules.week_start(day or today)
    if db.session.execute(select(MeterCheck.id).where(MeterCheck.week_start == week).limit(1)).first():
        raise Conflict(_("The sample of the week of %(date)s is already drawn.", date=week.isoformat()))
    rows = db.session.execute(select(Meter.id, Meter.customer_id, Meter.first_verified_on, Meter.installed_on)
                              .where(Meter.status == "installed", Meter.customer_id.is_not(None))).all()
    weights = {r.id: rules.age_weight(r.first_verified_on or r.installed_on, today) for r in rows}
    seed = secrets.randbits(48) if seed is None else seed
    chosen = rules.weighted_sample(list(weights.items()), size or sample_size(), random.Random(seed))
    customer_of = {r.id: r.customer_id for r in rows}
    checks = [MeterCheck(week_start=week, meter_id=mid, customer_id=customer_of[mid], status="planned",
                         age_years=Decimal(str(round(weights[mid] - 1, 1))), findings=[]) for mid in chosen]
    db.session.add_all(checks)
    db.session.flush()
    audit.record(actor, "meter_check.draw", "meter_check_week", None, week_start=week, seed=seed,
                 size=len(checks), population=len(rows))
    return checks


def week_checks(actor, day: date | None = None) -> list[MeterCheck]:
    require(actor, P.meter_checks_view)
    week = rules.week_start(day or clock.today())
    stmt = (select(MeterCheck).where(MeterCheck.week_start == week)
            .options(joinedload(MeterCheck.meter), joinedload(MeterCheck.customer))
            .order_by(MeterCheck.status.desc(), MeterCheck.age_years.desc()))
    return list(db.session.execute(stmt).unique().scalars())


def get_check(actor, check_id: int) -> MeterCheck:
    require(actor, P.meter_checks_view)
    check = db.session.get(MeterCheck, check_id)
    if check is None:
        raise NotFound(_("No such meter check."))
    return check


def life_status(check_or_meter, gas: str) -> str:
    meter = getattr(check_or_meter, "meter", check_or_meter)
    return customer_rules.meter_life_status(meter.size, gas, meter.first_verified_on, clock.today())


def record_visit(actor, check: MeterCheck, data: dict) -> MeterCheck:
    """data: outcome (done|no_access), reading, seal_ok, findings [codes], note. A meter past its service
    life gets the life_reached finding whatever was ticked: the rule decides, not the memory of the visitor."""
    require(actor, P.meter_checks)
    if check.status == "done":
        raise Conflict(_("This check is already recorded."))
    findings = list(dict.fromkeys(data.get("findings") or []))
    if data["outcome"] == "done":
        missing = {k: [_("Needed when the meter was checked.")] for k in ("reading", "seal_ok") if data.get(k) is None}
        if missing:
            raise Invalid(missing)
        if life_status(check, check.customer.gas) == "expired" and "life_reached" not in findings:
            findings.append("life_reached")
        if data["seal_ok"] is False and "seal_broken" not in findings:
            findings.append("seal_broken")
    check.status, check.visited_at, check.visited_by_id = data["outcome"], utcnow(), actor.id
    check.reading, check.seal_ok = data.get("reading"), data.get("seal_ok")
    check.findings, check.note = findings if data["outcome"] == "done" else [], data.get("note")
    db.session.flush()
    audit.record(actor, "meter_check.visit", "customer", check.customer_id, check_id=check.id,
                 meter_id=check.meter_id, outcome=check.status, findings=check.findings, reading=check.reading)
    return check


def ledger(actor, date_from: date, date_to: date, findings_only: bool = False, page: int = 1,
           per_page: int = 50) -> tuple[list[MeterCheck], int]:
    """The ledger (台账): visits of the period, newest first; optionally only those with findings."""
    require(actor, P.meter_checks_view)
    stmt = select(MeterCheck).where(MeterCheck.week_start >= rules.week_start(date_from),
                                    MeterCheck.week_start <= date_to)
    if findings_only:  # json_array_length exists in SQLite (JSON1) and PostgreSQL alike
        stmt = stmt.where(MeterCheck.status == "done", func.json_array_length(MeterCheck.findings) > 0)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = db.session.execute(stmt.options(joinedload(MeterCheck.meter), joinedload(MeterCheck.customer))
                              .order_by(MeterCheck.week_start.desc(), MeterCheck.id)
                              .limit(per_page).offset((page - 1) * per_page)).unique().scalars()
    return list(rows), total


def meters_reaching_life(actor, limit: int = 200) -> list[tuple[Meter, str, date]]:
    """Installed meters past or within 90 days of their service life (meter, status, last day), soonest first.

    Filtered in SQL to meters verified long enough ago for any gas (the shortest life is 3 years),
    then judged exactly by customers.rules.meter_life_status with the customer's gas.
    """
    require(actor, P.meter_checks_view)
    today = clock.today()
    horizon = today + timedelta(days=customer_rules.METER_LIFE_WARN_DAYS)
    oldest_possible = customer_rules.add_years(horizon, -customer_rules.LARGE_METER_PERIOD_YEARS)
    stmt = (select(Meter, Customer.gas).join(Customer, Customer.id == Meter.customer_id)
            .where(Meter.status == "installed", Meter.first_verified_on <= oldest_possible))
    out = []
    for meter, gas in db.session.execute(stmt):
        status = customer_rules.meter_life_status(meter.size, gas, meter.first_verified_on, today)
        if status in ("expired", "due_soon"):
            out.append((meter, status, customer_rules.meter_life_ends(meter.size, gas, meter.first_verified_on)))
    out.sort(key=lambda row: row[2])
    return out[:limit]
