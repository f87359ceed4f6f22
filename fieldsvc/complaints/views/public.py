"""The public pages (no login): the web form for customers and the status page of a tracking number.

Both are rate-limited per address; the form is CSRF-protected like every form. The status page shows
nothing but that complaint's status and times (services.access.PublicStatus).
"""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldsvc import uploads
from fieldsvc.complaints import rules, schemas
from fieldsvc.complaints.services import access, intake
from fieldsvc.complaints.views import district_options, photo_blobs, public_bp
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db, limiter
from fieldsvc.web import load_form

FORM_LIMIT = "5 per minute"
STATUS_LIMIT = "30 per minute"


def _form_limit() -> str:
    return current_app.config.get("COMPLAINT_PUBLIC_RATE_LIMIT", FORM_LIMIT)


def _status_limit() -> str:
    return current_app.config.get("COMPLAINT_STATUS_RATE_LIMIT", STATUS_LIMIT)


@public_bp.route("", methods=["GET", "POST"])
@limiter.limit(_form_limit, methods=["POST"])
def new():
    errors = {}
    if request.method == "POST":
        try:
            # Photos are decoded first, before the request's first query opens SQLite's write transaction
            # (too many are left to intake to refuse, undecoded).
            photos = photo_blobs(request.files)
            if len(photos) <= intake.MAX_PHOTOS:
                photos = uploads.prepare_images(photos, "photo", field="photos")
            data = load_form(schemas.PublicComplaintIn())
            complaint = intake.receive_public(data, photos)
            flash(_("Thank you. Keep your tracking number to follow your request: %(no)s",
                    no=complaint.tracking_no), "success")
            return redirect(url_for("complaints_public.status", tracking_no=complaint.tracking_no))
        except Invalid as exc:
            db.session.rollback()  # let go of the write lock before the page is drawn again
            errors = exc.errors
    return render_template("complaints/public_form.html", values=request.form, errors=errors,
                           districts=district_options()), 422 if errors else 200


@public_bp.get("/status")
@limiter.limit(_status_limit)
def lookup():
    """Type a tracking number; a well-formed one goes to its status page."""
    typed = request.args.get("no", "").strip()
    if typed:
        number = rules.normalise_tracking(typed)
        if number:
            return redirect(url_for("complaints_public.status", tracking_no=number))
        errors = {"no": [_("A tracking number looks like TS-20261127-7KX2QM.")]}
        return render_template("complaints/public_lookup.html", typed=typed, errors=errors), 422
    return render_template("complaints/public_lookup.html", typed="", errors={})


@public_bp.get("/status/<string:tracking_no>")
@limiter.limit(_status_limit)
def status(tracking_no):
    return render_template("complaints/public_status.html", s=access.public_status(tracking_no))
