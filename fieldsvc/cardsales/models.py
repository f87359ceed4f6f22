"""Tables of IC-card gas sales: outlets, card accounts and their events, the per-meter purchase counter,
sales with their tier lines, reversal requests and the clerks' closed days."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime, utcnow

VOLUME = Numeric(12, 3)
MONEY = Numeric(12, 2)
PRICE = Numeric(8, 4)


class Outlet(IdMixin, TimestampMixin, db.Model):
    """营业网点: a sales counter. A clerk's day is reconciled per outlet."""

    __tablename__ = "card_outlets"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    active: Mapped[bool] = mapped_column(default=True)


class CardAccount(IdMixin, TimestampMixin, db.Model):
    """One IC card: card number ↔ customer ↔ meter. A lost card is blocked and a new row replaces it."""

    __tablename__ = "card_accounts"

    card_no: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | blocked
    issued_on: Mapped[date] = mapped_column(Date)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    blocked_on: Mapped[date | None] = mapped_column(Date)
    block_reason: Mapped[str | None] = mapped_column(String(200))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("card_accounts.id"))
    replaced_by_id: Mapped[int | None] = mapped_column(Integer)

    customer = relationship("Customer", lazy="joined")
    meter = relationship("Meter", lazy="joined")


class CardMeterCounter(IdMixin, db.Model):
    """The meter's purchase counter: every sale takes last_seq + 1 with a conditional UPDATE, so two
    clerks selling to one card at once cannot both get the same number."""

    __tablename__ = "card_meter_counters"

    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"), unique=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_sale_id: Mapped[int | None] = mapped_column(Integer)
    last_clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CardSale(IdMixin, TimestampMixin, db.Model):
    """One purchase (or a meter change's carried volume) written to the card in two phases."""

    __tablename__ = "card_sales"

    kind: Mapped[str] = mapped_column(String(10), default="purchase")  # purchase | transfer
    account_id: Mapped[int] = mapped_column(ForeignKey("card_accounts.id"), index=True)
    card_no: Mapped[str] = mapped_column(String(20))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    account_no: Mapped[str] = mapped_column(String(20))
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"))
    purchase_seq: Mapped[int] = mapped_column(Integer)
    volume_m3: Mapped[Decimal] = mapped_column(VOLUME)
    cycle_start: Mapped[date | None] = mapped_column(Date)
    used_before_m3: Mapped[Decimal] = mapped_column(VOLUME, default=Decimal(0))
    tariff_id: Mapped[int | None] = mapped_column(ForeignKey("tariffs.id"))
    amount_due: Mapped[Decimal] = mapped_column(MONEY)
    amount_paid: Mapped[Decimal] = mapped_column(MONEY)
    change: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    payment_method: Mapped[str] = mapped_column(String(10))  # cash | card | wechat | alipay | none
    payment_ref: Mapped[str | None] = mapped_column(String(64))
    outlet_id: Mapped[int] = mapped_column(ForeignKey("card_outlets.id"))
    clerk_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    business_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    writer: Mapped[str | None] = mapped_column(String(20))  # simulated | bridge
    write_attempts: Mapped[int] = mapped_column(Integer, default=0)
    write_error: Mapped[str | None] = mapped_column(String(200))
    writer_ref: Mapped[str | None] = mapped_column(String(64))
    written_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reversed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reversed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reversal_reason: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer, default=1)

    lines: Mapped[list["CardSaleLine"]] = relationship(back_populates="sale", order_by="CardSaleLine.seq",
                                                       lazy="selectin", cascade="all, delete-orphan")
    customer = relationship("Customer", lazy="joined")
    meter = relationship("Meter")
    outlet = relationship("Outlet", lazy="joined")
    clerk = relationship("User", foreign_keys=[clerk_id], lazy="joined")
    reverser = relationship("User", foreign_keys=[reversed_by])
    reversals: Mapped[list["CardReversal"]] = relationship(back_populates="sale", order_by="CardReversal.id")

    __table_args__ = (
        Index("ix_card_sales_clerk_day", "clerk_id", "business_date"),
        Index("ix_card_sales_meter_status", "meter_id", "status"),
        Index("ix_card_sales_confirmed_at", "confirmed_at"),  # reports: gas sold, sales confirmed in a period
        # The backstop of the counter: a live (not reversed) purchase number is used once per meter.
        Index("uq_card_sales_meter_seq_live", "meter_id", "purchase_seq", unique=True,
              sqlite_where=text("status != 'reversed'"), postgresql_where=text("status != 'reversed'")),
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def receipt_no(self) -> str:
        return f"GS{self.business_date:%Y%m%d}{self.id:06d}"

    @property
    def open_reversal(self):
        return next((r for r in self.reversals if r.status == "requested"), None)


class CardSaleLine(IdMixin, db.Model):
    __tablename__ = "card_sale_lines"

    sale_id: Mapped[int] = mapped_column(ForeignKey("card_sales.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    tier: Mapped[int] = mapped_column(Integer)
    volume_m3: Mapped[Decimal] = mapped_column(VOLUME)
    price: Mapped[Decimal] = mapped_column(PRICE)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    cycle_start: Mapped[date] = mapped_column(Date)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))  # the cycle's purchased volume

    sale: Mapped[CardSale] = relationship(back_populates="lines")

    __table_args__ = (Index("ix_card_sale_lines_customer_cycle", "customer_id", "cycle_start"),)


class CardReversal(IdMixin, TimestampMixin, db.Model):
    """A clerk's request to reverse a confirmed sale; the station chief approves or rejects it."""

    __tablename__ = "card_reversals"

    sale_id: Mapped[int] = mapped_column(ForeignKey("card_sales.id"), index=True)
    reason: Mapped[str] = mapped_column(String(300))
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default="requested")  # requested | approved | rejected
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(String(300))

    sale: Mapped[CardSale] = relationship(back_populates="reversals")
    requester = relationship("User", foreign_keys=[requested_by], lazy="joined")
    decider = relationship("User", foreign_keys=[decided_by])


class CardEvent(IdMixin, db.Model):
    """The card's history: issued, reissued (lost card), meter changed."""

    __tablename__ = "card_events"

    account_id: Mapped[int] = mapped_column(ForeignKey("card_accounts.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # issue | reissue | meter_change
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)

    actor = relationship("User", lazy="joined")


class CardDay(IdMixin, db.Model):
    """A clerk's closed day at an outlet: the reconciliation as it stood. Read-only once written."""

    __tablename__ = "card_days"

    clerk_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    outlet_id: Mapped[int] = mapped_column(ForeignKey("card_outlets.id"))
    business_date: Mapped[date] = mapped_column(Date)
    expected_cash: Mapped[Decimal] = mapped_column(MONEY)
    counted_cash: Mapped[Decimal] = mapped_column(MONEY)
    difference: Mapped[Decimal] = mapped_column(MONEY)
    net_total: Mapped[Decimal] = mapped_column(MONEY)
    totals: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(String(300))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    clerk = relationship("User", lazy="joined")
    outlet = relationship("Outlet", lazy="joined")

    __table_args__ = (UniqueConstraint("clerk_id", "outlet_id", "business_date", name="uq_card_days_clerk_outlet_date"),)
