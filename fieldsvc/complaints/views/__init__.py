"""Complaint pages: staff intake, the list and escalations, the complaint page with its next step,
follow-up calls, the monthly analysis; and the public form and status page (no login)."""
from flask import Blueprint
from marshmallow import ValidationError

from fieldsvc.complaints import rules
from fieldsvc.errors import Invalid
from fieldsvc.models import utcnow

bp = Blueprint("complaints", __name__, url_prefix="/complaints")
public_bp = Blueprint("complaints_public", __name__, url_prefix="/feedback")


@bp.context_processor
def _helpers():
    return {"c_rules": rules, "clock_state": rules.clock_state, "now": utcnow()}


def load_form(schema, data: dict) -> dict:
    """Validate a submitted form with the API's schema; errors come back as Invalid."""
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise Invalid(flatten(exc.messages)) from exc


def flatten(messages: dict, prefix: str = "") -> dict[str, list[str]]:
    """Nested errors ({"solutions": {0: {"compensation": [...]}}}) → {"solutions.0.compensation": [...]}."""
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = list(value) if isinstance(value, list | tuple) else [str(value)]
    return flat


def district_options() -> list[tuple[int, str]]:
    from fieldsvc.customers.services import list_districts
    return [(d.id, d.name) for d in list_districts()]


def photo_blobs(files) -> list[bytes]:
    """The non-empty files of a multiple file input."""
    return [blob for blob in (f.read() for f in files.getlist("photos")) if blob]


from fieldsvc.complaints.views import analysis, complaint, public, staff  # noqa: E402,F401  (routes)
