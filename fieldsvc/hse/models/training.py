"""Staff training (sessions, attendance, required topics per role) and customer safety publicity."""
from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin


class TrainingTopic(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "hse_training_topics"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(Text)

    requirements: Mapped[list["TrainingRequirement"]] = relationship(back_populates="topic")


class TrainingRequirement(IdMixin, db.Model):
    """A role must have passed this topic within the last `interval_months` (the training matrix)."""

    __tablename__ = "hse_training_requirements"

    topic_id: Mapped[int] = mapped_column(ForeignKey("hse_training_topics.id"))
    role: Mapped[str] = mapped_column(String(20))
    interval_months: Mapped[int] = mapped_column(Integer)

    topic: Mapped[TrainingTopic] = relationship(back_populates="requirements", lazy="joined")

    __table_args__ = (UniqueConstraint("topic_id", "role", name="topic_role"),)


class TrainingSession(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "hse_training_sessions"

    topic_id: Mapped[int] = mapped_column(ForeignKey("hse_training_topics.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    trainer: Mapped[str] = mapped_column(String(100))
    place: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    # The unit that held it (hse/services/units.py): None for the department's own sessions.
    unit: Mapped[str | None] = mapped_column(String(20))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    topic: Mapped[TrainingTopic] = relationship(lazy="joined")
    attendances: Mapped[list["TrainingAttendance"]] = relationship(
        back_populates="session", order_by="TrainingAttendance.id")


class TrainingAttendance(IdMixin, db.Model):
    __tablename__ = "hse_training_attendances"

    session_id: Mapped[int] = mapped_column(ForeignKey("hse_training_sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))  # None: attendance only, no test
    passed: Mapped[bool] = mapped_column(Boolean, default=True)

    session: Mapped[TrainingSession] = relationship(back_populates="attendances")
    user = relationship("User", lazy="joined")

    __table_args__ = (UniqueConstraint("session_id", "user_id", name="session_user"),)


class HseCampaign(IdMixin, TimestampMixin, db.Model):
    """A customer safety publicity campaign (安全宣传), e.g. "safe gas use in winter"."""

    __tablename__ = "hse_campaigns"

    title: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    records: Mapped[list["HseCampaignRecord"]] = relationship(
        back_populates="campaign", order_by="HseCampaignRecord.held_on.desc()")


class HseCampaignRecord(IdMixin, TimestampMixin, db.Model):
    """One publicity event of a campaign: where, when, how many people, what was handed out."""

    __tablename__ = "hse_campaign_records"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("hse_campaigns.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    audience_count: Mapped[int] = mapped_column(Integer)
    materials: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    campaign: Mapped[HseCampaign] = relationship(back_populates="records")
    recorder = relationship("User")
