"""用户安全档案: a customer's inspections, hazards and their rectification, pressure readings and
appliances, in time order. Also this domain's lines on the customer page's timeline."""
from dataclasses import dataclass
from datetime import date, datetime

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from fieldsvc.customers import rules as customer_rules
from fieldsvc.customers.models import Customer
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.extensions import db
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import CustomerSafety, Hazard, HazardEvent, Inspection, InspectionResult
from fieldsvc.inspections.services import common
from fieldsvc.labels import label
from fieldsvc.permissions import P, require


@dataclass(frozen=True)
class Entry:
    at: datetime | date
    kind: str  # inspection | hazard | rectification | pressure | appliance
    title: str
    detail: str = ""
    url: str | None = None
    tone: str = ""  # ok | warn | bad: the badge colour on the page
    action: str = ""


def _sort_key(at) -> datetime:
    """Dates (an appliance bought) sort at the end of their day, with the times of that day."""
    from fieldsvc import clock
    if isinstance(at, datetime):
        return at.astimezone(clock.zone()).replace(tzinfo=None)
    return datetime(at.year, at.month, at.day, 23, 59)


def locale() -> str:
    return str(get_locale() or "zh_CN")


def _inspections(customer: Customer) -> list[Inspection]:
    return list(db.session.execute(
        select(Inspection).where(Inspection.customer_id == customer.id)
        .options(joinedload(Inspection.inspector),
                 selectinload(Inspection.results).joinedload(InspectionResult.item))
        .order_by(Inspection.visited_at)).scalars())


def pressure_text(gas: str, static_pa, working_pa) -> tuple[str, str]:
    result = common.evaluate(gas, static_pa, working_pa)
    parts = [_("working %(pa)s Pa", pa=working_pa)]
    if static_pa is not None:
        parts.insert(0, _("static %(pa)s Pa", pa=static_pa))
    parts.append(label(result.verdict.value, "pressure_verdict"))
    if result.restriction:
        parts.append(_("restricted supply"))
    return " · ".join(parts), "bad" if rules.pressure_anomaly(result) else "ok"


def inspection_text(outcome: str, scope: str, inspector: str, found: list[str], has_grade_a: bool,
                    refused_by: str | None, card_left: bool, door_gap_check: str | None) -> tuple[str, str, str]:
    """(title, detail, tone) of one visit; `found` the hazards as "item (grade)", in checklist order."""
    if outcome == rules.Outcome.completed:
        detail = _("%(n)d hazards: %(list)s", n=len(found), list=", ".join(found)) if found else _("No hazard found")
        tone = "bad" if has_grade_a else "warn" if found else "ok"
    elif outcome == rules.Outcome.refused:
        detail, tone = _("Refused by %(who)s", who=refused_by or "?"), "warn"
    else:
        detail = _("Card left") if card_left else ""
        if door_gap_check:
            detail = " · ".join(x for x in (detail, label(door_gap_check, "door_gap")) if x)
        tone = "warn"
    what = label(scope, "inspection_scope") if scope != rules.Scope.household else label(outcome, "inspection_outcome")
    return f"{what} · {inspector}", detail, tone


def _inspection_entries(customer: Customer, inspections: list[Inspection]) -> list[Entry]:
    out = []
    for i in inspections:
        url = url_for("inspections.show", inspection_id=i.id)
        found = [r for r in i.results if not r.ok]
        title, detail, tone = inspection_text(i.outcome, i.scope, i.inspector.name,
                                              [f"{r.item.label(locale())} ({r.grade})" for r in found],
                                              any(r.grade == "A" for r in found), i.refused_by, i.card_left,
                                              i.door_gap_check)
        out.append(Entry(i.visited_at, "inspection", title, detail, url, tone))
        if i.working_pa is not None:
            text, tone = pressure_text(i.gas, i.static_pa, i.working_pa)
            out.append(Entry(i.visited_at, "pressure", _("Stove-front pressure"), text, url, tone))
    return out


def hazard_kind(action: str) -> str:
    return "rectification" if action in ("order", "evidence", "recheck_pass", "recheck_fail") else "hazard"


