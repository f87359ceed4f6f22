"""Department management tables: policies and procedures, incidents, annual plans and summaries, vehicles."""
from fieldsvc.management.models.emergency import (  # noqa: F401  (emergency plans and drills)
           DrillAction,
           DrillParticipant,
           EmergencyContact,
           EmergencyDrill,
           EmergencyPlan,
)
from fieldsvc.management.models.incidents import (
           Incident,
           IncidentAction,
           IncidentNotification,
           IncidentOrder,
           IncidentStep,
)
from fieldsvc.management.models.plans import AnnualPlan, AnnualSummary, PlanItem
from fieldsvc.management.models.policies import Policy, PolicyAck, PolicyCheck, PolicyFinding, PolicyVersion
from fieldsvc.management.models.vehicles import Vehicle, VehicleCheck, VehicleService

__all__ = ["AnnualPlan", "AnnualSummary", "Incident", "IncidentAction", "IncidentNotification", "IncidentOrder",
           "IncidentStep", "PlanItem", "Policy", "PolicyAck", "PolicyCheck", "PolicyFinding", "PolicyVersion",
           "Vehicle", "VehicleCheck", "VehicleService"]
