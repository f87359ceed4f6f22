"""HSE use cases, one module per area. Other domains call `raise_from_field` from here:

    from fieldsvc.hse.services import raise_from_field
    raise_from_field(actor, "field_hazard", "inspection", inspection.id, title, description)
"""
from fieldsvc.hse.services.capa import raise_from_field

__all__ = ["raise_from_field"]
