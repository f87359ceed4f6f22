"""相关方: contractors working for the department (licence, scope, contact, the staff who supervise them)
and the permits for their work on customer premises."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime, utcnow


class Contractor(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "contractors"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    licence_no: Mapped[str] = mapped_column(String(60))
    licence_expires_on: Mapped[date] = mapped_column(Date, index=True)
    scope: Mapped[str] = mapped_column(Text)  # the work the licence and the contract allow
    contact_name: Mapped[str | None] = mapped_column(String(60))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # never deleted: retired
    version: Mapped[int] = mapped_column(Integer, default=1)

    supervisors: Mapped[list["ContractorSupervisor"]] = relationship(
        back_populates="contractor", order_by="ContractorSupervisor.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class ContractorSupervisor(IdMixin, db.Model):
    """A member of staff who supervises the contractor's work (监护人)."""

    __tablename__ = "contractor_supervisors"

    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractors.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    contractor: Mapped[Contractor] = relationship(back_populates="supervisors")
    user = relationship("User", lazy="joined")

    __table_args__ = (UniqueConstraint("contractor_id", "user_id", name="contractor_supervisor"),)


class Permit(IdMixin, TimestampMixin, db.Model):
    """A permit for a contractor's work on a customer's premises: where, what, from when to when, who issued it."""

    __tablename__ = "contractor_permits"

    number: Mapped[str | None] = mapped_column(String(20), unique=True)  # XK2026-00012, set after flush
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractors.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    address: Mapped[str] = mapped_column(String(250))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    work: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date, index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(12), default="issued", index=True)  # rules.PERMIT_STATUSES
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    contractor: Mapped[Contractor] = relationship(lazy="joined")
    customer = relationship("Customer")
    district = relationship("District")
    issuer = relationship("User", foreign_keys=[issued_by])
    supervisor = relationship("User", foreign_keys=[supervisor_id])

    __mapper_args__ = {"version_id_col": version}
