"""Customer requests and complaints (诉求与投诉), their proposed solutions, their history, and the
improvement actions raised from the monthly analysis."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime, utcnow


class Complaint(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "complaints"

    tracking_no: Mapped[str] = mapped_column(String(20), unique=True)  # TS-YYYYMMDD-XXXXXX (public)
    channel: Mapped[str] = mapped_column(String(10))  # hotline | counter | web | field
    category: Mapped[str] = mapped_column(String(20), index=True)
    description: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(30))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    account_no_given: Mapped[str | None] = mapped_column(String(20))  # as typed on the public form
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    address: Mapped[str | None] = mapped_column(String(250))
    complainant_key: Mapped[str | None] = mapped_column(String(40), index=True)  # repeat complainants
    status: Mapped[str] = mapped_column(String(20), default="received")
    # 首问负责制: whoever first received it owns it until it is closed (web: a station chief).
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The owner's reply to the customer (the latest; the history keeps each one). Shown on the public
    # status page once a solution is approved, so it never carries a name or a phone number.
    reply_text: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_contact_due: Mapped[datetime] = mapped_column(UTCDateTime)
    first_contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolve_due: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Judgement and routing
    valid: Mapped[bool | None] = mapped_column(Boolean)
    invalid_reason: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(String(20), index=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    # Investigation and resolution
    cause: Mapped[str | None] = mapped_column(String(30), index=True)
    cause_detail: Mapped[str | None] = mapped_column(Text)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actions_taken: Mapped[str | None] = mapped_column(Text)
    compensation: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    # The follow-up call after closure (the latest one: the history keeps every call)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    followup_comments: Mapped[str | None] = mapped_column(Text)
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    followed_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)

    customer = relationship("Customer")
    district = relationship("District")
    owner = relationship("User", foreign_keys=[owner_id])
    received_by = relationship("User", foreign_keys=[received_by_id])
    replied_by = relationship("User", foreign_keys=[replied_by_id])
    responsible = relationship("User", foreign_keys=[responsible_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    followed_up_by = relationship("User", foreign_keys=[followed_up_by_id])
    work_order = relationship("WorkOrder")
    solutions: Mapped[list["ComplaintSolution"]] = relationship(back_populates="complaint",
                                                                order_by="ComplaintSolution.id")
    events: Mapped[list["ComplaintEvent"]] = relationship(back_populates="complaint", order_by="ComplaintEvent.id")

    __table_args__ = (
        Index("ix_complaints_status_received", "status", "received_at"),
        Index("ix_complaints_received_at", "received_at"),
        Index("ix_complaints_followed_up_at", "followed_up_at"),  # reports: follow-up satisfaction of a period
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def current_solutions(self) -> list["ComplaintSolution"]:
        return [s for s in self.solutions if not s.withdrawn]

    @property
    def approved_solution(self) -> "ComplaintSolution | None":
        return next((s for s in self.current_solutions if s.approved), None)


class ComplaintSolution(IdMixin, db.Model):
    """One proposed solution; the director approves one. Sent back or reopened → withdrawn (kept)."""

    __tablename__ = "complaint_solutions"

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    compensation: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved: Mapped[bool] = mapped_column(Boolean, default=False)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)

    complaint: Mapped[Complaint] = relationship(back_populates="solutions")
    proposed_by = relationship("User")


class ComplaintEvent(IdMixin, db.Model):
    """The complaint's own timed history for display (the audit trail keeps the tamper-evident copy)."""

    __tablename__ = "complaint_events"

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # receive | contact | … | followup | note | order
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    complaint: Mapped[Complaint] = relationship(back_populates="events")
    actor = relationship("User")


class ComplaintImprovement(IdMixin, db.Model):
    """An improvement action the director raised from a month's analysis, fed to HSE as a nonconformity."""

    __tablename__ = "complaint_improvements"

    month: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM analysed
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    # The HSE nonconformity's id and number; no foreign key, so this domain does not depend on HSE tables.
    nc_id: Mapped[int | None] = mapped_column(Integer)
    nc_number: Mapped[str | None] = mapped_column(String(20))
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    raised_by = relationship("User")


class ComplaintPenalty(IdMixin, db.Model):
    """A penalty on the person responsible for a complaint (处罚责任者): a fine and/or a measure, who
    decided it and when. Seen by the director only (complaints.services.penalties)."""

    __tablename__ = "complaint_penalties"

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))  # yuan
    measure: Mapped[str | None] = mapped_column(String(200))  # e.g. 通报批评, 停岗培训
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person = relationship("User", foreign_keys=[person_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
