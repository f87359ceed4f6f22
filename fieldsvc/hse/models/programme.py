"""目标、指标和管理方案 (objectives with targets and programmes) and 自查 (self-inspections)."""
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin

AMOUNT = Numeric(14, 2)


class HseObjective(IdMixin, TimestampMixin, db.Model):
    """An objective of a department (and optionally a person), its measurable target and programme."""

    __tablename__ = "hse_objectives"

    year: Mapped[int] = mapped_column(Integer, index=True)
    unit: Mapped[str] = mapped_column(String(20), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # person responsible
    objective: Mapped[str] = mapped_column(String(200))  # 目标
    indicator: Mapped[str] = mapped_column(String(200))  # 指标, e.g. "household inspection coverage"
    target_value: Mapped[Decimal] = mapped_column(AMOUNT)
    measure: Mapped[str | None] = mapped_column(String(20))  # %, persons, cases…
    direction: Mapped[str] = mapped_column(String(10), default="at_least")  # at_least | at_most
    actual_value: Mapped[Decimal | None] = mapped_column(AMOUNT)
    programme: Mapped[str | None] = mapped_column(Text)  # 管理方案: measures, resources, milestones
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | closed

    owner = relationship("User", lazy="joined")
    updates: Mapped[list["HseObjectiveUpdate"]] = relationship(
        back_populates="objective", order_by="HseObjectiveUpdate.id.desc()")


class HseObjectiveUpdate(IdMixin, TimestampMixin, db.Model):
    """A progress report: the actual value as of a date, with a note."""

    __tablename__ = "hse_objective_updates"

    objective_id: Mapped[int] = mapped_column(ForeignKey("hse_objectives.id"), index=True)
    as_of: Mapped[date] = mapped_column(Date)
    actual_value: Mapped[Decimal] = mapped_column(AMOUNT)
    note: Mapped[str | None] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    objective: Mapped[HseObjective] = relationship(back_populates="updates")
    by = relationship("User")


class SelfInspection(IdMixin, TimestampMixin, db.Model):
    """A department's self-inspection for a period (YYYY-MM), filled from its checklist."""

    __tablename__ = "hse_self_inspections"

    unit: Mapped[str] = mapped_column(String(20), index=True)
    # A station's line: the station chief's district (None: the whole unit), see hse/services/units.py.
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | completed
    note: Mapped[str | None] = mapped_column(Text)

    inspector = relationship("User", lazy="joined")
    items: Mapped[list["SelfInspectionItem"]] = relationship(
        back_populates="inspection", order_by="SelfInspectionItem.seq")


class SelfInspectionItem(IdMixin, db.Model):
    __tablename__ = "hse_self_inspection_items"

    inspection_id: Mapped[int] = mapped_column(ForeignKey("hse_self_inspections.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))
    result: Mapped[str | None] = mapped_column(String(10))  # None (not checked) | ok | finding | na
    note: Mapped[str | None] = mapped_column(Text)
    nonconformity_id: Mapped[int | None] = mapped_column(ForeignKey("hse_nonconformities.id"))

    inspection: Mapped[SelfInspection] = relationship(back_populates="items")
