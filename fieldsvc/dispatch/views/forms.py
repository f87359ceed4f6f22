"""Completion forms: the fields of each type's results schema, drawn from the schema itself."""
from dataclasses import dataclass

from marshmallow import fields, validate

from fieldsvc.dispatch import rules
from fieldsvc.dispatch.labels import RESULT_CHOICES, RESULT_HINTS, RESULT_LABELS
from fieldsvc.dispatch.schemas.results import RESULT_SCHEMAS, field_names
from fieldsvc.labels import options

MAX_PART_LINES = 5


@dataclass(frozen=True)
class ResultField:
    name: str
    kind: str  # bool (a box to tick) | choice (yes/no when the answer is required) | number | text
    label: str
    required: bool
    options: list[tuple[str, str]]
    hint: str = ""
    step: str = "any"


def _kind(field) -> tuple[str, list]:
    if isinstance(field, fields.Boolean):  # an answer that must be given is a yes/no, never a blank box
        return ("choice", options("yes_no")) if field.required else ("bool", [])
    one_of = next((v for v in field.validators if isinstance(v, validate.OneOf)), None)
    if one_of is not None:
        return "choice", options(RESULT_CHOICES[field.name])
    if isinstance(field, fields.Integer | fields.Decimal):
        return "number", []
    return "text", []


def result_fields(order_type: str) -> list[ResultField]:
    schema = RESULT_SCHEMAS[rules.OrderType(order_type)]()
    out = []
    for name, field in schema.fields.items():
        kind, opts = _kind(field)
        if name == "satisfaction":
            kind, opts = "choice", [(str(n), "★" * n) for n in range(5, 0, -1)]
        out.append(ResultField(name, kind, str(RESULT_LABELS.get(name, name)), field.required, opts,
                               str(RESULT_HINTS.get(name, "")),
                               "1" if isinstance(field, fields.Integer) else "any"))
    return out


COMPLETION_KEYS = ("work_notes", "signature", "no_signature_reason", "results")


def completion_form(form, order_type: str) -> tuple[dict, list[dict]]:
    """The posted completion form split into what WorkOrderTransitionIn validates and the part lines
    (checked against the technician's stock by the custody service)."""
    data = {k: form[k] for k in ("version", "lat", "lng", "work_notes", "signature", "no_signature_reason")
            if form.get(k)}
    data["results"] = {name: form[name] for name in field_names(order_type) if name in form}
    parts = [{"item_id": form.get(f"part_item_{i}"), "quantity": form.get(f"part_qty_{i}")}
             for i in range(MAX_PART_LINES) if form.get(f"part_item_{i}")]
    return data, parts
