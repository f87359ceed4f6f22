"""POST /hse/training/<session_id>/externals: add a contractor's person (not a staff user) to a session."""
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.hse.services import training, training_external
from fieldsvc.hse.views import bp
from fieldsvc.hse.views.common import staff_options
from fieldsvc.web import load_form, on_record


def _session_page(session, values=None, errors=None, status=200):
    return render_template("hse/session.html", session=session, staff=staff_options(), values=values or {},
                           errors=errors or {}), status


@bp.post("/training/<int:session_id>/externals")
def training_external_add(session_id):
    """Checked in the service (units.training_scope): the organiser, or the unit head for their own session."""
    from fieldsvc.hse.schemas.training_external import ExternalIn
    session = training.get_session(current_user, session_id)
    training_external.require_editor(current_user, session)

    def process():
        training_external.add_external(current_user, session, load_form(ExternalIn()))
        return _("External attendee added.")
    return on_record(lambda **kw: _session_page(session, **kw), process,
                     url_for("hse.training_session", session_id=session_id) + "#h-ext")


@bp.context_processor
def _externals():
    """The session page lists its external attendees and offers the contractors to pick from."""
    return {"session_externals": training_external.for_session,
            "external_contractors": training_external.contractor_options,
            "external_names": training_external.names}
