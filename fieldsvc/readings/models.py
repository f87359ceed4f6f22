"""Tables of the readings domain: routes and their stops, readings and skips, tariffs, bills, arrears."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime, utcnow

VOLUME = Numeric(12, 3)
MONEY = Numeric(12, 2)


class Route(IdMixin, TimestampMixin, db.Model):
    """抄表册: an ordered list of meters in a district, read by one reader every month."""

    __tablename__ = "routes"

    name: Mapped[str] = mapped_column(String(60), unique=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    reader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    district = relationship("District", lazy="joined")
    reader = relationship("User", lazy="joined")
    stops: Mapped[list["RouteStop"]] = relationship(back_populates="route", order_by="RouteStop.seq")

    __mapper_args__ = {"version_id_col": version}


class RouteStop(IdMixin, db.Model):
    __tablename__ = "route_stops"

    route_id: Mapped[int] = mapped_column(ForeignKey("routes.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 … in walking order
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"), unique=True)  # a meter is on one route

    route: Mapped[Route] = relationship(back_populates="stops")
    meter = relationship("Meter", lazy="joined")

    __table_args__ = (UniqueConstraint("route_id", "seq", name="uq_route_stops_route_seq"),)


class Reading(IdMixin, db.Model):
    """One register value of one meter. Never deleted: a reading sent back stays, marked so."""

    __tablename__ = "readings"

    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    route_id: Mapped[int | None] = mapped_column(ForeignKey("routes.id"))
    cycle: Mapped[str] = mapped_column(String(7))  # YYYY-MM (business month of read_at)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_on: Mapped[date] = mapped_column(Date)  # business date of read_at
    value: Mapped[Decimal] = mapped_column(VOLUME)
    kind: Mapped[str] = mapped_column(String(10))  # actual | estimated | self | final | start
    consumption_m3: Mapped[Decimal] = mapped_column(VOLUME)
    anomalies: Mapped[str] = mapped_column(String(120), default="")  # codes, comma-separated
    # accepted (no flag) | pending (flagged: the chief reviews) | approved | sent_back
    status: Mapped[str] = mapped_column(String(10), default="accepted")
    source: Mapped[str] = mapped_column(String(10), default="field")  # field | office | api | import | work_order
    reason: Mapped[str | None] = mapped_column(String(300))  # why a spike/negative was confirmed
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str | None] = mapped_column(String(300))

    meter = relationship("Meter")
    reader = relationship("User", foreign_keys=[recorded_by])

    __table_args__ = (
        Index("ix_readings_meter_read_at", "meter_id", "read_at"),
        Index("ix_readings_cycle_status", "cycle", "status"),
        Index("ix_readings_route_cycle", "route_id", "cycle"),
        # reports: 抄表率 of a period / of each month (read_on range; covering, so no row is read)
        Index("ix_readings_read_on", "read_on", "meter_id", "route_id", "kind", "status"),
    )

    @property
    def codes(self) -> list[str]:
        return [c for c in (self.anomalies or "").split(",") if c]


class Skip(IdMixin, db.Model):
    """A stop not read this cycle and why; 'nobody_home' carries the estimated reading when one was made."""

    __tablename__ = "reading_skips"

    route_id: Mapped[int | None] = mapped_column(ForeignKey("routes.id"))
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    cycle: Mapped[str] = mapped_column(String(7))
    code: Mapped[str] = mapped_column(String(20))  # nobody_home | not_reachable | meter_damaged | bypass
    note: Mapped[str | None] = mapped_column(String(300))
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    reading_id: Mapped[int | None] = mapped_column(ForeignKey("readings.id"))
    needs_replacement: Mapped[bool] = mapped_column(Boolean, default=False)  # no work order could be made
    needs_visit: Mapped[bool] = mapped_column(Boolean, default=False)  # third estimate refused
    work_order_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | resolved
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meter = relationship("Meter")
    reading = relationship("Reading")

    __table_args__ = (Index("ix_reading_skips_route_cycle", "route_id", "cycle"),
                      Index("ix_reading_skips_at", "at"))  # reports: skips of a period


class Tariff(IdMixin, TimestampMixin, db.Model):
    """A price list for one customer category from a date on; the newest valid one applies."""

    __tablename__ = "tariffs"

    category: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60))
    valid_from: Mapped[date] = mapped_column(Date)
    cycle_start_month: Mapped[int] = mapped_column(Integer, default=1)
    cycle_start_day: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    tiers: Mapped[list["TariffTier"]] = relationship(back_populates="tariff", order_by="TariffTier.seq",
                                                     lazy="selectin", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("category", "valid_from", name="uq_tariffs_category_valid_from"),)


class TariffTier(IdMixin, db.Model):
    __tablename__ = "tariff_tiers"

    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariffs.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    upper_m3: Mapped[Decimal | None] = mapped_column(VOLUME)  # None: no upper limit
    price: Mapped[Decimal] = mapped_column(Numeric(8, 4))

    tariff: Mapped[Tariff] = relationship(back_populates="tiers")


class Bill(IdMixin, TimestampMixin, db.Model):
    """The bill of one reading period, priced by tier; the split is kept in its lines."""

    __tablename__ = "bills"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"))
    reading_id: Mapped[int] = mapped_column(ForeignKey("readings.id"), unique=True)
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariffs.id"))
    category: Mapped[str] = mapped_column(String(20))
    cycle: Mapped[str] = mapped_column(String(7), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    volume_m3: Mapped[Decimal] = mapped_column(VOLUME)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    paid_amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))  # principal paid
    fee_accrued: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))  # late fee fixed so far
    fee_accrued_to: Mapped[date | None] = mapped_column(Date)
    fee_paid: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | paid
    paid_on: Mapped[date | None] = mapped_column(Date)

    customer = relationship("Customer")
    reading = relationship("Reading")
    lines: Mapped[list["BillLine"]] = relationship(back_populates="bill", order_by="BillLine.seq",
                                                   cascade="all, delete-orphan")

    # (customer, id): a customer's latest bills without PostgreSQL walking the whole table backwards by id.
    __table_args__ = (Index("ix_bills_customer_status", "customer_id", "status"),
                      Index("ix_bills_customer_latest", "customer_id", "id"),
                      # reports: 回收率 of bills due in a period (covering: no bill row is read)
                      Index("ix_bills_due_on", "due_on", "customer_id", "amount", "paid_amount"),
                      # reports: gas sold, bills issued in a period (covering: reports/sales.py reads no bill row)
                      Index("ix_bills_issued_on", "issued_on", "category", "customer_id", "volume_m3", "amount"))

    @property
    def principal_due(self) -> Decimal:
        return self.amount - self.paid_amount


class BillLine(IdMixin, db.Model):
    __tablename__ = "bill_lines"

    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    cycle_start: Mapped[date] = mapped_column(Date)  # the annual cycle the volume counts in
    tier: Mapped[int] = mapped_column(Integer)
    volume_m3: Mapped[Decimal] = mapped_column(VOLUME)
    price: Mapped[Decimal] = mapped_column(Numeric(8, 4))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))  # for the cycle's cumulative volume

    bill: Mapped[Bill] = relationship(back_populates="lines")

    __table_args__ = (Index("ix_bill_lines_customer_cycle", "customer_id", "cycle_start"),)


class Payment(IdMixin, db.Model):
    __tablename__ = "payments"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    method: Mapped[str] = mapped_column(String(10))  # cash | wechat | alipay | card | bank
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unallocated: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))  # credit left over

    allocations: Mapped[list["PaymentAllocation"]] = relationship(back_populates="payment")


class PaymentAllocation(IdMixin, db.Model):
    __tablename__ = "payment_allocations"

    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"), index=True)
    fee: Mapped[Decimal] = mapped_column(MONEY)
    principal: Mapped[Decimal] = mapped_column(MONEY)

    payment: Mapped[Payment] = relationship(back_populates="allocations")


class ArrearsCase(IdMixin, TimestampMixin, db.Model):
    """One episode of a customer's arrears, from the first overdue bill to payment (and restoration)."""

    __tablename__ = "arrears_cases"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    opened_on: Mapped[date] = mapped_column(Date)
    promised_on: Mapped[date | None] = mapped_column(Date)
    notice_on: Mapped[date | None] = mapped_column(Date)
    notice_photo_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    suspension_approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    suspension_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspension_order_id: Mapped[int | None] = mapped_column(Integer)  # dispatch work order, when made
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    restore_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # payment + 24 h
    restoration_order_id: Mapped[int | None] = mapped_column(Integer)
    restored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    customer = relationship("Customer")
    visits: Mapped[list["CollectionVisit"]] = relationship(back_populates="case", order_by="CollectionVisit.at")

    __table_args__ = (Index("ix_arrears_cases_status", "status"),)


class CollectionVisit(IdMixin, db.Model):
    """What happened at the door: paid, promise to pay, notice served."""

    __tablename__ = "collection_visits"

    case_id: Mapped[int] = mapped_column(ForeignKey("arrears_cases.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(10))  # paid | promise | notice
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    method: Mapped[str | None] = mapped_column(String(10))
    promised_on: Mapped[date | None] = mapped_column(Date)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[ArrearsCase] = relationship(back_populates="visits")
    reader = relationship("User")
