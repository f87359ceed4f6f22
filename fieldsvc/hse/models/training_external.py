"""Attendees of a training session who are not staff users: a contractor's people (相关方人员)."""
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin


class ExternalAttendance(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "hse_training_external_attendances"

    session_id: Mapped[int] = mapped_column(ForeignKey("hse_training_sessions.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    contractor_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no foreign key: contractors is optional
    id_no: Mapped[str | None] = mapped_column(String(30))  # ID card or work permit number, optional
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))  # None: attendance only
    passed: Mapped[bool] = mapped_column(Boolean, default=True)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    session = relationship("TrainingSession", lazy="joined")
