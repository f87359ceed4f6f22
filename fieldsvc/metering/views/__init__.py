"""Pages of the metering office (/metering/…) and the public verification page (/verify/<number>)."""
from flask import Blueprint

bp = Blueprint("metering", __name__, url_prefix="/metering")
public_bp = Blueprint("metering_public", __name__)
PER_PAGE = 30


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


def point_errors(errors: dict, origin: list[int]) -> tuple[dict, bool]:
    """Errors in the dotted shape with the points' (points.<n>.<field>, by list position) moved onto the
    form rows they were typed in (points.<row>.<field>); and whether any point was marked."""
    moved, marked = {}, False
    for name, messages in errors.items():
        head, _sep, rest = name.partition(".")
        position, _sep, field = rest.partition(".")
        if head == "points" and position.isdigit() and int(position) < len(origin):
            name, marked = f"points.{origin[int(position)]}.{field}", True
        moved[name] = messages
    return moved, marked


from fieldsvc.metering.views import batches, cases, checks, equipment, tests, verify  # noqa: E402,F401
