"""Vehicles of the driver-technicians: who drives which, the daily check and mileage log, maintenance."""
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime, utcnow


class Vehicle(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "mgmt_vehicles"

    plate: Mapped[str] = mapped_column(String(16), unique=True)
    model: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="in_service")  # rules.VEHICLE_STATUSES
    driver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    odometer_km: Mapped[int] = mapped_column(Integer, default=0)  # the last recorded reading
    next_service_on: Mapped[date | None] = mapped_column(Date)
    next_service_km: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    driver = relationship("User", lazy="joined")
    checks: Mapped[list["VehicleCheck"]] = relationship(back_populates="vehicle",
                                                        order_by="VehicleCheck.at.desc()")
    services: Mapped[list["VehicleService"]] = relationship(back_populates="vehicle",
                                                            order_by="VehicleService.done_on.desc()")

    __mapper_args__ = {"version_id_col": version}


class VehicleCheck(IdMixin, db.Model):
    """The driver's daily check before the first job: odometer, each item OK or not (with a note)."""

    __tablename__ = "mgmt_vehicle_checks"

    vehicle_id: Mapped[int] = mapped_column(ForeignKey("mgmt_vehicles.id"))
    driver_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    checked_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    odometer_km: Mapped[int] = mapped_column(Integer)
    results: Mapped[dict] = mapped_column(JSON, default=dict)  # {item code: true/false}
    all_ok: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)

    vehicle: Mapped[Vehicle] = relationship(back_populates="checks")
    driver = relationship("User", lazy="joined")

    __table_args__ = (Index("ix_mgmt_vehicle_checks_vehicle_day", "vehicle_id", "checked_on"),)


class VehicleService(IdMixin, db.Model):
    """Maintenance done: when, at what mileage, what, and when the next one is due."""

    __tablename__ = "mgmt_vehicle_services"

    vehicle_id: Mapped[int] = mapped_column(ForeignKey("mgmt_vehicles.id"), index=True)
    done_on: Mapped[date] = mapped_column(Date)
    odometer_km: Mapped[int] = mapped_column(Integer)
    work: Mapped[str] = mapped_column(Text)
    workshop: Mapped[str | None] = mapped_column(String(100))
    next_service_on: Mapped[date | None] = mapped_column(Date)
    next_service_km: Mapped[int | None] = mapped_column(Integer)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    vehicle: Mapped[Vehicle] = relationship(back_populates="services")
    by = relationship("User")
