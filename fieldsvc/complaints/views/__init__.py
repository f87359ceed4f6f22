"""Complaint pages: staff intake, the list and escalations, the complaint page with its next step,
follow-up calls, the monthly analysis; and the public form and status page (no login)."""
from flask import Blueprint

from fieldsvc.complaints import rules
from fieldsvc.models import utcnow

bp = Blueprint("complaints", __name__, url_prefix="/complaints")
public_bp = Blueprint("complaints_public", __name__, url_prefix="/feedback")


@bp.context_processor
def _helpers():
    return {"c_rules": rules, "clock_state": rules.clock_state, "now": utcnow()}


def district_options() -> list[tuple[int, str]]:
    from fieldsvc.customers.services import list_districts
    return [(d.id, d.name) for d in list_districts()]


def photo_blobs(files) -> list[bytes]:
    """The non-empty files of a multiple file input."""
    return [blob for blob in (f.read() for f in files.getlist("photos")) if blob]


from fieldsvc.complaints.views import analysis, complaint, ledger, public, staff  # noqa: E402,F401  (routes)
