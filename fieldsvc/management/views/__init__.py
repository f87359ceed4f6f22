"""Management pages: policies and acknowledgements, incidents, annual plans and summaries, vehicles."""
from flask import Blueprint, Response, flash, redirect, render_template, request
from marshmallow import ValidationError

from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db

bp = Blueprint("management", __name__, url_prefix="/management")
PER_PAGE = 30


def load(schema, data) -> dict:
    """Validate submitted data with a schema; errors come back as Invalid (422, field by field)."""
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise Invalid({k: v if isinstance(v, list) else [str(v)] for k, v in exc.messages.items()}) from exc


def form_page(template: str, process, values=None, **ctx):
    """GET: the form with `values`. POST: run process() (→ a response) and commit; on Invalid roll back
    and re-render with what was typed and the errors (422)."""
    errors = {}
    if request.method == "POST":
        try:
            response = process()
            db.session.commit()
            return response
        except Invalid as exc:
            db.session.rollback()
            errors = exc.errors
    shown = request.form if request.method == "POST" else (values or {})
    return render_template(template, values=shown, errors=errors, **ctx), 422 if errors else 200


def act(process, success: str, back: str):
    """A one-button action: commit and flash, or flash why not."""
    try:
        process()
        db.session.commit()
        flash(success, "success")
    except (Invalid, Conflict) as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(back)


def on_record(render, process, back: str):
    """A form posted on a record's page: on Invalid re-render that page with the typed values and the
    errors (422); a conflict (illegal move, stale page) is flashed on the fresh record."""
    try:
        message = process()
        db.session.commit()
        flash(message, "success")
        return redirect(back)
    except Invalid as exc:
        db.session.rollback()
        return render(values=request.form, errors=exc.errors, status=422)
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(back)


def page_arg() -> int:
    return max(request.args.get("page", 1, type=int), 1)


def pdf_response(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff"})


from fieldsvc.management.views import incidents, plans, policies, vehicles  # noqa: E402,F401  (routes)
