"""Pages of the metering office (/metering/…) and the public verification page (/verify/<number>)."""
from flask import Blueprint
from marshmallow import ValidationError

from fieldsvc.errors import Invalid

bp = Blueprint("metering", __name__, url_prefix="/metering")
public_bp = Blueprint("metering_public", __name__)
PER_PAGE = 30


def load(schema, data: dict) -> dict:
    """Validate submitted data with the API's schema; errors come back as Invalid (422, form kept)."""
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise Invalid(_str_keys(exc.messages)) from exc


def _str_keys(messages):
    """marshmallow keys nested list errors by int position; pages (and JSON) use string keys."""
    if isinstance(messages, dict):
        return {str(k): _str_keys(v) for k, v in messages.items()}
    return messages


def form_points(form, rows: int) -> tuple[list[dict], list[int]]:
    """The points typed in rows points-<i>-<field>; wholly blank rows are left out.

    Returns the points and, for each, the form row it came from (to put errors back on that row).
    """
    points, origin = [], []
    for i in range(rows):
        row = {f: form.get(f"points-{i}-{f}", "").strip() for f in ("flow_m3h", "reference_l", "indicated_l")}
        if any(row.values()):
            points.append(row)
            origin.append(i)
    return points, origin


def point_errors(errors: dict, origin: list[int]) -> dict:
    """Map errors of points (by list position) onto form rows: {"<row>": {"field": [...]}}."""
    nested = errors.get("points")
    if not isinstance(nested, dict):
        return {}
    return {str(origin[int(k)]): v for k, v in nested.items() if str(k).isdigit() and int(k) < len(origin)}


from fieldsvc.metering.views import batches, cases, checks, equipment, tests, verify  # noqa: E402,F401
