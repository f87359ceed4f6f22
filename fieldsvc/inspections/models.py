"""Household safety inspections: the versioned checklist, visits and their findings, hazards and their
rectification, the plan's batches, per-customer safety flags, end-of-line pressure sampling."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, UTCDateTime, utcnow


class ChecklistVersion(IdMixin, db.Model):
    """One version of the checklist; exactly one is active for new inspections."""

    __tablename__ = "inspection_checklists"

    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list["ChecklistItem"]] = relationship(back_populates="checklist",
                                                        order_by="ChecklistItem.position")


class ChecklistItem(IdMixin, db.Model):
    __tablename__ = "inspection_checklist_items"

    checklist_id: Mapped[int] = mapped_column(ForeignKey("inspection_checklists.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # the order a technician walks the home
    section: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(40))
    grade: Mapped[str] = mapped_column(String(1))  # default grade A | B | C
    label_zh: Mapped[str] = mapped_column(String(100))
    label_en: Mapped[str] = mapped_column(String(150))
    help_zh: Mapped[str | None] = mapped_column(Text)
    help_en: Mapped[str | None] = mapped_column(Text)
    categories: Mapped[str | None] = mapped_column(String(60))  # "commercial,industrial"; None: everyone

    checklist: Mapped[ChecklistVersion] = relationship(back_populates="items")

    __table_args__ = (UniqueConstraint("checklist_id", "code", name="uq_inspection_checklist_items_code"),)

    def label(self, locale: str) -> str:
        return self.label_zh if locale.startswith("zh") else self.label_en

    def help(self, locale: str) -> str:
        return (self.help_zh if locale.startswith("zh") else self.help_en) or ""

    def applies_to(self, category: str) -> bool:
        return not self.categories or category in self.categories.split(",")


class Inspection(IdMixin, db.Model):
    """One visit to a customer: completed (the checklist walked), refused, or nobody home."""

    __tablename__ = "inspections"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    checklist_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_checklists.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_batches.id"))
    outcome: Mapped[str] = mapped_column(String(12))
    # household: the annual 入户安检 (the whole checklist; counts for the cycle); indoor_pipe: a pipe
    # fitter's check of the indoor pipes, meter and valves (rules.PIPE_SECTIONS; not the annual visit).
    scope: Mapped[str] = mapped_column(String(12), default="household", server_default="household")
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    gas: Mapped[str] = mapped_column(String(4))  # the customer's gas family at the visit
    static_pa: Mapped[int | None] = mapped_column(Integer)
    working_pa: Mapped[int | None] = mapped_column(Integer)
    pressure_verdict: Mapped[str | None] = mapped_column(String(8))
    restriction: Mapped[bool | None] = mapped_column(Boolean)
    # The manometer that read the pressures (fieldsvc.instruments: in calibration on the visit's day).
    instrument_id: Mapped[int | None] = mapped_column(ForeignKey("instruments.id"))
    card_left: Mapped[bool] = mapped_column(Boolean, default=False)
    door_gap_check: Mapped[str | None] = mapped_column(String(10))  # no_leak | leak
    refused_by: Mapped[str | None] = mapped_column(String(100))
    refusal_reason: Mapped[str | None] = mapped_column(String(300))
    supply_shut_off: Mapped[bool] = mapped_column(Boolean, default=False)
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    no_signature_reason: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    # What RULES.md §6 asks for and this visit lacks (an API record can arrive incomplete): codes.
    missing: Mapped[str | None] = mapped_column(String(100))

    customer = relationship("Customer")
    inspector = relationship("User")
    instrument = relationship("Instrument")
    checklist: Mapped[ChecklistVersion | None] = relationship()
    results: Mapped[list["InspectionResult"]] = relationship(back_populates="inspection",
                                                             order_by="InspectionResult.position")
    hazards: Mapped[list["Hazard"]] = relationship(back_populates="inspection", order_by="Hazard.id")
    appliances: Mapped[list["InspectionAppliance"]] = relationship(order_by="InspectionAppliance.id")

    __table_args__ = (
        Index("ix_inspections_customer_outcome_at", "customer_id", "outcome", "visited_at"),
        # by visit time (lists, reports: 安检率/入户率 of a cycle without reading the rows — covering)
        Index("ix_inspections_visited_customer_outcome", "visited_at", "customer_id", "outcome"),
    )

    @property
    def missing_codes(self) -> list[str]:
        return [c for c in (self.missing or "").split(",") if c]

    @property
    def notice_no(self) -> str:
        """隐患整改通知书 number: year of the visit and the inspection id."""
        return f"YH-{self.visited_at.year}-{self.id:06d}"


class InspectionResult(IdMixin, db.Model):
    """One checklist item as found at a visit (ok or not), with a note and a photo."""

    __tablename__ = "inspection_results"

    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inspection_checklist_items.id"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    ok: Mapped[bool] = mapped_column(Boolean)
    grade: Mapped[str | None] = mapped_column(String(1))  # of a finding: the item's default unless judged
    note: Mapped[str | None] = mapped_column(String(300))
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    auto: Mapped[bool] = mapped_column(Boolean, default=False)  # raised by the system (appliance past life)

    inspection: Mapped[Inspection] = relationship(back_populates="results")
    item: Mapped[ChecklistItem] = relationship()


class InspectionAppliance(IdMixin, db.Model):
    """An appliance as confirmed (or added) at a visit, and whether it was past its life then."""

    __tablename__ = "inspection_appliances"

    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    appliance_id: Mapped[int] = mapped_column(ForeignKey("appliances.id"))
    seen: Mapped[bool] = mapped_column(Boolean, default=True)
    added: Mapped[bool] = mapped_column(Boolean, default=False)
    expired: Mapped[bool] = mapped_column(Boolean, default=False)

    appliance = relationship("Appliance")


class Hazard(IdMixin, db.Model):
    """A finding to rectify (A/B) or advice given (C), followed until a re-check closes it."""

    __tablename__ = "inspection_hazards"

    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("inspection_results.id"))
    code: Mapped[str] = mapped_column(String(40))
    grade: Mapped[str] = mapped_column(String(1))
    found_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    inspection: Mapped[Inspection] = relationship(back_populates="hazards")
    customer = relationship("Customer")
    result: Mapped[InspectionResult] = relationship()
    work_order = relationship("WorkOrder")
    closed_by = relationship("User")
    photos: Mapped[list["HazardPhoto"]] = relationship(order_by="HazardPhoto.id")
    events: Mapped[list["HazardEvent"]] = relationship(order_by="HazardEvent.id")

    __table_args__ = (Index("ix_inspection_hazards_status_deadline", "status", "deadline"),)


class HazardPhoto(IdMixin, db.Model):
    """Evidence: before and after the rectification, and at the re-check."""

    __tablename__ = "inspection_hazard_photos"

    hazard_id: Mapped[int] = mapped_column(ForeignKey("inspection_hazards.id"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id"))
    stage: Mapped[str] = mapped_column(String(10))  # before | after | recheck
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HazardEvent(IdMixin, db.Model):
    """The hazard's own history for the archive (the audit trail keeps the tamper-evident copy)."""

    __tablename__ = "inspection_hazard_events"

    hazard_id: Mapped[int] = mapped_column(ForeignKey("inspection_hazards.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(String(500))

    actor = relationship("User")


class CustomerSafety(IdMixin, db.Model):
    """Safety flags kept per customer by this domain (the customers table is not ours to change)."""

    __tablename__ = "inspection_customer_flags"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), unique=True)
    long_term_uninspected: Mapped[bool] = mapped_column(Boolean, default=False)
    long_term_since: Mapped[date | None] = mapped_column(Date)
    end_of_line: Mapped[bool] = mapped_column(Boolean, default=False)  # 管网末端: pressure sampling point
    end_of_line_note: Mapped[str | None] = mapped_column(String(200))
    # Facility data for the archive (the pipe fitter's base data, 为安全员完善用户档案提供基础数据).
    meter_location: Mapped[str | None] = mapped_column(String(20))  # kitchen | balcony | hallway | ...
    pipe_material: Mapped[str | None] = mapped_column(String(20))  # steel | galvanised | ...
    facility_note: Mapped[str | None] = mapped_column(String(300))
    facility_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    facility_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer = relationship("Customer")


