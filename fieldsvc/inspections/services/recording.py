"""Recording a visit: completed (checklist, appliances, pressure, findings → hazards; a supply shut
off → the customer's supply off for safety; a grade A finding → the HSE inbox), refused, or nobody
home (card, door-gap check on the third miss, long-term flag). Everything that can be refused is
refused before a file is written or a row added."""
import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldsvc import audit, clock, uploads
from fieldsvc.customers.models import Customer
from fieldsvc.dispatch.services.steps import new_order
from fieldsvc.errors import Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.inspections import rules
from fieldsvc.inspections.models import BatchCustomer, CustomerSafety, Inspection, InspectionResult
from fieldsvc.inspections.services import checklist, common, findings, hazards, shutoff
from fieldsvc.instruments import pressure as instruments
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require

SIGNATURE_PREFIX = "data:image/png;base64,"
MAX_SIGNATURE_CHARS = 2_000_000
CLOCK_SKEW = timedelta(minutes=10)  # a phone's clock may run a little ahead of the server's


def decode_signature(data_url: str) -> bytes:
    """The PNG bytes of the signature pad's data URL (the picture itself is checked by uploads)."""
    message = _("The signature could not be read. Please sign again.")
    if not data_url.startswith(SIGNATURE_PREFIX) or len(data_url) > MAX_SIGNATURE_CHARS:
        raise Invalid({"signature": [message]})
    try:
        return base64.b64decode(data_url[len(SIGNATURE_PREFIX):], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Invalid({"signature": [message]}) from exc


MISSING_MESSAGES = {
    "supply_shut_off": lambda: _("A grade A hazard: shut off the supply and record it."),
    "signature": lambda: _("The customer signs the hazard notice (or give the reason there is no signature)."),
    "refused_by": lambda: _("Record who refused entry."),
    "door_gap_check": lambda: _("Third visit with nobody home: record the door-gap leak check."),
}


def nobody_home_count(customer: Customer, at: datetime) -> int:
    """Nobody-home visits already recorded for the customer in the cycle containing `at`."""
    start, end = rules.cycle_bounds(clock.business_date(at), common.cycle_months()[customer.category])
    zone = clock.zone()
    return db.session.execute(select(func.count(Inspection.id)).where(
        Inspection.customer_id == customer.id, Inspection.outcome == rules.Outcome.nobody_home,
        Inspection.visited_at >= datetime.combine(start, datetime.min.time(), tzinfo=zone),
        Inspection.visited_at < datetime.combine(end, datetime.min.time(), tzinfo=zone))).scalar_one()


def _check_common(customer: Customer, data: dict) -> datetime:
    visited_at = data.get("visited_at") or clock.now()
    if visited_at.tzinfo is None:
        visited_at = visited_at.replace(tzinfo=clock.zone())
    if visited_at > utcnow() + CLOCK_SKEW:
        raise Invalid({"visited_at": [_("The visit cannot be in the future.")]})
    outcome = data["outcome"]
    errors = {}
    if outcome != rules.Outcome.completed:
        for name in ("items", "static_pa", "working_pa"):
            if data.get(name):
                errors[name] = [_("Only recorded when the inspection was completed.")]
    if data.get("static_pa") is not None and data.get("working_pa") is None:
        errors["working_pa"] = [_("Give the working pressure (burners on) too.")]
    if errors:
        raise Invalid(errors)
    return visited_at


def _missing(customer: Customer, data: dict, grades: list[str], visited_at: datetime) -> tuple[list[str], bool]:
    door_gap_needed = (data["outcome"] == rules.Outcome.nobody_home
                       and rules.door_gap_required(nobody_home_count(customer, visited_at) + 1))
    missing = rules.missing_records(data["outcome"], grades, bool(data.get("supply_shut_off")),
                                    bool(data.get("signature")), data.get("no_signature_reason"),
                                    data.get("refused_by"), door_gap_needed, data.get("door_gap_check"))
    return missing, door_gap_needed


@dataclass
class _Checked:
    """A visit that passed every check, ready to be written."""

    customer: Customer
    visited_at: datetime
    version: object
    answers: dict
    found: findings.Findings
    grades: list[str]
    signature: bytes | None
    missing: list[str]
    door_gap_needed: bool
    pressure: rules.PressureResult | None


def scope_for(actor) -> str:
    """What the actor's visit is: the household inspection (the whole checklist), or a pipe fitter's
    indoor pipe check (rules.PIPE_SECTIONS), for a recorder without the household permission."""
    require(actor, P.inspections_record)
    return rules.Scope.household if can(actor, P.inspections_household) else rules.Scope.indoor_pipe


def outcomes_for(scope: str) -> tuple[str, ...]:
    """A pipe check is recorded when it was made: nobody-home and refusals belong to the annual
    household cycle (cards, door-gap check, long-term list), which a pipe check does not count in."""
    if scope == rules.Scope.indoor_pipe:
        return (rules.Outcome.completed.value,)
    return tuple(o.value for o in rules.Outcome)


def _check(data: dict, photos: dict[str, bytes], strict: bool, scope: str = rules.Scope.household) -> _Checked:
    customer = db.session.get(Customer, data["customer_id"])
    if customer is None:
        raise Invalid({"customer_id": [_("No such customer.")]})
    if data["outcome"] not in outcomes_for(scope):
        raise Invalid({"outcome": [_("An indoor pipe check is recorded when it was made: a visit with nobody "
                                     "home or refused is left to the household inspection.")]})
    visited_at = _check_common(customer, data)
    completed = data["outcome"] == rules.Outcome.completed
    version = checklist.ensure_default() if completed else None
    found, answers = findings.Findings(), {}
    if completed:
        answers = findings.check_answers(version, customer, data.get("items") or [], scope)
        found = findings.check_appliances(customer, data.get("appliances"), data.get("new_appliances") or [])
        findings.raise_automatic(version, customer, answers, found, scope)
    unknown_photos = set(photos) - set(answers)
    if unknown_photos:
        raise Invalid({f"photo_{c}": [_("A photo belongs to an item that was checked.")] for c in unknown_photos})
    grades = [a.grade for a in answers.values() if not a.ok]
    signature = decode_signature(data["signature"]) if data.get("signature") else None
    missing, door_gap_needed = _missing(customer, data, grades, visited_at)
    if strict and missing:
        raise Invalid({code: [MISSING_MESSAGES[code]()] for code in missing})
    pressure = (common.evaluate(customer.gas, data.get("static_pa"), data["working_pa"])
                if completed and data.get("working_pa") is not None else None)
    if pressure is not None and data.get("instrument_id") is not None:  # the manometer must be in calibration
        instruments.check_reading(data["instrument_id"], clock.business_date(visited_at))
    return _Checked(customer, visited_at, version, answers, found, grades, signature, missing, door_gap_needed,
                    pressure)


def record(actor, data: dict, photos: dict[str, bytes] | None = None, strict: bool = True) -> Inspection:
    """Record a visit. data: customer_id, outcome, items [{code, ok, note, grade}], static_pa, working_pa,
    appliances (ids confirmed; None: all), new_appliances, card_left, door_gap_check, refused_by,
    refusal_reason, supply_shut_off, signature (PNG data URL), no_signature_reason, note, visited_at.

    strict (the form): what RULES.md §6 requires must be there, or nothing is saved (422).
    Not strict (the API contract names only a few fields): the visit is saved and what is missing is
    kept on it, shown to the inspector and the safety officer until completed (complete_record).
    """
    scope = scope_for(actor)  # requires inspections_record
    photos = {k: v for k, v in (photos or {}).items() if v}
    c = _check(data, photos, strict, scope)
    inspection = _insert(actor, c.customer, data, c.version, c.visited_at, c.pressure, c.missing, scope)
    _save_results(actor, inspection, findings.ordered(c.answers), photos)
    if c.version is not None:
        findings.save_appliances(actor, inspection.id, c.customer, c.found)
    if c.signature is not None:
        upload = uploads.save_image(actor, c.signature, "signature", "inspection", inspection.id, field="signature")
        inspection.signature_id = upload.id
    db.session.flush()
    audit.record(actor, "inspection.record", "inspection", inspection.id, customer_id=c.customer.id,
                 outcome=inspection.outcome, scope=scope, grades=c.grades, pressure=inspection.pressure_verdict,
                 restriction=inspection.restriction, missing=c.missing)
    hazards.open_hazards(actor, inspection)
    shutoff.after_record(actor, inspection)
    _follow_up_flags(actor, inspection, c.door_gap_needed)
    return inspection


def _insert(actor, customer: Customer, data: dict, version, visited_at: datetime, pressure,
            missing: list[str], scope: str = rules.Scope.household) -> Inspection:
    batch_id = None if scope != rules.Scope.household else db.session.execute(select(BatchCustomer.batch_id).where(
        BatchCustomer.customer_id == customer.id,
        BatchCustomer.cycle_start == rules.cycle_bounds(clock.business_date(visited_at),
                                                        common.cycle_months()[customer.category])[0])).scalar()
    completed = data["outcome"] == rules.Outcome.completed
    inspection = Inspection(
        customer_id=customer.id, inspector_id=actor.id, checklist_id=version.id if version else None,
        batch_id=batch_id, outcome=data["outcome"], scope=scope, visited_at=visited_at, gas=customer.gas,
        static_pa=data.get("static_pa") if completed else None,
        working_pa=data.get("working_pa") if completed else None,
        pressure_verdict=pressure.verdict.value if pressure else None,
        restriction=pressure.restriction if pressure else None,
        instrument_id=data.get("instrument_id") if pressure else None,
        card_left=bool(data.get("card_left")) and data["outcome"] == rules.Outcome.nobody_home,
        door_gap_check=data.get("door_gap_check") if data["outcome"] == rules.Outcome.nobody_home else None,
        refused_by=data.get("refused_by") if data["outcome"] == rules.Outcome.refused else None,
        refusal_reason=data.get("refusal_reason") if data["outcome"] == rules.Outcome.refused else None,
        supply_shut_off=bool(data.get("supply_shut_off")) and completed,
        no_signature_reason=data.get("no_signature_reason") if completed else None,
        note=data.get("note"), missing=",".join(missing) or None)
    db.session.add(inspection)
    db.session.flush()
    return inspection


def _save_results(actor, inspection: Inspection, answers, photos: dict[str, bytes]) -> None:
    for answer in answers:
        photo = photos.get(answer.item.code)
        upload = (uploads.save_image(actor, photo, "photo", "inspection", inspection.id,
                                     field=f"photo_{answer.item.code}") if photo else None)
        db.session.add(InspectionResult(inspection_id=inspection.id, item_id=answer.item.id,
                                        position=answer.item.position, code=answer.item.code, ok=answer.ok,
                                        grade=None if answer.ok else answer.grade,
                                        note=answer.note, photo_id=upload.id if upload else None,
                                        auto=answer.auto))
    db.session.flush()
    db.session.expire(inspection, ["results"])


def flags_for(customer_id: int) -> CustomerSafety:
    row = db.session.execute(select(CustomerSafety).where(CustomerSafety.customer_id == customer_id)
                             ).scalar_one_or_none()
    if row is None:
        row = CustomerSafety(customer_id=customer_id, long_term_uninspected=False, end_of_line=False)
        db.session.add(row)
    return row


def _follow_up_flags(actor, inspection: Inspection, door_gap_needed: bool) -> None:
    """Third nobody-home: long-term uninspected (and a leak at the door gap is an emergency);
    a completed inspection ends the long-term flag (a pipe check is not the household inspection)."""
    if inspection.scope != rules.Scope.household:
        return
    if inspection.outcome == rules.Outcome.completed:
        row = db.session.execute(select(CustomerSafety).where(
            CustomerSafety.customer_id == inspection.customer_id)).scalar_one_or_none()
        if row is not None and row.long_term_uninspected:
            row.long_term_uninspected, row.long_term_since, row.updated_at = False, None, utcnow()
            audit.record(actor, "customer_safety.long_term_end", "customer", inspection.customer_id,
                         inspection_id=inspection.id)
        return
    if inspection.outcome != rules.Outcome.nobody_home or not door_gap_needed:
        return
    row = flags_for(inspection.customer_id)
    if not row.long_term_uninspected:
        row.long_term_uninspected, row.updated_at = True, utcnow()
        row.long_term_since = clock.business_date(inspection.visited_at)
        audit.record(actor, "customer_safety.long_term", "customer", inspection.customer_id,
                     inspection_id=inspection.id, door_gap_check=inspection.door_gap_check)
    if inspection.door_gap_check == rules.DoorGap.leak:
        order = new_order(actor, {"type": "emergency", "customer_id": inspection.customer_id, "priority": "urgent",
                                  "description": _("Gas smelt at the door gap during a safety inspection "
                                                   "(nobody home).")})
        audit.record(actor, "inspection.door_gap_leak", "inspection", inspection.id, work_order_id=order.id)
    db.session.flush()


def get(actor, inspection_id: int) -> Inspection:
    """A visit, for whoever may see it (archive readers, its inspector, the pipe fitter sent to fix
    one of its findings); otherwise NotFound, so existence does not leak."""
    if not any(can(actor, p) for p in (P.inspections_view, P.inspections_record, P.hazards_rectify,
                                       P.hazards_view_all)):
        require(actor, P.inspections_view)
    if not common.inspection_visible(actor, inspection_id):
        raise NotFound(_("No such inspection."))
    return db.session.get(Inspection, inspection_id)


def complete_record(actor, inspection: Inspection, data: dict) -> Inspection:
    """Add what the visit lacked (shut-off, signature, who refused, door-gap check): the inspector
    who made the visit, or the safety officer."""
    require(actor, P.inspections_record)
    if inspection.inspector_id != actor.id and not can(actor, P.inspections_plan):
        raise NotFound(_("No such inspection."))
    missing = inspection.missing_codes
    if not missing:
        raise Invalid({"_schema": [_("This visit is already complete.")]})
    changes = {}
    if "supply_shut_off" in missing and data.get("supply_shut_off"):
        inspection.supply_shut_off = changes["supply_shut_off"] = True
    if "signature" in missing and data.get("signature"):
        upload = uploads.save_image(actor, decode_signature(data["signature"]), "signature", "inspection",
                                    inspection.id, field="signature")
        inspection.signature_id = changes["signature_id"] = upload.id
    elif "signature" in missing and data.get("no_signature_reason") and "A" not in _grades(inspection):
        inspection.no_signature_reason = changes["no_signature_reason"] = data["no_signature_reason"]
    if "refused_by" in missing and data.get("refused_by"):
        inspection.refused_by = changes["refused_by"] = data["refused_by"]
    if "door_gap_check" in missing and data.get("door_gap_check"):
        inspection.door_gap_check = changes["door_gap_check"] = data["door_gap_check"]
    still = rules.missing_records(inspection.outcome, _grades(inspection), inspection.supply_shut_off,
                                  inspection.signature_id is not None, inspection.no_signature_reason,
                                  inspection.refused_by, "door_gap_check" in missing, inspection.door_gap_check)
    if not changes:
        raise Invalid({code: [MISSING_MESSAGES[code]()] for code in still})
    inspection.missing = ",".join(still) or None
    db.session.flush()
    audit.record(actor, "inspection.complete_record", "inspection", inspection.id, changes=changes, missing=still)
    if "supply_shut_off" in changes:
        shutoff.shut_supply(actor, inspection)
    if inspection.door_gap_check == rules.DoorGap.leak and "door_gap_check" in changes:
        _follow_up_flags(actor, inspection, True)
    return inspection


def _grades(inspection: Inspection) -> list[str]:
    return [r.grade for r in inspection.results if not r.ok]
