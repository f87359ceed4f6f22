"""应急预案 and 应急演练: emergency plans by scenario (leak, fire, CO poisoning, mass outage) with their
review date and call list (staff and outside numbers), and the drills held on them: participants,
timings, the evaluation and its actions (each run as an HSE nonconformity)."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime, utcnow


class EmergencyPlan(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "mgmt_emergency_plans"

    title: Mapped[str] = mapped_column(String(200))
    scenario: Mapped[str] = mapped_column(String(20), index=True)  # rules_emergency.SCENARIOS
    review_on: Mapped[date] = mapped_column(Date, index=True)  # the next review
    scope: Mapped[str | None] = mapped_column(Text)  # when the plan applies
    response: Mapped[str | None] = mapped_column(Text)  # the steps, in order
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # never deleted: withdrawn
    version: Mapped[int] = mapped_column(Integer, default=1)

    contacts: Mapped[list["EmergencyContact"]] = relationship(
        back_populates="plan", order_by=lambda: (EmergencyContact.position, EmergencyContact.id))
    drills: Mapped[list["EmergencyDrill"]] = relationship(back_populates="plan",
                                                          order_by="EmergencyDrill.held_on.desc()")

    __mapper_args__ = {"version_id_col": version}


class EmergencyContact(IdMixin, db.Model):
    """One line of the call list: a member of staff (their phone) or an outside party with its number."""

    __tablename__ = "mgmt_emergency_contacts"

    plan_id: Mapped[int] = mapped_column(ForeignKey("mgmt_emergency_plans.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)  # the order calls are made in
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str | None] = mapped_column(String(100))  # an outside party (119, the gas company's duty desk)
    phone: Mapped[str | None] = mapped_column(String(30))  # overrides the staff member's phone when given
    duty: Mapped[str | None] = mapped_column(String(200))  # what they do in this emergency
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # removed lines stay for the history

    plan: Mapped[EmergencyPlan] = relationship(back_populates="contacts")
    user = relationship("User", lazy="joined")


class EmergencyDrill(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "mgmt_emergency_drills"

    plan_id: Mapped[int] = mapped_column(ForeignKey("mgmt_emergency_plans.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)  # None: department-wide
    held_on: Mapped[date] = mapped_column(Date, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_minutes: Mapped[int | None] = mapped_column(Integer)  # from the alarm to the first crew on scene
    exercise: Mapped[str | None] = mapped_column(Text)  # what was simulated
    outside_participants: Mapped[str | None] = mapped_column(Text)  # fire brigade, residents' committee …
    evaluation: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    plan: Mapped[EmergencyPlan] = relationship(back_populates="drills")
    district = relationship("District")
    participants: Mapped[list["DrillParticipant"]] = relationship(
        back_populates="drill", order_by="DrillParticipant.id", cascade="all, delete-orphan")
    actions: Mapped[list["DrillAction"]] = relationship(back_populates="drill", order_by="DrillAction.id")

    __mapper_args__ = {"version_id_col": version}


class DrillParticipant(IdMixin, db.Model):
    __tablename__ = "mgmt_emergency_drill_participants"

    drill_id: Mapped[int] = mapped_column(ForeignKey("mgmt_emergency_drills.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    drill: Mapped[EmergencyDrill] = relationship(back_populates="participants")
    user = relationship("User", lazy="joined")

    __table_args__ = (UniqueConstraint("drill_id", "user_id", name="drill_participant"),)


class DrillAction(IdMixin, db.Model):
    """An action the evaluation decided, run as an HSE nonconformity (origin "drill")."""

    __tablename__ = "mgmt_emergency_drill_actions"

    drill_id: Mapped[int] = mapped_column(ForeignKey("mgmt_emergency_drills.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    nonconformity_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: HSE is optional
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    drill: Mapped[EmergencyDrill] = relationship(back_populates="actions")
