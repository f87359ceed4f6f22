"""突发事件 / 事故: incident records linked to emergency work orders, who was informed, the steps taken,
the analysis and the corrective actions (raised as HSE nonconformities)."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime, utcnow


class Incident(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "mgmt_incidents"

    number: Mapped[str | None] = mapped_column(String(20), unique=True)  # SJ2026-00012, set after flush
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))  # rules.INCIDENT_KINDS
    severity: Mapped[str] = mapped_column(String(10), default="minor")  # rules.INCIDENT_SEVERITIES
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    location: Mapped[str] = mapped_column(String(250))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("mgmt_emergency_plans.id"))  # the plan it used
    description: Mapped[str] = mapped_column(Text)  # what happened
    people_affected: Mapped[str | None] = mapped_column(Text)  # who, injuries, evacuations
    injured: Mapped[int] = mapped_column(Integer, default=0)
    deaths: Mapped[int] = mapped_column(Integer, default=0)
    property_damage: Mapped[str | None] = mapped_column(Text)
    immediate_measures: Mapped[str | None] = mapped_column(Text)
    resources: Mapped[str | None] = mapped_column(Text)  # crews, vehicles, outside help coordinated
    causes: Mapped[str | None] = mapped_column(Text)
    lessons: Mapped[str | None] = mapped_column(Text)
    responsibility: Mapped[str | None] = mapped_column(Text)
    analysed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    analysed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    no_action_reason: Mapped[str | None] = mapped_column(Text)  # closing without a corrective action
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    district = relationship("District")
    plan = relationship("EmergencyPlan")
    reporter = relationship("User", foreign_keys=[reported_by], lazy="joined")
    analyst = relationship("User", foreign_keys=[analysed_by])
    orders: Mapped[list["IncidentOrder"]] = relationship(back_populates="incident", order_by="IncidentOrder.id")
    notifications: Mapped[list["IncidentNotification"]] = relationship(
        back_populates="incident", order_by="IncidentNotification.notified_at")
    steps: Mapped[list["IncidentStep"]] = relationship(back_populates="incident", order_by="IncidentStep.at")
    actions: Mapped[list["IncidentAction"]] = relationship(back_populates="incident", order_by="IncidentAction.id")

    __mapper_args__ = {"version_id_col": version}


class IncidentOrder(IdMixin, db.Model):
    """The emergency work order(s) of the incident (an order belongs to at most one incident)."""

    __tablename__ = "mgmt_incident_orders"

    incident_id: Mapped[int] = mapped_column(ForeignKey("mgmt_incidents.id"), index=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"))
    linked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    incident: Mapped[Incident] = relationship(back_populates="orders")
    work_order = relationship("WorkOrder", lazy="joined")

    __table_args__ = (UniqueConstraint("work_order_id", name="incident_order"),)


class IncidentNotification(IdMixin, db.Model):
    """Who was informed (the company's duty manager, 119, the gas authority …), when, how, by whom."""

    __tablename__ = "mgmt_incident_notifications"

    incident_id: Mapped[int] = mapped_column(ForeignKey("mgmt_incidents.id"), index=True)
    party: Mapped[str] = mapped_column(String(200))
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(12))  # rules.NOTIFY_CHANNELS
    note: Mapped[str | None] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    incident: Mapped[Incident] = relationship(back_populates="notifications")
    by = relationship("User", lazy="joined")


class IncidentStep(IdMixin, db.Model):
    """A step of the response, in time (valve shut at 14:05, area cordoned off, supply restored)."""

    __tablename__ = "mgmt_incident_steps"

    incident_id: Mapped[int] = mapped_column(ForeignKey("mgmt_incidents.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    incident: Mapped[Incident] = relationship(back_populates="steps")
    by = relationship("User", lazy="joined")


class IncidentAction(IdMixin, db.Model):
    """A corrective or preventive action decided in the analysis, run as an HSE nonconformity."""

    __tablename__ = "mgmt_incident_actions"

    incident_id: Mapped[int] = mapped_column(ForeignKey("mgmt_incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="corrective")  # corrective | preventive
    description: Mapped[str] = mapped_column(Text)
    nonconformity_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: HSE is optional
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    incident: Mapped[Incident] = relationship(back_populates="actions")
