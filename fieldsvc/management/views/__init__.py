"""Management pages: policies and acknowledgements, incidents, annual plans and summaries, vehicles.
Forms go through fieldsvc.web (load_form, form_page, act, on_record); the request's unit of work commits."""
from flask import Blueprint, Response, request

bp = Blueprint("management", __name__, url_prefix="/management")
PER_PAGE = 30


def page_arg() -> int:
    return max(request.args.get("page", 1, type=int), 1)


def pdf_response(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff"})


from fieldsvc.management.views import emergency, incidents, plans, policies, vehicles  # noqa: E402,F401  (routes)
