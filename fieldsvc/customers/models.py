from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime, utcnow


class District(IdMixin, db.Model):
    """片区: the unit of dispatch, routes, inspection plans and reporting."""

    __tablename__ = "districts"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)


class Customer(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "customers"

    account_no: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(30), index=True)
    category: Mapped[str] = mapped_column(String(20))  # residential | commercial | industrial
    gas: Mapped[str] = mapped_column(String(4))  # NG | LPG | MG
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    # District › estate/road › building › unit › floor › room; `address` is the searchable full line.
    estate: Mapped[str | None] = mapped_column(String(100))
    building: Mapped[str | None] = mapped_column(String(20))
    unit: Mapped[str | None] = mapped_column(String(20))
    floor: Mapped[str | None] = mapped_column(String(10))
    room: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(250))
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | suspended | closed
    # Gas on or shut off, and why (arrears | safety | emergency | request): apart from the account status.
    supply: Mapped[str] = mapped_column(String(10), default="on", server_default="on")
    supply_reason: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    district: Mapped[District] = relationship(lazy="joined")
    meters: Mapped[list["Meter"]] = relationship(back_populates="customer", order_by="Meter.installed_on")
    appliances: Mapped[list["Appliance"]] = relationship(back_populates="customer", order_by="Appliance.id")

    __table_args__ = (Index("ix_customers_name", "name"),)
    __mapper_args__ = {"version_id_col": version}

    @property
    def gas_off(self) -> bool:
        """The supply is shut off, whatever the reason: the meter is expected not to move."""
        return self.supply == "shut_off"


class Meter(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "meters"

    serial_no: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    size: Mapped[str] = mapped_column(String(6))  # G1.6 … G25
    accuracy_class: Mapped[str] = mapped_column(String(4))  # "1.5" | "1.0"
    kind: Mapped[str] = mapped_column(String(10))  # diaphragm | ic_card | smart
    location: Mapped[str] = mapped_column(String(10))  # indoor | outdoor
    maker: Mapped[str | None] = mapped_column(String(60))
    made_on: Mapped[date | None] = mapped_column(Date)
    first_verified_on: Mapped[date | None] = mapped_column(Date)  # service life counts from here
    installed_on: Mapped[date | None] = mapped_column(Date)
    start_reading: Mapped[Decimal] = mapped_column(Numeric(12, 3), default=Decimal(0))
    digits: Mapped[int] = mapped_column(Integer, default=5)
    seal_no: Mapped[str | None] = mapped_column(String(40))  # the lead seal put on at purge-and-ignite
    status: Mapped[str] = mapped_column(String(10), default="in_stock")  # in_stock|installed|removed|scrapped
    version: Mapped[int] = mapped_column(Integer, default=1)

    customer: Mapped["Customer | None"] = relationship(back_populates="meters")
    installations: Mapped[list["MeterInstallation"]] = relationship(
        back_populates="meter", order_by="MeterInstallation.installed_on")

    __table_args__ = (Index("ix_meters_installed_on", "installed_on"),)  # reports: meters put in after a day
    __mapper_args__ = {"version_id_col": version}


class MeterInstallation(IdMixin, TimestampMixin, db.Model):
    """One period of a meter at a customer: the install/remove history."""

    __tablename__ = "meter_installations"

    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    installed_on: Mapped[date] = mapped_column(Date)
    start_reading: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    removed_on: Mapped[date | None] = mapped_column(Date)
    final_reading: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))
    removal_reason: Mapped[str | None] = mapped_column(String(200))

    meter: Mapped[Meter] = relationship(back_populates="installations")
    customer: Mapped[Customer] = relationship()


class Appliance(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "appliances"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # stove | water_heater | wall_boiler | other
    brand: Mapped[str | None] = mapped_column(String(60))
    model: Mapped[str | None] = mapped_column(String(60))
    sold_on: Mapped[date | None] = mapped_column(Date)
    flame_failure: Mapped[bool] = mapped_column(Boolean, default=True)
    flue_type: Mapped[str | None] = mapped_column(String(20))  # none | natural | forced | balanced
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # false once removed: records stay

    customer: Mapped[Customer] = relationship(back_populates="appliances")


class SupplyChange(IdMixin, db.Model):
    """One change of a customer's supply, with the job or inspection that made it (the timeline's link)."""

    __tablename__ = "supply_changes"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    supply: Mapped[str] = mapped_column(String(10))  # on | shut_off
    reason: Mapped[str | None] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Plain ids, not foreign keys: dispatch and inspections are domains installed after this one.
    work_order_id: Mapped[int | None] = mapped_column(Integer)
    inspection_id: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(200))
