"""Moving a complaint along the state table (rules.TRANSITIONS), starting its work order, notes.

Every move: the actor's permission for that move (handler or approver), the move's own checks, the
fields it sets, one history line and one audit entry. An illegal move is a Conflict (409).
"""
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc.auth.models import User
from fieldsvc.complaints import rules
from fieldsvc.complaints.labels import GROUPS
from fieldsvc.complaints.models import Complaint, ComplaintSolution
from fieldsvc.complaints.services.access import get_complaint
from fieldsvc.complaints.services.common import check_version, flush, record_event, resolve_due
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require
from fieldsvc.statemachine import Step, permitted


def _label(group: str, value) -> str:
    return str(GROUPS[group].get(str(value), value))


def _required(data: dict, field: str):
    value = data.get(field)
    if isinstance(value, str):
        value = value.strip()
    if not value:
        raise Invalid({field: [_("This field is required.")]})
    return value


def authorise_move(actor, complaint: Complaint, move: rules.Move) -> None:
    """Refuse unless this actor may make this move: the approver's need approval, the rest handling."""
    require(actor, P.complaints_approve if move.by == rules.By.approver else P.complaints_handle)


def check_move(actor, complaint: Complaint, to: str) -> rules.Move:
    """The move from the complaint's state to `to`, if legal and this actor may make it."""
    move = rules.move(complaint.status, to)
    if move is None:
        raise Conflict(_("A complaint that is %(from)s cannot become %(to)s.",
                         **{"from": _label("complaint_status", complaint.status),
                            "to": _label("complaint_status", to)}))
    authorise_move(actor, complaint, move)
    return move


def available_moves(actor, complaint: Complaint) -> list[Step]:
    """What the complaint's page offers this actor: exactly the moves transition() would accept now,
    the usual step first and the ones that need a reason after it."""
    steps = rules.MACHINE.allowed(complaint.status, permitted(lambda move: authorise_move(actor, complaint, move)))
    return sorted(steps, key=lambda step: step.needs_reason)


def transition(actor, complaint_id: int, to: str, data: dict | None = None, version: int | None = None) -> Complaint:
    """Move a complaint. data carries what the move needs (see the _do_* functions) and `note`."""
    data = data or {}
    complaint = get_complaint(actor, complaint_id)
    move = check_move(actor, complaint, to)
    check_version(complaint, version)
    note = (data.get("note") or "").strip() or None
    if move.needs_reason and not note:
        raise Invalid({"note": [_("Please give the reason.")]})
    from_status = complaint.status
    extra = STEPS.get(move.action, _no_fields)(actor, complaint, data, note) or {}
    if move.reopens:
        _reopen(complaint)
    complaint.status = to
    flush()
    record_event(actor, complaint, move.action, from_status, note, **extra)
    if move.action == "contact" and data.get("order_type"):
        start_order(actor, complaint.id, data["order_type"], data)
    return complaint


def _no_fields(actor, complaint, data, note):
    return {}


def _do_contact(actor, complaint: Complaint, data: dict, note):
    """First contact: judged valid and routed to the responsible department."""
    department = _required(data, "department")
    if department not in rules.DEPARTMENTS:
        raise Invalid({"department": [_("Choose the responsible department.")]})
    if data.get("order_type"):
        _check_order_type(complaint, data["order_type"])
        _order_place(complaint, data)  # fail before anything is written
    complaint.valid, complaint.department = True, department
    complaint.first_contacted_at = complaint.first_contacted_at or utcnow()
    return {"department": department}


def _do_reject_invalid(actor, complaint: Complaint, data: dict, note):
    """Not valid: the polite answer with the reason is also the first contact."""
    complaint.valid, complaint.invalid_reason = False, note
    complaint.first_contacted_at = complaint.first_contacted_at or utcnow()
    return {}


def _do_acknowledge(actor, complaint: Complaint, data: dict, note):
    complaint.closed_at = utcnow()
    return {}


def _do_propose(actor, complaint: Complaint, data: dict, note):
    """Cause, responsible person, and one or more proposed solutions (with any compensation)."""
    cause = _required(data, "cause")
    if cause not in rules.CAUSES:
        raise Invalid({"cause": [_("Choose the cause.")]})
    responsible_id = data.get("responsible_id")
    if responsible_id:
        user = db.session.get(User, responsible_id)
        if user is None or not user.active:
            raise Invalid({"responsible_id": [_("No such active member of staff.")]})
    solutions = [s for s in data.get("solutions") or [] if (s.get("description") or "").strip()]
    if not solutions:
        raise Invalid({"solutions": [_("Propose at least one solution.")]})
    for s in solutions:
        if s.get("compensation") is not None and Decimal(s["compensation"]) < 0:
            raise Invalid({"solutions": [_("Compensation cannot be negative.")]})
    complaint.cause, complaint.cause_detail = cause, (data.get("cause_detail") or "").strip() or None
    complaint.responsible_id = responsible_id or None
    for s in solutions:
        complaint.solutions.append(ComplaintSolution(description=s["description"].strip(),
                                                     compensation=s.get("compensation"), proposed_by_id=actor.id))
    return {"cause": cause, "solutions": len(solutions)}


