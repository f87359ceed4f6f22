"""内部审核和管理评审: the internal audit programme with its findings, and the annual management review
with its decisions."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime


class HseAudit(IdMixin, TimestampMixin, db.Model):
    """A planned internal audit (unit, clauses, auditor, date), then conducted with its findings."""

    __tablename__ = "hse_audits"

    title: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20), index=True)  # labels.UNITS
    scope_clauses: Mapped[str] = mapped_column(Text)  # e.g. "4.3.2 法律法规; 4.4.6 运行控制"
    auditor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    planned_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), default="planned", index=True)  # planned|conducted|cancelled
    conducted_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    auditor = relationship("User", lazy="joined")
    findings: Mapped[list["HseAuditFinding"]] = relationship(back_populates="audit", order_by="HseAuditFinding.id")

    __mapper_args__ = {"version_id_col": version}


class HseAuditFinding(IdMixin, TimestampMixin, db.Model):
    """One nonconformity found in an audit: raised in the CAPA register and linked here."""

    __tablename__ = "hse_audit_findings"

    audit_id: Mapped[int] = mapped_column(ForeignKey("hse_audits.id"), index=True)
    clause: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text)
    nonconformity_id: Mapped[int | None] = mapped_column(ForeignKey("hse_nonconformities.id"))

    audit: Mapped[HseAudit] = relationship(back_populates="findings")
    nonconformity = relationship("Nonconformity")


class ManagementReview(IdMixin, TimestampMixin, db.Model):
    """The annual management review: inputs gathered from the records (a snapshot), the conclusion, the
    decisions; the director approves it."""

    __tablename__ = "hse_management_reviews"

    year: Mapped[int] = mapped_column(Integer, unique=True)
    held_on: Mapped[date] = mapped_column(Date)
    participants: Mapped[str] = mapped_column(Text)
    inputs: Mapped[dict] = mapped_column(JSON, default=dict)  # figures as gathered (see services.audits)
    inputs_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    input_notes: Mapped[str | None] = mapped_column(Text)  # changes, resources, customer feedback…
    conclusion: Mapped[str | None] = mapped_column(Text)  # suitability, adequacy, effectiveness
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)  # draft | approved
    prepared_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    preparer = relationship("User", foreign_keys=[prepared_by], lazy="joined")
    approver = relationship("User", foreign_keys=[approved_by])
    decisions: Mapped[list["ReviewDecision"]] = relationship(back_populates="review", order_by="ReviewDecision.id")

    __mapper_args__ = {"version_id_col": version}


class ReviewDecision(IdMixin, TimestampMixin, db.Model):
    """A decision of the review: a corrective action (a nonconformity raised on approval) or a plain
    action with owner and due date."""

    __tablename__ = "hse_review_decisions"

    review_id: Mapped[int] = mapped_column(ForeignKey("hse_management_reviews.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # corrective | action
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column(Date)
    nonconformity_id: Mapped[int | None] = mapped_column(ForeignKey("hse_nonconformities.id"))

    review: Mapped[ManagementReview] = relationship(back_populates="decisions")
    owner = relationship("User", lazy="joined")
    nonconformity = relationship("Nonconformity")