class InspectionBatch(IdMixin, db.Model):
    """Customers of one district the safety officer gave to one inspector for this cycle."""

    __tablename__ = "inspection_batches"

    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))

    district = relationship("District")
    assignee = relationship("User", foreign_keys=[assignee_id])


class BatchCustomer(IdMixin, db.Model):
    __tablename__ = "inspection_batch_customers"

    batch_id: Mapped[int] = mapped_column(ForeignKey("inspection_batches.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    cycle_start: Mapped[date] = mapped_column(Date)  # a customer is in one batch per cycle

    customer = relationship("Customer")

    __table_args__ = (UniqueConstraint("customer_id", "cycle_start", name="uq_inspection_batch_customers_cycle"),)


class SamplingOrder(IdMixin, db.Model):
    """One end-of-line customer drawn on a day for a pressure_check work order."""

    __tablename__ = "pressure_sampling_orders"

    day: Mapped[date] = mapped_column(Date, index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), unique=True)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The reading as signed off (locked: the review and reports use these once the day is signed).
    locked_static_pa: Mapped[int | None] = mapped_column(Integer)
    locked_working_pa: Mapped[int | None] = mapped_column(Integer)
    locked_verdict: Mapped[str | None] = mapped_column(String(10))  # low | normal | high; None: no reading
    locked_restriction: Mapped[bool | None] = mapped_column(Boolean)
    # The pressure_check opened from an anomaly of this sample (one per sample).
    followup_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), unique=True)

    customer = relationship("Customer")
    work_order = relationship("WorkOrder", foreign_keys=[work_order_id])
    followup_order = relationship("WorkOrder", foreign_keys=[followup_order_id])

    __table_args__ = (UniqueConstraint("day", "customer_id", name="uq_pressure_sampling_orders_day"),)


class SamplingReview(IdMixin, db.Model):
    """The station chief's sign-off of a day's end-of-line sample (审核), with the analysis note. Once it
    exists the day's readings are locked (copied onto its samples) and no more are drawn for that day."""

    __tablename__ = "pressure_sampling_reviews"

    day: Mapped[date] = mapped_column(Date, unique=True)
    note: Mapped[str] = mapped_column(Text)
    samples: Mapped[int] = mapped_column(Integer)
    anomalies: Mapped[int] = mapped_column(Integer)
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    signed_by = relationship("User")
