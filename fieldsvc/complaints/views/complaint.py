"""The complaint page and its forms: the next step on the state table, the work order, notes, the
follow-up call, the owner's reply to the customer and the hand-over (首问负责制). A refused form re-renders the page with what was typed (422) or the conflict (409)."""
import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.complaints import rules, schemas
from fieldsvc.complaints.services import access, first_contact, followup, handling, penalties
from fieldsvc.complaints.views import bp, district_options
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.permissions import P, can, permission_required
from fieldsvc.web import load_form

MAX_SOLUTIONS = 3


def _page(complaint_id: int, status: int = 200, errors=None, form: str | None = None, conflict: str | None = None):
    complaint = access.get_complaint(current_user, complaint_id)
    handler = can(current_user, P.complaints_handle)
    return render_template(
        "complaints/show.html", c=complaint, history=access.history(current_user, complaint),
        photos=access.photos(current_user, complaint), errors=errors or {}, failed_form=form,
        values=request.form if errors else {}, conflict=conflict,
        moves=handling.available_moves(current_user, complaint),
        order_types=rules.order_types_for(complaint.category),
        staff=handling.staff_for_responsible(current_user) if handler else [],
        districts=district_options() if handler else [], max_solutions=MAX_SOLUTIONS,
        owner_may=first_contact.may_act(current_user, complaint),
        handover_to=first_contact.handover_candidates(current_user, complaint),
        reply_public=rules.public_reply(complaint.status, complaint.reply_text) is not None,
        penalties=penalties.visible_for(current_user, complaint)), status


def _act(complaint_id: int, form: str, action, message: str):
    """Run a form's action and go back to the page (the request commits), or re-render it from the stored
    complaint with the errors kept (422) or the conflict (409)."""
    try:
        action()
    except Invalid as exc:
        db.session.rollback()
        return _page(complaint_id, 422, exc.errors, form)
    except Conflict as exc:
        db.session.rollback()
        return _page(complaint_id, 409, conflict=exc.message)
    flash(message, "success")
    return redirect(url_for("complaints.show", complaint_id=complaint_id))


@bp.get("/<int:complaint_id>")
@permission_required(P.complaints_intake)
def show(complaint_id):
    return _page(complaint_id)


def _transition_form(form) -> dict:
    """Flat form fields → the API's shape (the proposed solutions become a list)."""
    numbered = re.compile(r"^(solution|compensation)_\d+$")
    data = {k: v for k, v in form.items() if not numbered.match(k)}
    if data.get("to") == rules.Status.solution_proposed:
        data["solutions"] = [
            {"description": form.get(f"solution_{i}", ""), "compensation": form.get(f"compensation_{i}", "")}
            for i in range(1, MAX_SOLUTIONS + 1) if form.get(f"solution_{i}", "").strip()]
    return data


def _flat_errors(errors: dict) -> dict:
    """Errors of the solutions list → the form's field names (solution_1, compensation_2, …)."""
    flat = {}
    for key, messages in errors.items():
        parts = key.split(".")
        if parts[0] != "solutions":
            flat[key] = messages
        elif len(parts) == 3 and parts[1].isdigit():
            flat[f"{'solution' if parts[2] == 'description' else parts[2]}_{int(parts[1]) + 1}"] = messages
        else:
            flat["solution_1"] = messages
    return flat


@bp.post("/<int:complaint_id>/transition")
@permission_required(P.complaints_handle)
def transition(complaint_id):
    to = request.form.get("to", "")

    def run():
        try:
            data = load_form(schemas.TransitionIn(), _transition_form(request.form))
            handling.transition(current_user, complaint_id, data.pop("to"), data, data.pop("version", None))
        except Invalid as exc:
            raise Invalid(_flat_errors(dict(exc.errors))) from exc
    return _act(complaint_id, f"to-{to}", run, _("Saved: %(status)s.", status=label(to, "complaint_status")))


@bp.post("/<int:complaint_id>/order")
@permission_required(P.complaints_handle)
def start_order(complaint_id):
    def run():
        data = load_form(schemas.OrderIn())
        handling.start_order(current_user, complaint_id, data.pop("order_type"), data)
    return _act(complaint_id, "order", run, _("Work order started."))


@bp.post("/<int:complaint_id>/note")
@permission_required(P.complaints_intake)
def note(complaint_id):
    def run():
        data = load_form(schemas.NoteIn())
        handling.add_note(current_user, complaint_id, data["note"])
    return _act(complaint_id, "note", run, _("Note added."))


@bp.post("/<int:complaint_id>/followup")
@permission_required(P.complaints_handle)
def record_followup(complaint_id):
    def run():
        data = load_form(schemas.FollowupIn())
        complaint = followup.record_followup(current_user, complaint_id, data["satisfaction"],
                                             data.get("comments"), data.get("version"))
        if complaint.status == rules.Status.investigating:
            flash(_("The customer is dissatisfied: the complaint is reopened for investigation."), "warning")
    return _act(complaint_id, "followup", run, _("Follow-up call recorded."))


@bp.post("/<int:complaint_id>/reply")
@permission_required(P.complaints_intake)
def reply(complaint_id):
    def run():
        data = load_form(schemas.ReplyIn())
        first_contact.reply(current_user, complaint_id, data["text"], data.get("version"))
    return _act(complaint_id, "reply", run, _("Reply to the customer recorded."))


@bp.post("/<int:complaint_id>/handover")
@permission_required(P.complaints_intake)
def handover(complaint_id):
    """The previous owner still sees the complaint: they received it, or they handle complaints."""
    def run():
        data = load_form(schemas.HandoverIn())
        first_contact.handover(current_user, complaint_id, data["to_user_id"], data["note"], data.get("version"))
    return _act(complaint_id, "handover", run, _("Complaint handed over."))


@bp.post("/<int:complaint_id>/penalties")
@permission_required(P.complaint_penalties)
def add_penalty(complaint_id):
    """The director records a penalty on the responsible person (处罚责任者)."""
    def run():
        penalties.record(current_user, complaint_id, load_form(schemas.PenaltyIn()))
    return _act(complaint_id, "penalty", run, _("Penalty recorded."))
