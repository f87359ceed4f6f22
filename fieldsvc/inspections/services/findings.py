"""What a completed visit found: checklist answers checked against the version in force, appliances
confirmed or added, and the findings the system raises by itself (appliance or meter past its life)."""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import audit, clock
from fieldsvc.customers import rules as customer_rules
from fieldsvc.customers.models import Appliance, Customer, Meter
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import ChecklistItem, ChecklistVersion, InspectionAppliance
from fieldsvc.inspections.services import checklist
from fieldsvc.labels import label

APPLIANCE_FIELDS = ("kind", "brand", "model", "sold_on", "flame_failure", "flue_type")


@dataclass
class Answer:
    item: ChecklistItem
    ok: bool
    note: str | None = None
    auto: bool = False
    grade_override: str | None = None  # the technician may judge a finding graver or lighter

    @property
    def grade(self) -> str:
        return self.grade_override or self.item.grade


@dataclass
class Findings:
    seen: list[Appliance] = field(default_factory=list)  # existing appliances confirmed
    unseen: list[Appliance] = field(default_factory=list)
    new: list[dict] = field(default_factory=list)  # appliances to add


def check_answers(version: ChecklistVersion, customer: Customer, items: list[dict],
                  scope: str = rules.Scope.household) -> dict[str, Answer]:
    """The technician's answers by code; unknown, duplicated or inapplicable codes (or items outside
    the visit's scope: a pipe fitter's check walks rules.PIPE_SECTIONS) are refused."""
    known = {code: item for code, item in checklist.by_code(version).items()
             if rules.item_in_scope(item.section, scope)}
    answers: dict[str, Answer] = {}
    errors = []
    for row in items:
        item = known.get(row["code"])
        if item is None or not item.applies_to(customer.category):
            errors.append(_("Unknown checklist item: %(code)s", code=row["code"]))
        elif row["code"] in answers:
            errors.append(_("Checklist item given twice: %(code)s", code=row["code"]))
        else:
            answers[row["code"]] = Answer(item, bool(row["ok"]), row.get("note"), grade_override=row.get("grade"))
    if errors:
        raise Invalid({"items": errors})
    return answers


def check_appliances(customer: Customer, confirmed: list[int] | None, new: list[dict]) -> Findings:
    """Split the customer's active appliances into seen / not seen; `confirmed` None means all seen
    (the API sends no appliance list). New ones are validated like the customer page does."""
    active = [a for a in customer.appliances if a.active]
    ids = {a.id for a in active}
    if confirmed is not None and not set(confirmed) <= ids:
        raise Invalid({"appliances": [_("This appliance is not one of the customer's.")]})
    seen = active if confirmed is None else [a for a in active if a.id in set(confirmed)]
    return Findings(seen=seen, unseen=[a for a in active if a not in seen], new=new)


def _expired_appliance_note(customer: Customer, appliances) -> str | None:
    today = clock.today()
    expired = [a for a in appliances
               if customer_rules.appliance_expired(a["kind"] if isinstance(a, dict) else a.kind, customer.gas,
                                                   a.get("sold_on") if isinstance(a, dict) else a.sold_on, today)]
    if not expired:
        return None
    names = []
    for a in expired:
        kind, brand, sold = ((a["kind"], a.get("brand"), a.get("sold_on")) if isinstance(a, dict)
                             else (a.kind, a.brand, a.sold_on))
        names.append(" ".join(x for x in (label(kind, "appliance_kind"), brand or "", str(sold)) if x))
    return _("Past its service life: %(list)s", list="; ".join(names))


def _meter_expired_note(customer: Customer) -> str | None:
    meters = db.session.execute(select(Meter).where(Meter.customer_id == customer.id,
                                                    Meter.status == "installed")).scalars()
    today = clock.today()
    expired = [m.serial_no for m in meters
               if customer_rules.meter_life_status(m.size, customer.gas, m.first_verified_on, today) == "expired"]
    return _("Meter past its service life: %(list)s", list=", ".join(expired)) if expired else None


def raise_automatic(version: ChecklistVersion, customer: Customer, answers: dict[str, Answer],
                    findings: Findings, scope: str = rules.Scope.household) -> None:
    """An appliance or a meter past its life is a finding whatever was ticked (RULES.md §2, §6), when
    its item is one the visit's scope walks."""
    known = {code: item for code, item in checklist.by_code(version).items()
             if rules.item_in_scope(item.section, scope)}
    for code, note in (("appliance_expired", _expired_appliance_note(customer, [*findings.seen, *findings.new])),
                       ("meter_expired", _meter_expired_note(customer))):
        if note is None or code not in known:
            continue
        previous = answers.get(code)
        if previous is not None and not previous.ok:
            previous.note = "; ".join(x for x in (previous.note, note) if x)
        else:
            answers[code] = Answer(known[code], False, note, auto=True)


def automatic_codes(customer: Customer) -> set[str]:  # the form shows only the items it walks
    """What the system will raise for this customer as things stand (the form pre-marks them)."""
    codes = set()
    if _expired_appliance_note(customer, [a for a in customer.appliances if a.active]):
        codes.add("appliance_expired")
    if _meter_expired_note(customer):
        codes.add("meter_expired")
    return codes


def ordered(answers: dict[str, Answer]) -> list[Answer]:
    return sorted(answers.values(), key=lambda a: a.item.position)


def save_appliances(actor, inspection_id: int, customer: Customer, findings: Findings) -> None:
    """Record what was confirmed; add the new appliances to the customer's record.

    Inspectors may add appliances found at the visit (their own permission): the row is the same
    the customer page writes, and the audit action is the same, so the customer timeline shows it.
    """
    today = clock.today()
    for appliance in findings.seen + findings.unseen:
        db.session.add(InspectionAppliance(
            inspection_id=inspection_id, appliance_id=appliance.id, seen=appliance in findings.seen,
            expired=customer_rules.appliance_expired(appliance.kind, customer.gas, appliance.sold_on, today)))
    for data in findings.new:
        appliance = Appliance(customer=customer, **{k: data[k] for k in APPLIANCE_FIELDS if k in data})
        db.session.add(appliance)
        db.session.flush()
        audit.record(actor, "appliance.add", "customer", customer.id, appliance_id=appliance.id,
                     kind=appliance.kind, inspection_id=inspection_id)
        db.session.add(InspectionAppliance(
            inspection_id=inspection_id, appliance_id=appliance.id, seen=True, added=True,
            expired=customer_rules.appliance_expired(appliance.kind, customer.gas, appliance.sold_on, today)))
