"""Training pages (sessions, attendance and scores, the matrix, a person's record, required topics)
and the customer safety publicity campaigns."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.errors import NotFound
from fieldsvc.extensions import db
from fieldsvc.hse import schemas
from fieldsvc.hse.services import training
from fieldsvc.hse.views import bp
from fieldsvc.hse.views.common import PER_PAGE, any_of, page_arg, staff_options
from fieldsvc.permissions import ROLE_LABELS, P, Role, permission_required
from fieldsvc.web import act, form_page, load_form


@bp.get("/training")
@permission_required(P.hse_view)
def training_sessions():
    page = page_arg()
    items, total = training.list_sessions(current_user, page, PER_PAGE)
    return render_template("hse/training.html", items=items, total=total, page=page, per_page=PER_PAGE)


@bp.route("/training/new", methods=["GET", "POST"])
@any_of(P.training_manage, P.hse_unit)
def new_session():
    def process():
        raw = request.form.to_dict()
        raw["attendee_ids"] = request.form.getlist("attendee_ids")
        session = training.create_session(current_user, load_form(schemas.SessionIn(), raw))
        flash(_("Training session recorded."), "success")
        return redirect(url_for("hse.training_session", session_id=session.id))
    topics = training.list_topics(current_user)
    return form_page("hse/session_form.html", process, {"held_on": clock.today().isoformat(), "hours": "2"},
                     topics=topics, topic_options=_topic_options(topics), staff=staff_options())


@bp.route("/training/<int:session_id>", methods=["GET", "POST"])
@permission_required(P.hse_view)
def training_session(session_id):
    """The attendance list; the safety officer keys in scores and adds people."""
    session = training.get_session(current_user, session_id)

    def process():
        scores = {k.removeprefix("score_"): v for k, v in request.form.items() if k.startswith("score_")}
        training.record_scores(current_user, session, scores)
        training.add_attendees(current_user, session, request.form.getlist("attendee_ids"))
        flash(_("Attendance saved."), "success")
        return redirect(url_for("hse.training_session", session_id=session.id))
    return form_page("hse/session.html", process, {}, session=session, staff=staff_options())


@bp.get("/training/matrix")
@permission_required(P.hse_manage)  # the service also lets training_manage in: today the same people
def training_matrix():
    only_due = request.args.get("due") == "1"
    topics, rows = training.matrix(current_user, clock.today(), only_due)
    return render_template("hse/training_matrix.html", topics=topics, rows=rows, only_due=only_due)


@bp.get("/training/people/<int:user_id>")
@permission_required(P.hse_view)
def training_person(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return render_template("hse/training_person.html", person=user,
                           record=training.person_record(current_user, user),
                           status=training.person_status(current_user, user, clock.today()))


@bp.route("/training/requirements", methods=["GET", "POST"])
@permission_required(P.hse_view)
def training_requirements():
    """Topics and what each role must hold; new topics and requirements (safety officer)."""
    def process():
        if request.form.get("form") == "topic":
            data = load_form(schemas.TopicIn())
            training.create_topic(current_user, data["name"], data.get("description"))
            flash(_("Topic added."), "success")
        else:
            data = load_form(schemas.RequirementIn())
            training.set_requirement(current_user, data["topic_id"], data["role"], data["interval_months"])
            flash(_("Requirement saved."), "success")
        return redirect(url_for("hse.training_requirements"))
    topics = training.list_topics(current_user)
    return form_page("hse/training_requirements.html", process, {}, topics=topics,
                     topic_options=_topic_options(topics), requirements=training.list_requirements(current_user),
                     role_options=[(r.value, str(ROLE_LABELS[r])) for r in Role])


def _topic_options(topics) -> list[tuple[str, str]]:
    return [(str(t.id), t.name) for t in topics]


@bp.post("/training/requirements/<int:requirement_id>/remove")
@permission_required(P.training_manage)
def remove_requirement(requirement_id):
    return act(lambda: training.remove_requirement(current_user, requirement_id), _("Requirement removed."),
               url_for("hse.training_requirements"))


# --- campaigns ------------------------------------------------------------------------------------

@bp.route("/campaigns", methods=["GET", "POST"])
@permission_required(P.hse_view)
def campaigns():
    def process():
        campaign = training.create_campaign(current_user, load_form(schemas.CampaignIn()))
        flash(_("Campaign created."), "success")
        return redirect(url_for("hse.campaign", campaign_id=campaign.id))
    return form_page("hse/campaigns.html", process, {"starts_on": clock.today().isoformat()},
                     items=training.list_campaigns(current_user))


@bp.route("/campaigns/<int:campaign_id>", methods=["GET", "POST"])
@permission_required(P.hse_view)
def campaign(campaign_id):
    record = training.get_campaign(current_user, campaign_id)

    def process():
        training.add_campaign_record(current_user, record, load_form(schemas.CampaignRecordIn()))
        flash(_("Publicity record added."), "success")
        return redirect(url_for("hse.campaign", campaign_id=campaign_id))
    return form_page("hse/campaign.html", process, {"held_on": clock.today().isoformat()}, campaign=record)