def _do_approve(actor, complaint: Complaint, data: dict, note):
    """The director chooses one of the proposed solutions."""
    solution_id = data.get("solution_id")
    chosen = next((s for s in complaint.current_solutions if s.id == solution_id), None)
    if chosen is None:
        raise Invalid({"solution_id": [_("Choose one of the proposed solutions.")]})
    chosen.approved = True
    complaint.approved_by_id, complaint.approved_at = actor.id, utcnow()
    complaint.compensation = chosen.compensation
    return {"solution_id": chosen.id, "compensation": chosen.compensation}


def _do_send_back(actor, complaint: Complaint, data: dict, note):
    _withdraw_solutions(complaint)
    return {}


def _do_resolve(actor, complaint: Complaint, data: dict, note):
    """The chosen solution is carried out: what was done, and the compensation actually given."""
    actions = _required(data, "actions")
    if data.get("compensation") is not None:
        if Decimal(data["compensation"]) < 0:
            raise Invalid({"compensation": [_("Compensation cannot be negative.")]})
        complaint.compensation = data["compensation"]
    complaint.actions_taken = actions.strip()
    complaint.resolved_at = utcnow()
    return {"compensation": complaint.compensation}


def _do_confirm(actor, complaint: Complaint, data: dict, note):
    complaint.closed_at = utcnow()
    return {}


STEPS = {"contact": _do_contact, "reject_invalid": _do_reject_invalid, "acknowledge": _do_acknowledge,
         "propose": _do_propose, "approve": _do_approve, "send_back": _do_send_back,
         "resolve": _do_resolve, "confirm": _do_confirm}


def _withdraw_solutions(complaint: Complaint) -> None:
    for s in complaint.current_solutions:
        s.withdrawn = True
    complaint.approved_by_id = complaint.approved_at = None


def _reopen(complaint: Complaint) -> None:
    """Back to investigation: the solutions are withdrawn and a new resolution clock starts now."""
    now = utcnow()
    _withdraw_solutions(complaint)
    complaint.reopen_count = (complaint.reopen_count or 0) + 1
    complaint.resolved_at = complaint.closed_at = None
    complaint.valid = True
    complaint.resolve_due = resolve_due(complaint.category, now)


# --- the work order ----------------------------------------------------------------------------------

def _check_order_type(complaint: Complaint, order_type: str) -> None:
    if order_type not in rules.order_types_for(complaint.category):
        raise Invalid({"order_type": [_("This kind of complaint does not start that kind of order.")]})


def _order_place(complaint: Complaint, data: dict) -> dict:
    """The customer, or the address and district (from the complaint or typed with the order)."""
    if complaint.customer_id:
        return {"customer_id": complaint.customer_id}
    address = (data.get("address") or complaint.address or "").strip()
    district_id = data.get("district_id") or complaint.district_id
    errors = {}
    if not address:
        errors["address"] = [_("Give the address for the work order.")]
    if not district_id:
        errors["district_id"] = [_("Choose the district.")]
    if errors:
        raise Invalid(errors)
    return {"address": address, "district_id": district_id}


def start_order(actor, complaint_id: int, order_type: str, data: dict | None = None) -> Complaint:
    """Start the work order the category calls for (meter verification, emergency, …) and keep its id."""
    from fieldsvc.dispatch.models import WorkOrder
    from fieldsvc.dispatch.services.steps import new_order
    data = data or {}
    require(actor, P.complaints_handle)
    complaint = get_complaint(actor, complaint_id)
    if complaint.status in rules.FINAL or complaint.status == rules.Status.rejected_invalid:
        raise Conflict(_("A complaint that is %(status)s starts no work order.",
                         status=_label("complaint_status", complaint.status)))
    _check_order_type(complaint, order_type)
    if complaint.work_order_id:
        current = db.session.get(WorkOrder, complaint.work_order_id)
        if current is not None and current.status != "cancelled":
            raise Conflict(_("This complaint already has work order #%(id)d.", id=current.id))
    place = _order_place(complaint, data)
    order = new_order(actor, {"type": order_type, **place, "priority": rules.order_priority(complaint.category),
                              "contact_name": complaint.contact_name, "contact_phone": complaint.contact_phone,
                              "description": _("Complaint %(no)s: %(text)s", no=complaint.tracking_no,
                                               text=complaint.description)})
    complaint.work_order = order  # the relationship, not only the id: the answer is drawn before the commit
    if not complaint.address and place.get("address"):
        complaint.address, complaint.district_id = place["address"], place["district_id"]
    flush()
    record_event(actor, complaint, "order", complaint.status, work_order_id=order.id, order_type=order_type)
    return complaint


def add_note(actor, complaint_id: int, note: str) -> Complaint:
    """Anyone who sees the complaint (its owner included) may add a note to its history."""
    complaint = get_complaint(actor, complaint_id)
    if not (note or "").strip():
        raise Invalid({"note": [_("This field is required.")]})
    record_event(actor, complaint, "note", complaint.status, note.strip())
    return complaint


def staff_for_responsible(actor) -> list[User]:
    require(actor, P.complaints_handle)
    return list(db.session.execute(select(User).where(User.active.is_(True)).order_by(User.role, User.name)).scalars())
