"""Idempotent form posts by client_id.

A field form carries a hidden `client_id` (a UUID made on the phone). Before the view runs, the
submission is reserved in the request's own transaction: when the request's unit of work commits the
view's record (fieldsvc.web), the reservation and where the form went are committed with it; when the
view fails, both roll back. A second post with the same
client_id and the same content is answered with the first post's redirect and does nothing; with
different content it is refused with 409, so the phone shows a conflict instead of dropping either.
"""
import hashlib
import uuid

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fieldsvc.errors import Conflict
from fieldsvc.extensions import db
from fieldsvc.sync.models import FormSubmission

IGNORED_FIELDS = {"csrf_token", "client_id"}


def _payload_hash() -> str:
    digest = hashlib.sha256(request.endpoint.encode())
    for key in sorted(request.form):
        if key not in IGNORED_FIELDS:
            for value in request.form.getlist(key):
                digest.update(f"{key}={value}\n".encode())
    for key in sorted(request.files):
        for f in request.files.getlist(key):
            digest.update(key.encode() + hashlib.sha256(f.read()).digest())
            f.seek(0)
    return digest.hexdigest()


def _client_id() -> str | None:
    raw = request.form.get("client_id") if request.method == "POST" and not request.path.startswith("/api/") else None
    if not raw:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        abort(400)


def _before():
    client_id = _client_id()
    if client_id is None or not current_user.is_authenticated:
        return None
    payload = _payload_hash()
    seen = db.session.execute(select(FormSubmission).where(FormSubmission.client_id == client_id)).scalar_one_or_none()
    if seen is not None:
        if seen.payload_hash != payload or seen.endpoint != request.endpoint:
            raise Conflict(_("This form was already sent with different content. Check the record and enter "
                             "the difference again."))
        return redirect(seen.location or url_for("core.home"))
    submission = FormSubmission(client_id=client_id, endpoint=request.endpoint, payload_hash=payload,
                                user_id=current_user.id)
    nested = db.session.begin_nested()
    try:
        db.session.add(submission)
        db.session.flush()
        nested.commit()
    except IntegrityError:  # the same post is being handled right now by another request
        nested.rollback()
        raise Conflict(_("This form is being saved right now. Try again in a moment.")) from None
    g.form_submission_id = submission.id
    return None


def _after(response):
    submission_id = g.pop("form_submission_id", None)
    if submission_id is None or response.status_code not in (301, 302, 303):
        return response
    submission = db.session.get(FormSubmission, submission_id)
    if submission is not None and submission.location is None:  # None: the view rolled back
        submission.location = response.location  # committed by web.finish_unit_of_work, which runs after
    return response


def init_app(app) -> None:
    app.before_request(_before)
    app.after_request(_after)
