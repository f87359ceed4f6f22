"""法律法规和其他要求: the register of legal and other requirements and their compliance evaluations."""
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin


class LegalRequirement(IdMixin, TimestampMixin, db.Model):
    """A law, regulation, standard or other requirement the department must comply with."""

    __tablename__ = "hse_legal_requirements"

    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12), default="law")  # rules: LEGAL_KINDS
    issuer: Mapped[str] = mapped_column(String(120))
    clause: Mapped[str | None] = mapped_column(Text)  # the clauses that apply
    applies_to: Mapped[str] = mapped_column(Text)  # activities and roles it applies to
    next_review_on: Mapped[date] = mapped_column(Date, index=True)  # next compliance evaluation due
    example: Mapped[bool] = mapped_column(Boolean, default=False)  # seeded demo line (示例)
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)  # active | retired
    last_evaluated_on: Mapped[date | None] = mapped_column(Date)
    last_compliant: Mapped[bool | None] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer, default=1)

    evaluations: Mapped[list["LegalEvaluation"]] = relationship(
        back_populates="requirement", order_by="LegalEvaluation.id.desc()")

    __mapper_args__ = {"version_id_col": version}


class LegalEvaluation(IdMixin, TimestampMixin, db.Model):
    """合规性评价: one periodic evaluation with its evidence; a failed one links the nonconformity it opened."""

    __tablename__ = "hse_legal_evaluations"

    requirement_id: Mapped[int] = mapped_column(ForeignKey("hse_legal_requirements.id"), index=True)
    evaluated_on: Mapped[date] = mapped_column(Date)
    compliant: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    nonconformity_id: Mapped[int | None] = mapped_column(ForeignKey("hse_nonconformities.id"))

    requirement: Mapped[LegalRequirement] = relationship(back_populates="evaluations")
    evaluator = relationship("User", lazy="joined")
    nonconformity = relationship("Nonconformity")
