"""不符合 / 纠正和预防措施: nonconformities and their actions (RULES.md §8)."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime


class Nonconformity(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "hse_nonconformities"

    number: Mapped[str | None] = mapped_column(String(20), unique=True)  # NC2026-00012, set after flush
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(20), index=True)  # audit|inspection|complaint|incident|field_hazard
    # Generic link to what raised it (another domain's record): no foreign key on purpose, so the
    # feed works for any domain without HSE depending on its tables.
    source_entity: Mapped[str | None] = mapped_column(String(40))
    source_id: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(20))
    # A station's line: the station chief's district (None: the whole unit), see hse/services/units.py.
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    raised_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    root_cause: Mapped[str | None] = mapped_column(Text)
    effective: Mapped[bool | None] = mapped_column(Boolean)  # verdict of the effectiveness check
    effectiveness_note: Mapped[str | None] = mapped_column(Text)
    checked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_on: Mapped[date | None] = mapped_column(Date)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    raiser = relationship("User", foreign_keys=[raised_by], lazy="joined")
    checker = relationship("User", foreign_keys=[checked_by])
    approver = relationship("User", foreign_keys=[approved_by])
    actions: Mapped[list["NcAction"]] = relationship(back_populates="nonconformity", order_by="NcAction.id")

    __table_args__ = (Index("ix_hse_nc_source", "source_entity", "source_id"),)
    __mapper_args__ = {"version_id_col": version}


class NcAction(IdMixin, TimestampMixin, db.Model):
    """An immediate, corrective, preventive or improvement action with its owner and deadline."""

    __tablename__ = "hse_nc_actions"

    nonconformity_id: Mapped[int] = mapped_column(ForeignKey("hse_nonconformities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    deadline: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_note: Mapped[str | None] = mapped_column(Text)

    nonconformity: Mapped[Nonconformity] = relationship(back_populates="actions")
    owner = relationship("User", lazy="joined")
