"""Annual plans (the safety officer's safety work plan, the metering head's technical/quality/metering/
equipment plan), their items with owners, dates and progress, and the year-end summary."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime

FIGURE = Numeric(12, 2)


class AnnualPlan(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "mgmt_plans"

    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(12))  # safety | technical (rules.PLAN_KINDS)
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    returned_reason: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    author = relationship("User", foreign_keys=[author_id], lazy="joined")
    approver = relationship("User", foreign_keys=[approved_by])
    items: Mapped[list["PlanItem"]] = relationship(back_populates="plan", order_by="PlanItem.seq")
    summary: Mapped["AnnualSummary | None"] = relationship(back_populates="plan", uselist=False)

    __table_args__ = (UniqueConstraint("year", "kind", name="plan_year_kind"),)
    __mapper_args__ = {"version_id_col": version}


class PlanItem(IdMixin, TimestampMixin, db.Model):
    """A line of the plan. With a metric its progress is read from the records; without, the owner
    reports it (progress_pct)."""

    __tablename__ = "mgmt_plan_items"

    plan_id: Mapped[int] = mapped_column(ForeignKey("mgmt_plans.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(16))  # rules.PLAN_SECTIONS[kind]
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    metric: Mapped[str | None] = mapped_column(String(32))  # services.metrics.PROVIDERS
    target: Mapped[Decimal | None] = mapped_column(FIGURE)
    progress_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))  # reported by hand
    progress_note: Mapped[str | None] = mapped_column(Text)
    done_on: Mapped[date | None] = mapped_column(Date)

    plan: Mapped[AnnualPlan] = relationship(back_populates="items")
    owner = relationship("User", lazy="joined")


class AnnualSummary(IdMixin, TimestampMixin, db.Model):
    """The year-end summary of a plan: the figures taken from the records when it was generated
    (frozen on approval), and one editable text per section, prefilled from those figures."""

    __tablename__ = "mgmt_plan_summaries"

    plan_id: Mapped[int] = mapped_column(ForeignKey("mgmt_plans.id"), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    figures: Mapped[dict] = mapped_column(JSON, default=dict)  # {"items": [...], "metrics": {...}}
    texts: Mapped[dict] = mapped_column(JSON, default=dict)  # {section: text, "overall": text}
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    returned_reason: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    plan: Mapped[AnnualPlan] = relationship(back_populates="summary")
    approver = relationship("User", foreign_keys=[approved_by])

    __mapper_args__ = {"version_id_col": version}
