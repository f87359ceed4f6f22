"""External attendees of a training session: a contractor's people, who are not staff users (name,
contractor, optional ID number, score). Whoever may add staff attendees to the session may add them
(units.training_scope: the organiser, or the unit head for their unit's session)."""
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import audit
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.hse import rules
from fieldsvc.hse.models import TrainingSession
from fieldsvc.hse.models.training_external import ExternalAttendance
from fieldsvc.hse.services import units
from fieldsvc.hse.services.training import ENTITY, _check_score
from fieldsvc.permissions import P, require


def _contractor_name(contractor_id) -> str | None:
    """The contractor's name (None: no such contractor, or the contractors module is not installed)."""
    import fieldsvc
    if not contractor_id or "contractors" not in fieldsvc.DOMAINS:
        return None
    from fieldsvc.contractors.services import register
    contractor = register.find(contractor_id)
    return contractor.name if contractor is not None else None


def for_session(session: TrainingSession) -> list[ExternalAttendance]:
    return list(db.session.execute(select(ExternalAttendance).where(ExternalAttendance.session_id == session.id)
                                   .order_by(ExternalAttendance.id)).scalars())


def for_contractor(actor, contractor_id: int) -> list[ExternalAttendance]:
    """The contractor's trained people, newest session first."""
    require(actor, P.hse_view)
    stmt = (select(ExternalAttendance).join(TrainingSession).where(ExternalAttendance.contractor_id == contractor_id)
            .order_by(TrainingSession.held_on.desc(), ExternalAttendance.id))
    return list(db.session.execute(stmt).unique().scalars())


def require_editor(actor, session: TrainingSession) -> None:
    """Refuse (403, or 404 for another unit's session) before a form is even read."""
    units.training_scope(actor, session)


def add_external(actor, session: TrainingSession, data: dict) -> ExternalAttendance:
    """data: name, contractor_id, optional id_no and score. The same ID number twice in a session is refused."""
    units.training_scope(actor, session)
    name = (data.get("name") or "").strip()
    if not name:
        raise Invalid({"ext_name": [_("This field is required.")]})
    if _contractor_name(data.get("contractor_id")) is None:
        raise Invalid({"ext_contractor_id": [_("Choose the contractor.")]})
    id_no = (data.get("id_no") or "").strip() or None
    if id_no and db.session.execute(select(ExternalAttendance.id).where(
            ExternalAttendance.session_id == session.id, ExternalAttendance.id_no == id_no)).first():
        raise Invalid({"ext_id_no": [_("This person is already on the list.")]})
    score = _check_score(data.get("score"), "ext_score")
    row = ExternalAttendance(session_id=session.id, name=name[:60], contractor_id=data["contractor_id"], id_no=id_no,
                             score=score, passed=rules.passed(score), added_by=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "hse_training.external_add", ENTITY, session.id, attendance_id=row.id, name=row.name,
                 contractor_id=row.contractor_id, score=score)
    return row


def contractor_options() -> list[tuple[str, str]]:
    """(id, name) of the contractors in the register, for the session page's picker."""
    import fieldsvc
    if "contractors" not in fieldsvc.DOMAINS:
        return []
    from fieldsvc.contractors.services import register
    return [(str(i), n) for i, n in register.choices()]


def names(rows) -> dict[int, str]:
    """{contractor_id: name} for the rows shown."""
    return {r.contractor_id: _contractor_name(r.contractor_id) or "—" for r in rows}
