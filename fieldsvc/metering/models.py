"""Tables of the metering office: bench equipment, meter tests and their points, issued documents,
the yearly number counters, batch sessions, weekly in-home checks and complaint lab cases."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime


class Equipment(IdMixin, TimestampMixin, db.Model):
    """标准装置: a bench standard. A test on equipment past its calibration expiry is refused."""

    __tablename__ = "metering_equipment"

    name: Mapped[str] = mapped_column(String(100))
    serial_no: Mapped[str] = mapped_column(String(60), unique=True)
    calibration_cert: Mapped[str] = mapped_column(String(60))
    calibration_expires_on: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # flow_standard | leak_bench | climate (rules.EquipmentKind)
    kind: Mapped[str] = mapped_column(String(16), default="flow_standard", server_default="flow_standard")
    # pending | approved | rejected: the metering head approves before any test may cite it. Rows that
    # existed before approvals were recorded are approved (server default); the service creates "pending".
    status: Mapped[str] = mapped_column(String(12), default="pending", server_default="approved", index=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    approved_by = relationship("User", foreign_keys=[approved_by_id])
    calibrations: Mapped[list["EquipmentCalibration"]] = relationship(
        back_populates="equipment", order_by="EquipmentCalibration.id.desc()")

    __mapper_args__ = {"version_id_col": version}


class EquipmentCalibration(IdMixin, TimestampMixin, db.Model):
    """One calibration certificate of a standard, kept for good. A renewal is pending until the metering
    head approves it; until then the previous approved certificate stays in force up to its own due date."""

    __tablename__ = "metering_equipment_calibrations"

    equipment_id: Mapped[int] = mapped_column(ForeignKey("metering_equipment.id"), index=True)
    certificate_no: Mapped[str] = mapped_column(String(60))
    calibrated_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))  # a scan/photo of the certificate
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | approved | rejected
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reject_reason: Mapped[str | None] = mapped_column(Text)

    equipment: Mapped[Equipment] = relationship(back_populates="calibrations")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])


class BatchSession(IdMixin, TimestampMixin, db.Model):
    """One bench session testing many new meters before installation (shared bench, ambient, tester)."""

    __tablename__ = "metering_batches"

    reference: Mapped[str] = mapped_column(String(60))  # delivery note or maker's lot
    verification: Mapped[str] = mapped_column(String(12))
    equipment_id: Mapped[int] = mapped_column(ForeignKey("metering_equipment.id"))
    leak_equipment_id: Mapped[int | None] = mapped_column(ForeignKey("metering_equipment.id"))
    tester_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    tested_on: Mapped[date] = mapped_column(Date, index=True)
    temperature_c: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    humidity_pct: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    equipment: Mapped[Equipment] = relationship(foreign_keys=[equipment_id])
    leak_equipment: Mapped[Equipment | None] = relationship(foreign_keys=[leak_equipment_id])
    tester = relationship("User", foreign_keys=[tester_id])
    tests: Mapped[list["MeterTest"]] = relationship(back_populates="batch", order_by="MeterTest.id")


class MeterTest(IdMixin, TimestampMixin, db.Model):
    """A bench test of one meter. Meter and customer facts are copied in: the document must not change
    when the meter or the customer record changes later."""

    __tablename__ = "meter_tests"

    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"), index=True)
    verification: Mapped[str] = mapped_column(String(12))  # initial | subsequent | in_service
    equipment_id: Mapped[int] = mapped_column(ForeignKey("metering_equipment.id"), index=True)
    # the leak/pressure bench of the leak test (None on tests recorded before it was asked for)
    leak_equipment_id: Mapped[int | None] = mapped_column(ForeignKey("metering_equipment.id"))
    tester_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    tested_on: Mapped[date] = mapped_column(Date, index=True)
    tested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    size: Mapped[str] = mapped_column(String(6))
    accuracy_class: Mapped[str] = mapped_column(String(4))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    gas: Mapped[str] = mapped_column(String(4))  # the customer's gas family; NG for a meter in stock
    temperature_c: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    humidity_pct: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    leak_test_ok: Mapped[bool] = mapped_column(Boolean)
    pressure_loss_pa: Mapped[Decimal] = mapped_column(Numeric(7, 1))
    pressure_loss_limit_pa: Mapped[Decimal] = mapped_column(Numeric(7, 1))
    ok: Mapped[bool] = mapped_column(Boolean)
    failures: Mapped[list] = mapped_column(JSON, default=list)
    mean_error_pct: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    note: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("metering_batches.id"), index=True)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("meter_tests.id"))  # a correction of that test
    checker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meter = relationship("Meter")
    customer = relationship("Customer")
    equipment: Mapped[Equipment] = relationship(foreign_keys=[equipment_id])
    leak_equipment: Mapped[Equipment | None] = relationship(foreign_keys=[leak_equipment_id])
    tester = relationship("User", foreign_keys=[tester_id])
    checker = relationship("User", foreign_keys=[checker_id])
    approver = relationship("User", foreign_keys=[approver_id])
    batch: Mapped[BatchSession | None] = relationship(back_populates="tests")
    corrects: Mapped["MeterTest | None"] = relationship(remote_side="MeterTest.id")
    points: Mapped[list["MeterTestPoint"]] = relationship(back_populates="test", order_by="MeterTestPoint.seq",
                                                     cascade="all, delete-orphan")
    document: Mapped["MeteringDocument | None"] = relationship(back_populates="test", uselist=False)


class MeterTestPoint(IdMixin, db.Model):
    __tablename__ = "meter_test_points"

    test_id: Mapped[int] = mapped_column(ForeignKey("meter_tests.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # 1-based: the n of the failure code point_<n>
    flow_m3h: Mapped[Decimal] = mapped_column(Numeric(8, 3))
    reference_l: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    indicated_l: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    zone: Mapped[str] = mapped_column(String(4))
    error_pct: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    mpe_pct: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    ok: Mapped[bool] = mapped_column(Boolean)

    test: Mapped[MeterTest] = relationship(back_populates="points")

    __table_args__ = (UniqueConstraint("test_id", "seq", name="uq_meter_test_points_test_seq"),)


class MeteringDocument(IdMixin, TimestampMixin, db.Model):
    """An issued certificate or result notice. Its PDF bytes and their SHA-256 never change; a
    correction is a new document that marks this one superseded."""

    __tablename__ = "metering_documents"

    number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(12))  # certificate | notice
    test_id: Mapped[int] = mapped_column(ForeignKey("meter_tests.id"), unique=True)
    issued_on: Mapped[date] = mapped_column(Date, index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    valid_until: Mapped[date | None] = mapped_column(Date)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    pdf_size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("metering_documents.id"))
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    test: Mapped[MeterTest] = relationship(back_populates="document")
    issued_by = relationship("User")
    superseded_by: Mapped["MeteringDocument | None"] = relationship(remote_side="MeteringDocument.id")


class DocumentCounter(db.Model):
    """Last number used per prefix and year; its row is locked while a number is taken, so numbers
    run without gaps even with two heads issuing at once."""

    __tablename__ = "metering_document_counters"

    prefix: Mapped[str] = mapped_column(String(4), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class MeterCheck(IdMixin, TimestampMixin, db.Model):
    """One meter of the weekly in-home sample, and the visit to it: a line of the ledger (台账)."""

    __tablename__ = "meter_checks"

    week_start: Mapped[date] = mapped_column(Date, index=True)  # Monday
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    age_years: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    status: Mapped[str] = mapped_column(String(12), default="planned")  # planned | done | no_access
    visited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    visited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reading: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))
    seal_ok: Mapped[bool | None] = mapped_column(Boolean)
    findings: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)

    meter = relationship("Meter")
    customer = relationship("Customer")
    visited_by = relationship("User")

    __table_args__ = (UniqueConstraint("week_start", "meter_id", name="uq_meter_checks_week_meter"),)


class LabCase(IdMixin, TimestampMixin, db.Model):
    """A complaint verification: meter removed at the customer, handed to the lab, tested in service,
    and on failure the back-billing estimate with its inputs."""

    __tablename__ = "metering_lab_cases"

    work_order_id: Mapped[int | None] = mapped_column(Integer, index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"), index=True)
    spare_meter_id: Mapped[int | None] = mapped_column(ForeignKey("meters.id"))
    removed_on: Mapped[date] = mapped_column(Date)
    final_reading: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    spare_start_reading: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))
    due_on: Mapped[date] = mapped_column(Date, index=True)  # handed to the lab by then (3-day target)
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    test_id: Mapped[int | None] = mapped_column(ForeignKey("meter_tests.id"))
    status: Mapped[str] = mapped_column(String(12), default="removed")  # removed | in_lab | tested
    billed_m3: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))
    billed_source: Mapped[str | None] = mapped_column(String(12))  # readings | entered
    billed_from: Mapped[date | None] = mapped_column(Date)
    billed_to: Mapped[date | None] = mapped_column(Date)
    billed_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # yuan billed for billed_m3
    mean_error_pct: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    back_billing_m3: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    back_billing_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # at the period's mean price
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    customer = relationship("Customer")
    meter = relationship("Meter", foreign_keys=[meter_id])
    spare_meter = relationship("Meter", foreign_keys=[spare_meter_id])
    test: Mapped[MeterTest | None] = relationship()
    created_by = relationship("User", foreign_keys=[created_by_id])
    received_by = relationship("User", foreign_keys=[received_by_id])

    __table_args__ = (Index("ix_metering_lab_cases_status", "status"),)
