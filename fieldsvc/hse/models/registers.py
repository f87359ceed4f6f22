"""危险源辨识与风险评价清单, 环境因素清单 and the observations anyone reports from the field."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime

FACTOR = Numeric(5, 1)  # L, E, C: 0.1 … 100
D_VALUE = Numeric(10, 2)  # D = L × E × C: 0.01 … 10000


class HseHazard(IdMixin, TimestampMixin, db.Model):
    """One line of the hazard register, assessed by LEC; D, grade and significance are stored as
    computed by rules.assess when the line was saved, so lists and exports sort and filter on them."""

    __tablename__ = "hse_hazards"

    unit: Mapped[str] = mapped_column(String(20), index=True)  # department code (labels: hse_unit)
    # A station's line: the station chief's district (None: the whole unit), see hse/services/units.py.
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    activity: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)  # the hazard itself
    category: Mapped[str | None] = mapped_column(String(20))  # person | equipment | environment | management
    accident_type: Mapped[str] = mapped_column(String(30))  # GB 6441 code
    state: Mapped[str] = mapped_column(String(12), default="normal")  # normal | abnormal | emergency
    l: Mapped[Decimal] = mapped_column(FACTOR)  # noqa: E741 - the method's own letters
    e: Mapped[Decimal] = mapped_column(FACTOR)
    c: Mapped[Decimal] = mapped_column(FACTOR)
    d: Mapped[Decimal] = mapped_column(D_VALUE)
    grade: Mapped[int] = mapped_column(Integer, index=True)
    colour: Mapped[str] = mapped_column(String(10))
    significant: Mapped[bool] = mapped_column(Boolean, index=True)
    criteria: Mapped[list] = mapped_column(JSON, default=list)  # direct criteria codes (RULES §8)
    control_engineering: Mapped[str | None] = mapped_column(Text)
    control_management: Mapped[str | None] = mapped_column(Text)
    control_training: Mapped[str | None] = mapped_column(Text)
    control_ppe: Mapped[str | None] = mapped_column(Text)
    control_emergency: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_on: Mapped[date | None] = mapped_column(Date, index=True)
    residual_l: Mapped[Decimal | None] = mapped_column(FACTOR)
    residual_e: Mapped[Decimal | None] = mapped_column(FACTOR)
    residual_c: Mapped[Decimal | None] = mapped_column(FACTOR)
    residual_d: Mapped[Decimal | None] = mapped_column(D_VALUE)
    residual_grade: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | retired (never deleted)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    owner = relationship("User", foreign_keys=[owner_id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class HseAspect(IdMixin, TimestampMixin, db.Model):
    """One line of the environmental aspect register (pollution: A–E; resource: F, G)."""

    __tablename__ = "hse_aspects"

    unit: Mapped[str] = mapped_column(String(20), index=True)
    # A station's line: the station chief's district (None: the whole unit), see hse/services/units.py.
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    activity: Mapped[str] = mapped_column(String(200))
    aspect: Mapped[str] = mapped_column(Text)
    impact: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10))  # pollution | resource
    state: Mapped[str] = mapped_column(String(12), default="normal")
    a: Mapped[int | None] = mapped_column(Integer)  # scope
    b: Mapped[int | None] = mapped_column(Integer)  # severity
    c: Mapped[int | None] = mapped_column(Integer)  # frequency
    d: Mapped[int | None] = mapped_column(Integer)  # public concern
    e: Mapped[int | None] = mapped_column(Integer)  # compliance
    f: Mapped[int | None] = mapped_column(Integer)  # consumption
    g: Mapped[int | None] = mapped_column(Integer)  # saving potential
    total: Mapped[int] = mapped_column(Integer)
    significant: Mapped[bool] = mapped_column(Boolean, index=True)
    controls: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), default="active")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    owner = relationship("User", foreign_keys=[owner_id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class HseObservation(IdMixin, TimestampMixin, db.Model):
    """A hazard or aspect seen in the field by anyone, or fed by a field record (from_field); the
    safety officer registers it (hazard or aspect line, or a nonconformity) or closes it."""

    __tablename__ = "hse_observations"

    kind: Mapped[str] = mapped_column(String(10))  # hazard | aspect
    description: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(200))
    activity: Mapped[str | None] = mapped_column(String(200))
    reported_by: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)  # open | registered | closed
    close_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hazard_id: Mapped[int | None] = mapped_column(ForeignKey("hse_hazards.id"))
    aspect_id: Mapped[int | None] = mapped_column(ForeignKey("hse_aspects.id"))
    nonconformity_id: Mapped[int | None] = mapped_column(ForeignKey("hse_nonconformities.id"))
    # The field record that raised it (observations.from_field): an emergency order with a leak
    # found, or a household inspection with a grade A finding. None for a report from the phone.
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"), index=True)

    reporter = relationship("User", foreign_keys=[reported_by], lazy="joined")
    reviewer = relationship("User", foreign_keys=[reviewed_by])
    nonconformity = relationship("Nonconformity", foreign_keys=[nonconformity_id])
