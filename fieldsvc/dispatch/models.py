"""Work orders, their history, completions, and the tools and parts technicians hold."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, UTCDateTime, utcnow


class WorkOrder(IdMixin, db.Model):
    __tablename__ = "work_orders"

    type: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(12), default="new")
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    # Copied from the customer when there is one; typed in for a call from a passer-by (a leak smell).
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    address: Mapped[str] = mapped_column(String(250))
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The order a follow-up visit follows up (a completed repair or purge_ignition).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    on_site_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optimistic lock: every change is a conditional UPDATE … WHERE version = :seen (services.orders).
    version: Mapped[int] = mapped_column(Integer, default=1)

    customer = relationship("Customer")
    district = relationship("District")
    assignee = relationship("User", foreign_keys=[assignee_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    parent: Mapped["WorkOrder | None"] = relationship(remote_side="WorkOrder.id")
    events: Mapped[list["WorkOrderEvent"]] = relationship(back_populates="work_order",
                                                          order_by="WorkOrderEvent.id")
    completion: Mapped["Completion | None"] = relationship(back_populates="work_order", uselist=False)
    # Who helps the assignee (services/helpers.py writes the rows; read-only here, loaded when asked for).
    helper_links: Mapped[list["WorkOrderHelper"]] = relationship(viewonly=True, order_by="WorkOrderHelper.added_at")

    __table_args__ = (
        Index("ix_work_orders_status_created", "status", "created_at"),
        Index("ix_work_orders_assignee_status", "assignee_id", "status"),
        Index("ix_work_orders_district_status", "district_id", "status"),
        Index("ix_work_orders_completed_at", "completed_at"),
        Index("ix_work_orders_created_at", "created_at"),  # reports: orders created in a period / per month
    )


class WorkOrderEvent(IdMixin, db.Model):
    """The order's own history for display (the audit trail keeps the tamper-evident copy)."""

    __tablename__ = "work_order_events"

    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    action: Mapped[str] = mapped_column(String(12))  # create | assign | reassign | accept | reject | …
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lat: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    lng: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    note: Mapped[str | None] = mapped_column(String(500))

    work_order: Mapped[WorkOrder] = relationship(back_populates="events")
    actor = relationship("User", foreign_keys=[actor_id])
    assignee = relationship("User", foreign_keys=[assignee_id])


class Completion(IdMixin, db.Model):
    """What the technician recorded when the job was done (or what the follow-up call found)."""

    __tablename__ = "work_order_completions"

    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), unique=True)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    work_notes: Mapped[str | None] = mapped_column(Text)
    # Type-specific results, validated by that type's schema (dispatch/schemas/results.py).
    results: Mapped[dict] = mapped_column(JSON, default=dict)
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    no_signature_reason: Mapped[str | None] = mapped_column(String(200))

    work_order: Mapped[WorkOrder] = relationship(back_populates="completion")
    completed_by = relationship("User")
    signature = relationship("Upload")


class CustodyItem(IdMixin, db.Model):
    """A kind of tool or part the store issues (a gas detector, a 1.5 m hose, a hose clamp)."""

    __tablename__ = "custody_items"

    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(8))  # tool | part
    unit: Mapped[str] = mapped_column(String(10), default="件")


class CustodyMove(IdMixin, db.Model):
    """One line of the stock ledger: issued to, used on a job by, or returned by a technician."""

    __tablename__ = "custody_moves"

    item_id: Mapped[int] = mapped_column(ForeignKey("custody_items.id"))
    holder_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(8))  # issue | use | return
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(String(200))

    item: Mapped[CustodyItem] = relationship()
    holder = relationship("User", foreign_keys=[holder_id])

    __table_args__ = (Index("ix_custody_moves_holder_item", "holder_id", "item_id"),)


class WorkOrderHelper(db.Model):
    """A second person on a job (two-person work, a meter reader helping at a purge-and-ignite): they see the
    order in their jobs and are on its job sheet; only the assignee moves it."""

    __tablename__ = "work_order_helpers"

    order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id])
