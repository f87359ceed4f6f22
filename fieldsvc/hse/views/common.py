"""Form plumbing shared by the HSE pages: validate with the API's schemas, keep what was typed."""
from flask import flash, redirect, render_template, request
from marshmallow import ValidationError

from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.hse.services.common import staff_choices
from fieldsvc.permissions import ROLE_LABELS

PER_PAGE = 30


def load(schema, data) -> dict:
    """Validate submitted data with a schema; errors come back as Invalid (422, field by field)."""
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise Invalid(exc.messages) from exc


def form_page(template: str, process, values=None, **ctx):
    """GET: the form with `values`. POST: run process() (→ a response), commit; on Invalid roll back
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
    """A one-button action (transition, close, done…): commit and flash, or flash why not."""
    try:
        process()
        db.session.commit()
        flash(success, "success")
    except (Invalid, Conflict) as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(back)


def page_arg() -> int:
    return max(request.args.get("page", 1, type=int), 1)


def staff_options() -> list[tuple[str, str]]:
    """(id, "name · role") of active staff, for owner and attendee pickers."""
    return [(str(u.id), f"{u.name} · {ROLE_LABELS.get(u.role, u.role)}") for u in staff_choices()]
