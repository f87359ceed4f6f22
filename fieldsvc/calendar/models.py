"""The working-day calendar: the days that differ from Monday–Friday (statutory holidays and the make-up
working days, 调休). Every other day is a working day when it is a weekday."""
from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin


class CalendarDay(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # holiday | workday (rules.Kind)
    name: Mapped[str] = mapped_column(String(60))  # 春节, 国庆节调休上班, …
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by = relationship("User")
