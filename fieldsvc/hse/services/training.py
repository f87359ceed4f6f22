"""Training: topics, the topics each role must hold (with a refresh interval), sessions with their
attendees and scores, each person's record, the matrix of who is due for what; and the customer
safety publicity campaigns with their records."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldsvc import audit
from fieldsvc.auth.models import User
from fieldsvc.errors import Duplicate, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.hse import rules
from fieldsvc.hse.models import (
    HseCampaign,
    HseCampaignRecord,
    TrainingAttendance,
    TrainingRequirement,
    TrainingSession,
    TrainingTopic,
)
from fieldsvc.hse.services import units
from fieldsvc.hse.services.common import active_user, paged, require_any
from fieldsvc.permissions import P, Role, can, require

ENTITY = "hse_training"


# --- topics and requirements ----------------------------------------------------------------------

def list_topics(actor) -> list[TrainingTopic]:
    require(actor, P.hse_view)
    return list(db.session.execute(select(TrainingTopic).order_by(TrainingTopic.name)).scalars())


def create_topic(actor, name: str, description: str | None = None) -> TrainingTopic:
    require(actor, P.training_manage)
    name = (name or "").strip()
    if not name:
        raise Invalid({"name": [_("This field is required.")]})
    if db.session.execute(select(TrainingTopic.id).where(TrainingTopic.name == name)).first():
        raise Duplicate("name", _("This topic already exists."))  # a race past this: the unique index, 409
    topic = TrainingTopic(name=name, description=(description or "").strip() or None)
    db.session.add(topic)
    db.session.flush()
    audit.record(actor, "hse_training.topic_create", ENTITY, topic.id, name=name)
    return topic


def list_requirements(actor) -> list[TrainingRequirement]:
    require(actor, P.hse_view)
    stmt = select(TrainingRequirement).join(TrainingTopic).order_by(TrainingTopic.name, TrainingRequirement.role)
    return list(db.session.execute(stmt).unique().scalars())


def set_requirement(actor, topic_id: int, role: str, interval_months: int) -> TrainingRequirement:
    """Role must hold the topic, refreshed every interval_months (changing the interval if it exists)."""
    require(actor, P.training_manage)
    if db.session.get(TrainingTopic, topic_id or 0) is None:
        raise Invalid({"topic_id": [_("Choose a topic.")]})
    if role not in {r.value for r in Role}:
        raise Invalid({"role": [_("Choose a role.")]})
    if not interval_months or not 1 <= int(interval_months) <= 120:
        raise Invalid({"interval_months": [_("Between 1 and 120 months.")]})
    requirement = db.session.execute(select(TrainingRequirement).where(
        TrainingRequirement.topic_id == topic_id, TrainingRequirement.role == role)).scalar_one_or_none()
    if requirement is None:
        requirement = TrainingRequirement(topic_id=topic_id, role=role, interval_months=int(interval_months))
        db.session.add(requirement)
    else:
        requirement.interval_months = int(interval_months)
    db.session.flush()
    audit.record(actor, "hse_training.requirement_set", ENTITY, topic_id, role=role,
                 interval_months=int(interval_months))
    return requirement


def remove_requirement(actor, requirement_id: int) -> None:
    require(actor, P.training_manage)
    requirement = db.session.get(TrainingRequirement, requirement_id)
    if requirement is None:
        raise NotFound()
    audit.record(actor, "hse_training.requirement_remove", ENTITY, requirement.topic_id, role=requirement.role)
    db.session.delete(requirement)
    db.session.flush()


# --- sessions -------------------------------------------------------------------------------------

def _check_score(score, field: str) -> Decimal | None:
    if score is None or score == "":
        return None
    try:
        value = Decimal(str(score))
    except ArithmeticError as exc:
        raise Invalid({field: [_("Not a valid number.")]}) from exc
    if not value.is_finite() or not 0 <= value <= 100:
        raise Invalid({field: [_("A score is between 0 and 100.")]})
    return value


def create_session(actor, data: dict) -> TrainingSession:
    """data: topic_id, held_on, hours, trainer, optional place, note, attendee_ids. A unit head's session
    belongs to their unit."""
    unit = units.training_scope(actor)
    if db.session.get(TrainingTopic, data.get("topic_id") or 0) is None:
        raise Invalid({"topic_id": [_("Choose a topic.")]})
    hours = data.get("hours")
    if hours is None or not Decimal(0) < Decimal(hours) <= Decimal(100):
        raise Invalid({"hours": [_("More than 0 and at most 100 hours.")]})
    session = TrainingSession(topic_id=data["topic_id"], held_on=data["held_on"], hours=Decimal(hours),
                              trainer=data["trainer"], place=data.get("place"), note=data.get("note"),
                              unit=unit.unit if unit else None, district_id=unit.district_id if unit else None,
                              created_by=actor.id)
    db.session.add(session)
    db.session.flush()
    audit.record(actor, "hse_training.session_create", ENTITY, session.id, topic_id=session.topic_id,
                 held_on=session.held_on)
    add_attendees(actor, session, data.get("attendee_ids") or [])
    return session


def add_attendees(actor, session: TrainingSession, user_ids) -> int:
    units.training_scope(actor, session)
    have = {a.user_id for a in session.attendances}
    added = 0
    for user_id in dict.fromkeys(int(u) for u in user_ids):
        if user_id in have:
            continue
        active_user(user_id, "attendee_ids")
        db.session.add(TrainingAttendance(session=session, user_id=user_id, passed=True))
        added += 1
    if added:
        db.session.flush()
        audit.record(actor, "hse_training.attendees_add", ENTITY, session.id, count=added)
    return added


def record_scores(actor, session: TrainingSession, scores: dict) -> None:
    """scores: {attendance_id: score or None}; passed follows rules.passed (60 by default)."""
    units.training_scope(actor, session)
    by_id = {a.id: a for a in session.attendances}
    changes = {}
    for attendance_id, raw in scores.items():
        attendance = by_id.get(int(attendance_id))
        if attendance is None:
            continue
        score = _check_score(raw, f"score_{attendance_id}")
        if score != attendance.score:
            changes[attendance.user_id] = [attendance.score, score]
            attendance.score, attendance.passed = score, rules.passed(score)
    if changes:
        db.session.flush()
        audit.record(actor, "hse_training.scores", ENTITY, session.id, changes=changes)


def get_session(actor, session_id: int) -> TrainingSession:
    require(actor, P.hse_view)
    session = db.session.get(TrainingSession, session_id)
    if session is None:
        raise NotFound()
    return session


def list_sessions(actor, page: int = 1, per_page: int = 50) -> tuple[list[TrainingSession], int]:
    require(actor, P.hse_view)
    return paged(select(TrainingSession), page, per_page, (TrainingSession.held_on.desc(), TrainingSession.id.desc()))


# --- records and the matrix -----------------------------------------------------------------------

def _may_see_person(actor, user: User) -> bool:
    return user.id == actor.id or can(actor, P.training_manage) or can(actor, P.hse_manage)


def person_record(actor, user: User) -> list[TrainingAttendance]:
    """Everything a person attended, newest first (their own, or anyone's for the safety office)."""
    require(actor, P.hse_view)
    if not _may_see_person(actor, user):
        raise NotFound()
    stmt = (select(TrainingAttendance).join(TrainingSession).where(TrainingAttendance.user_id == user.id)
            .order_by(TrainingSession.held_on.desc()))
    return list(db.session.execute(stmt).unique().scalars())


@dataclass(frozen=True)
class Cell:
    requirement: TrainingRequirement
    status: str  # ok | due | overdue | missing
    last_on: date | None
    due_on: date | None


def _last_passed(user_ids, today: date) -> dict[tuple[int, int], date]:
    stmt = (select(TrainingAttendance.user_id, TrainingSession.topic_id, func.max(TrainingSession.held_on))
            .join(TrainingSession).where(TrainingAttendance.passed.is_(True), TrainingSession.held_on <= today,
                                         TrainingAttendance.user_id.in_(list(user_ids)))
            .group_by(TrainingAttendance.user_id, TrainingSession.topic_id))
    return {(u, t): d for u, t, d in db.session.execute(stmt)}


def _cells(users, today: date) -> dict[int, list[Cell]]:
    by_role: dict[str, list[TrainingRequirement]] = {}
    for requirement in db.session.execute(select(TrainingRequirement)).unique().scalars():
        by_role.setdefault(requirement.role, []).append(requirement)
    last = _last_passed([u.id for u in users], today) if users else {}
    out = {}
    for user in users:
        cells = []
        for requirement in sorted(by_role.get(user.role, []), key=lambda r: r.topic.name):
            last_on = last.get((user.id, requirement.topic_id))
            status, due_on = rules.training_status(last_on, requirement.interval_months, today)
            cells.append(Cell(requirement, status, last_on, due_on))
        out[user.id] = cells
    return out


def my_status(actor, today: date) -> list[Cell]:
    require(actor, P.hse_view)
    return _cells([actor], today)[actor.id]


def person_status(actor, user: User, today: date) -> list[Cell]:
    require(actor, P.hse_view)
    if not _may_see_person(actor, user):
        raise NotFound()
    return _cells([user], today)[user.id]


def matrix(actor, today: date, only_due: bool = False) -> tuple[list[TrainingTopic], list[tuple[User, dict]]]:
    """(topics required of anyone, [(user, {topic_id: Cell})]) for every active member of staff."""
    require_any(actor, P.training_manage, P.hse_manage)
    users = list(db.session.execute(select(User).where(User.active.is_(True)).order_by(User.role, User.name))
                 .scalars())
    cells = _cells(users, today)
    topic_ids = {c.requirement.topic_id for row in cells.values() for c in row}
    topics = [t for t in list_topics(actor) if t.id in topic_ids]
    rows = []
    for user in users:
        row = {c.requirement.topic_id: c for c in cells[user.id]}
        if only_due and not any(c.status != "ok" for c in row.values()):
            continue
        rows.append((user, row))
    return topics, rows


def due_count(actor, today: date) -> int:
    """People-topics overdue or never trained (for the dashboard)."""
    _topics, rows = matrix(actor, today)
    return sum(1 for _user, row in rows for c in row.values() if c.status in ("overdue", "missing"))


# --- publicity campaigns --------------------------------------------------------------------------

def list_campaigns(actor) -> list[HseCampaign]:
    require(actor, P.hse_view)
    return list(db.session.execute(select(HseCampaign).order_by(HseCampaign.starts_on.desc())).scalars())


def get_campaign(actor, campaign_id: int) -> HseCampaign:
    require(actor, P.hse_view)
    campaign = db.session.get(HseCampaign, campaign_id)
    if campaign is None:
        raise NotFound()
    return campaign


def create_campaign(actor, data: dict) -> HseCampaign:
    require(actor, P.training_manage)
    if data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        raise Invalid({"ends_on": [_("The end is before the start.")]})
    campaign = HseCampaign(title=data["title"], theme=data.get("theme"), starts_on=data["starts_on"],
                        ends_on=data.get("ends_on"), created_by=actor.id)
    db.session.add(campaign)
    db.session.flush()
    audit.record(actor, "hse_campaign.create", "hse_campaign", campaign.id, title=campaign.title)
    return campaign


def add_campaign_record(actor, campaign: HseCampaign, data: dict) -> HseCampaignRecord:
    """Any member of staff who ran a publicity stand records it: place, date, audience, materials."""
    require(actor, P.hse_report)
    if data["held_on"] < campaign.starts_on or (campaign.ends_on and data["held_on"] > campaign.ends_on):
        raise Invalid({"held_on": [_("The date is outside the campaign.")]})
    if data.get("audience_count") is None or int(data["audience_count"]) < 0:
        raise Invalid({"audience_count": [_("Must be greater than or equal to 0.")]})
    record = HseCampaignRecord(campaign=campaign, held_on=data["held_on"], place=data["place"],
                            audience_count=int(data["audience_count"]), materials=data.get("materials"),
                            note=data.get("note"), recorded_by=actor.id)
    db.session.add(record)
    db.session.flush()
    audit.record(actor, "hse_campaign.record", "hse_campaign", campaign.id, record_id=record.id,
                 audience_count=record.audience_count)
    return record