def hazard_detail(what: str, action: str, to_status: str, work_order_id: int | None, note: str | None,
                  actor: str | None) -> str:
    """One step of a hazard's life: the item (grade), the new status, the job, the photo or note, who."""
    return " · ".join(x for x in (what, label(to_status, "hazard_status"),
                                  f"#{work_order_id}" if work_order_id and action == "order" else "",
                                  label(note, "photo_stage") if action == "evidence" else note or "",
                                  actor or "") if x)


def _hazard_entries(customer: Customer) -> list[Entry]:
    rows = db.session.execute(
        select(HazardEvent, Hazard).join(Hazard, Hazard.id == HazardEvent.hazard_id)
        .where(Hazard.customer_id == customer.id)
        .options(joinedload(HazardEvent.actor), joinedload(Hazard.result).joinedload(InspectionResult.item))
        .order_by(HazardEvent.id)).all()
    out = []
    for e, h in rows:
        detail = hazard_detail(f"{h.result.item.label(locale())} ({h.grade})", e.action, e.to_status,
                               e.work_order_id, e.note, e.actor.name if e.actor else None)
        tone = "ok" if e.to_status in ("closed", "advised") else "bad" if e.action == "escalate" else "warn"
        out.append(Entry(e.at, hazard_kind(e.action), label(e.action, "hazard_action"), detail,
                         url_for("inspections.hazard", hazard_id=h.id), tone, e.action))
    return out


def _sampled_pressures(customer: Customer) -> list[Entry]:
    """Pressure checks done through work orders (end-of-line sampling, complaints)."""
    orders = db.session.execute(select(WorkOrder).where(WorkOrder.customer_id == customer.id,
                                                        WorkOrder.type == "pressure_check")
                                .options(joinedload(WorkOrder.completion))).scalars()
    out = []
    for o in orders:
        results = o.completion.results if o.completion else {}
        if results.get("working_pa") is None:
            continue
        text, tone = pressure_text(customer.gas, results.get("static_pa"), results["working_pa"])
        out.append(Entry(o.completed_at or o.created_at, "pressure", _("Pressure check #%(id)d", id=o.id), text,
                         url_for("dispatch.order", order_id=o.id), tone))
    return out


def appliance_life(customer: Customer, appliance) -> date | None:
    if appliance.sold_on is None:
        return None
    return customer_rules.add_years(appliance.sold_on,
                                    customer_rules.appliance_life_years(appliance.kind, customer.gas))


def _appliance_entries(customer: Customer, today: date) -> list[Entry]:
    out = []
    for a in customer.appliances:
        name = " · ".join(x for x in (label(a.kind, "appliance_kind"), a.brand or "") if x)
        if a.sold_on:
            out.append(Entry(a.sold_on, "appliance", _("Appliance bought"), name))
        ends = appliance_life(customer, a)
        if ends and ends <= today and a.active:
            out.append(Entry(ends, "appliance", _("Appliance reached its service life"), name, None, "bad"))
    return out


def entries(actor, customer: Customer, today: date) -> list[Entry]:
    """The whole safety story of a customer, newest first."""
    require(actor, P.inspections_view)
    items = (_inspection_entries(customer, _inspections(customer)) + _hazard_entries(customer)
             + _sampled_pressures(customer) + _appliance_entries(customer, today))
    return sorted(items, key=lambda e: _sort_key(e.at), reverse=True)


def flags(customer: Customer) -> CustomerSafety | None:
    return db.session.execute(select(CustomerSafety).where(CustomerSafety.customer_id == customer.id)
                              ).scalar_one_or_none()


def open_hazards(customer: Customer) -> list[Hazard]:
    return list(db.session.execute(
        select(Hazard).where(Hazard.customer_id == customer.id, Hazard.status.not_in(list(rules.TERMINAL)))
        .options(joinedload(Hazard.result).joinedload(InspectionResult.item), joinedload(Hazard.work_order))
        .order_by(Hazard.deadline)).scalars())
