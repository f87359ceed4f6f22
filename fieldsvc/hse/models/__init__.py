"""HSE tables: the registers (hazards, aspects, observations), programmes and self-inspections,
training and publicity, nonconformities with their actions."""
from fieldsvc.hse.models.audit import HseAudit, HseAuditFinding, ManagementReview, ReviewDecision  # noqa: F401
from fieldsvc.hse.models.capa import NcAction, Nonconformity
from fieldsvc.hse.models.legal import LegalEvaluation, LegalRequirement  # noqa: F401
from fieldsvc.hse.models.programme import HseObjective, HseObjectiveUpdate, SelfInspection, SelfInspectionItem
from fieldsvc.hse.models.registers import HseAspect, HseHazard, HseObservation
from fieldsvc.hse.models.training import (
    HseCampaign,
    HseCampaignRecord,
    TrainingAttendance,
    TrainingRequirement,
    TrainingSession,
    TrainingTopic,
)
from fieldsvc.hse.models.training_external import ExternalAttendance  # noqa: F401  (contractors' people)

__all__ = ["HseAspect", "HseCampaign", "HseCampaignRecord", "HseHazard", "NcAction", "Nonconformity", "HseObjective",
           "HseObjectiveUpdate", "HseObservation", "SelfInspection", "SelfInspectionItem", "TrainingAttendance",
           "TrainingRequirement", "TrainingSession", "TrainingTopic"]
