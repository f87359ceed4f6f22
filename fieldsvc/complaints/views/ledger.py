"""GET /complaints/ledger.xlsx?from=&to=: the complaint ledger (投诉台账) as a workbook. Who may have it,
and which complaints it holds, is the service's (complaints.services.ledger.scope)."""
from flask import Response, request
from flask_login import current_user

from fieldsvc.complaints.services import ledger as service
from fieldsvc.complaints.views import bp
from fieldsvc.exports import XLSX_MIMETYPE
from fieldsvc.permissions import P, permission_required
from fieldsvc.schemas import parse_date


@bp.context_processor
def _ledger_link():
    """The list page asks the service whether to offer the ledger (never a role test in the template)."""
    return {"ledger_allowed": lambda: current_user.is_authenticated and service.may_download(current_user)}


@bp.get("/ledger.xlsx")
@permission_required(P.complaints_view_all)
def ledger():
    # YYYY-MM-DD between 2000 and 2100, else 422 naming the field (a page with the message)
    start, end = service.period(parse_date(request.args.get("from"), "from"), parse_date(request.args.get("to"), "to"))
    body = service.workbook(current_user, start, end)
    name = f"complaint-ledger-{start.isoformat()}-{end.isoformat()}.xlsx"
    return Response(body, mimetype=XLSX_MIMETYPE, headers={"Content-Disposition": f'attachment; filename="{name}"'})
