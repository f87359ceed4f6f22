"""制度: the department's policies and procedures, their versions, acknowledgements and compliance checks."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime, utcnow


class Policy(IdMixin, TimestampMixin, db.Model):
    """One document of the register (e.g. ZD-AQ-001 户内安检管理制度). What it says lives in its versions."""

    __tablename__ = "mgmt_policies"

    number: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Role codes whose staff must know it (and acknowledge each version in force), stored ",a,b," so a
    # LIKE finds a role on SQLite and PostgreSQL alike; "" means the whole department.
    audience: Mapped[str] = mapped_column(String(250), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    owner = relationship("User", foreign_keys=[owner_id], lazy="joined")
    versions: Mapped[list["PolicyVersion"]] = relationship(back_populates="policy", order_by="PolicyVersion.revision")
    checks: Mapped[list["PolicyCheck"]] = relationship(back_populates="policy", order_by="PolicyCheck.checked_on.desc()")

    __mapper_args__ = {"version_id_col": version}

    @property
    def applies_to(self) -> list[str]:
        return [r for r in (self.audience or "").split(",") if r]


class PolicyVersion(IdMixin, TimestampMixin, db.Model):
    """A revision of a policy on its way: draft → submitted → approved (director) → in force → withdrawn."""

    __tablename__ = "mgmt_policy_versions"

    policy_id: Mapped[int] = mapped_column(ForeignKey("mgmt_policies.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 … shown as V1, V2
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    summary: Mapped[str | None] = mapped_column(Text)  # the text, or a summary of the attached PDF
    change_note: Mapped[str | None] = mapped_column(Text)  # what changed against the previous version
    effective_on: Mapped[date | None] = mapped_column(Date)
    review_on: Mapped[date | None] = mapped_column(Date, index=True)
    # The attached PDF, stored under a generated name (fieldsvc.uploads.storage()).
    pdf_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    pdf_name: Mapped[str | None] = mapped_column(String(200))
    pdf_size: Mapped[int | None] = mapped_column(Integer)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    in_force_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    returned_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    policy: Mapped[Policy] = relationship(back_populates="versions")
    approver = relationship("User", foreign_keys=[approved_by])
    acks: Mapped[list["PolicyAck"]] = relationship(back_populates="policy_version")

    __table_args__ = (UniqueConstraint("policy_id", "revision", name="policy_revision"),)
    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return f"V{self.revision}"


class PolicyAck(IdMixin, db.Model):
    """A member of staff has read and acknowledged one version in force."""

    __tablename__ = "mgmt_policy_acks"

    version_id: Mapped[int] = mapped_column(ForeignKey("mgmt_policy_versions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    policy_version: Mapped[PolicyVersion] = relationship(back_populates="acks")
    user = relationship("User", lazy="joined")

    __table_args__ = (UniqueConstraint("version_id", "user_id", name="version_user"),)


class PolicyCheck(IdMixin, TimestampMixin, db.Model):
    """A compliance check of a policy in force: who checked, when, where, what was found."""

    __tablename__ = "mgmt_policy_checks"

    policy_id: Mapped[int] = mapped_column(ForeignKey("mgmt_policies.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("mgmt_policy_versions.id"))
    checked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    checked_on: Mapped[date] = mapped_column(Date, index=True)
    scope: Mapped[str] = mapped_column(String(200))  # where / whom: a station, a team, a process
    result: Mapped[str] = mapped_column(String(12))  # compliant | findings
    note: Mapped[str | None] = mapped_column(Text)

    policy: Mapped[Policy] = relationship(back_populates="checks")
    checker = relationship("User", foreign_keys=[checked_by], lazy="joined")
    findings: Mapped[list["PolicyFinding"]] = relationship(back_populates="check", order_by="PolicyFinding.id")


class PolicyFinding(IdMixin, db.Model):
    """One finding of a check; raised as a nonconformity in HSE (origin audit) in one step."""

    __tablename__ = "mgmt_policy_findings"

    check_id: Mapped[int] = mapped_column(ForeignKey("mgmt_policy_checks.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    # The HSE nonconformity it raised: no foreign key, so this domain does not need HSE's tables.
    nonconformity_id: Mapped[int | None] = mapped_column(Integer)

    check: Mapped[PolicyCheck] = relationship(back_populates="findings")
