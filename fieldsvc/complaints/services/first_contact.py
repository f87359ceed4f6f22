"""The first-contact owner's duty (首问负责制): the owner records the reply given to the customer and may
hand the complaint over to a named colleague with a note. Both go on the complaint's history.

Who: the current owner, or the director (P.complaints_approve: the one who oversees every complaint).
Hand over to: an active member of staff who may handle complaints (P.complaints_handle), not the owner.
The reply reaches the public status page once a solution is approved, so it is refused when it carries
a phone number or the name of a member of staff or of the complainant (rules.reply_problems).
"""
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc.auth.models import User
from fieldsvc.complaints import rules
from fieldsvc.complaints.models import Complaint
from fieldsvc.complaints.services.access import get_complaint
from fieldsvc.complaints.services.common import check_version, flush, record_event
from fieldsvc.complaints.services.handling import _label
from fieldsvc.errors import Conflict, Invalid, NotAllowed
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, can, require


def may_act(actor, complaint: Complaint) -> bool:
    """The owner's duty falls to the owner; the director may step in. Only while the complaint is open."""
    if complaint.status not in rules.OPEN:
        return False
    return actor.id == complaint.owner_id or can(actor, P.complaints_approve)


def _check(actor, complaint_id: int, version: int | None) -> Complaint:
    require(actor, P.complaints_intake)
    complaint = get_complaint(actor, complaint_id)  # 404 for whoever may not see it
    if actor.id != complaint.owner_id and not can(actor, P.complaints_approve):
        raise NotAllowed(_("Only the owner of the complaint (or the director) may do this."))
    if complaint.status not in rules.OPEN:
        raise Conflict(_("A complaint that is %(status)s is finished: nothing more to reply or hand over.",
                         status=_label("complaint_status", complaint.status)))
    check_version(complaint, version)
    return complaint


def _staff_names() -> list[str]:
    return list(db.session.execute(select(User.name).where(User.name.is_not(None))).scalars())


def reply(actor, complaint_id: int, text: str, version: int | None = None) -> Complaint:
    """Record the reply given to the customer (it replaces the previous one; the history keeps both)."""
    complaint = _check(actor, complaint_id, version)
    text = (text or "").strip()
    if not text:
        raise Invalid({"text": [_("This field is required.")]})
    if len(text) > rules.REPLY_MAX:
        raise Invalid({"text": [_("At most %(n)d characters.", n=rules.REPLY_MAX)]})
    problems = rules.reply_problems(text, [*_staff_names(), complaint.contact_name])
    messages = []
    if "phone" in problems:
        messages.append(_("The customer sees this reply on the public status page: leave out phone numbers "
                          "(and other long numbers such as account numbers)."))
    if "names" in problems:
        messages.append(_("Leave out names (%(names)s): the status page is public.",
                          names=", ".join(problems["names"])))
    if messages:
        raise Invalid({"text": messages})
    complaint.reply_text, complaint.replied_at, complaint.replied_by_id = text, utcnow(), actor.id
    flush()
    record_event(actor, complaint, "reply", complaint.status, text)
    return complaint


def handover_candidates(actor, complaint: Complaint) -> list[User]:
    """Whom the owner may hand the complaint to: active staff who may handle complaints, not the owner."""
    if not may_act(actor, complaint):
        return []
    users = db.session.execute(select(User).where(User.active.is_(True), User.id != complaint.owner_id)
                               .order_by(User.role, User.name, User.id)).scalars()
    return [u for u in users if can(u, P.complaints_handle)]


def handover(actor, complaint_id: int, to_user_id: int, note: str, version: int | None = None) -> Complaint:
    """Hand the complaint over: the named colleague becomes its owner (it is in their list from now on)."""
    complaint = _check(actor, complaint_id, version)
    note = (note or "").strip()
    errors = {}
    target = db.session.get(User, to_user_id) if to_user_id and 0 < to_user_id <= 2**31 - 1 else None
    if target is None or not target.active or not can(target, P.complaints_handle):
        errors["to_user_id"] = [_("Choose a colleague who handles complaints.")]
    elif target.id == complaint.owner_id:
        errors["to_user_id"] = [_("This colleague owns the complaint already.")]
    if not note:
        errors["note"] = [_("Say why, and what the colleague should know.")]
    if errors:
        raise Invalid(errors)
    from_owner = complaint.owner_id
    complaint.owner_id = target.id
    complaint.owner = target
    flush()
    record_event(actor, complaint, "handover", complaint.status, note, from_owner_id=from_owner,
                 to_owner_id=target.id, to_name=target.name)
    return complaint
