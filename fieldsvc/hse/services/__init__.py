"""HSE use cases, one module per area. What other domains call, inside their own authorised use case:

- a hazard found on a field job (a household inspection with a grade A finding, an emergency with a
  leak found) goes to the safety officer's inbox as an observation linked to the inspection or order,
  and the safety officer raises a nonconformity from it in one step:
      from fieldsvc.hse.services import observations
      observations.from_field(actor, description=..., location=..., inspection_id=inspection.id)
- a finding that is a nonconformity by itself (a justified complaint, an incident's action, a failed
  policy check) is raised directly:
      from fieldsvc.hse.services import raise_from_field
      raise_from_field(actor, "complaint", "complaint_improvement", row.id, title, description)
"""
from fieldsvc.hse.services.capa import raise_from_field

__all__ = ["raise_from_field"]
