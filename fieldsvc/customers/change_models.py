"""Customer change requests: 过户 (transfer of ownership), 销户 (closing the account) and a change of
use category. Requested at the counter or by a chief; nothing changes on the customer until the
district's chief or the director approves, and then everything changes in that one transaction."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime, utcnow


class CustomerChange(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "customer_changes"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # transfer | close | category_change
    status: Mapped[str] = mapped_column(String(10), default="requested")  # requested | approved | rejected
    # transfer
    new_name: Mapped[str | None] = mapped_column(String(100))
    new_phone: Mapped[str | None] = mapped_column(String(30))
    id_photo_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    # close
    final_reading: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))
    close_reason: Mapped[str | None] = mapped_column(String(200))
    # category change
    new_category: Mapped[str | None] = mapped_column(String(20))
    effective_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    # What the customer record said before the change was applied (kept for the record and for billing).
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reject_reason: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer, default=1)

    customer = relationship("Customer", lazy="joined")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    __table_args__ = (
        Index("ix_customer_changes_status", "status", "requested_at"),
        # One open request per customer and kind: the service says so first (409), this is the backstop.
        Index("uq_customer_changes_open", "customer_id", "kind", unique=True,
              sqlite_where=text("status = 'requested'"), postgresql_where=text("status = 'requested'")),
    )
    __mapper_args__ = {"version_id_col": version}
