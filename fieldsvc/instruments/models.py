"""The instrument register: each instrument (gas detector, manometer, leak detector), who holds it, its
calibration dates, and every check on it as a row of history (calibration, bump test, damage, loss)."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime, utcnow


class Instrument(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "instruments"

    kind: Mapped[str] = mapped_column(String(16))  # rules.KINDS
    serial_no: Mapped[str] = mapped_column(String(40), unique=True)
    model: Mapped[str | None] = mapped_column(String(100))
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    calibrated_on: Mapped[date | None] = mapped_column(Date)
    calibration_due: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="in_service")  # rules.STATUSES
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    holder = relationship("User", lazy="joined")
    checks: Mapped[list["InstrumentCheck"]] = relationship(
        back_populates="instrument", order_by="(InstrumentCheck.checked_on.desc(), InstrumentCheck.id.desc())")

    __mapper_args__ = {"version_id_col": version}


class InstrumentCheck(IdMixin, db.Model):
    """One check, never changed: a calibration (with the dates it set, and those it replaced), a bump
    test, a damage or a loss report. The instrument's current dates and status follow from these rows."""

    __tablename__ = "instrument_checks"

    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # rules.CHECK_KINDS
    checked_on: Mapped[date] = mapped_column(Date)
    ok: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    calibrated_on: Mapped[date | None] = mapped_column(Date)  # a passed calibration: the new dates
    calibration_due: Mapped[date | None] = mapped_column(Date)
    previous_due: Mapped[date | None] = mapped_column(Date)  # what the instrument had before this check
    status_after: Mapped[str] = mapped_column(String(16))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    instrument: Mapped[Instrument] = relationship(back_populates="checks")
    by = relationship("User")
