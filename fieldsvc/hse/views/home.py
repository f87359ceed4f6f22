"""The HSE overview, a person's own safety page, and field observations (report → review: a register
line, a nonconformity in one step, or closed)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.errors import Conflict, Invalid
from fieldsvc.extensions import db
from fieldsvc.hse import schemas
from fieldsvc.hse.services import dashboard, observations
from fieldsvc.hse.views import bp
from fieldsvc.hse.views.common import PER_PAGE, page_arg
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import act, form_page, load_form


@bp.get("/")
@permission_required(P.hse_view)
def index():
    return render_template("hse/index.html", summary=dashboard.overview(current_user, clock.today()),
                           today=clock.today())


@bp.get("/mine")
@permission_required(P.hse_report)
def mine():
    return render_template("hse/mine.html", mine=dashboard.mine(current_user, clock.today()))


@bp.route("/report", methods=["GET", "POST"])
@permission_required(P.hse_report)
def report():
    """The phone form: what was seen, where, and a photo (camera on phones)."""
    def process():
        data = load_form(schemas.HseObservationIn())
        data.pop("client_id", None)
        photo = request.files.get("photo")
        observation = observations.report(current_user, data, photo.read() if photo and photo.filename else None)
        flash(_("Thank you. The safety officer will review your report."), "success")
        return redirect(url_for("hse.observation", observation_id=observation.id))
    return form_page("hse/report.html", process, {"kind": request.args.get("kind", "hazard")})


@bp.get("/observations")
@permission_required(P.hse_report)
def observations_list():
    status = request.args.get("status", "open")
    page = page_arg()
    items, total = observations.list_observations(current_user, status or None, page, PER_PAGE)
    return render_template("hse/observations.html", items=items, total=total, status=status, page=page,
                           per_page=PER_PAGE)


@bp.get("/observations/<int:observation_id>")
@permission_required(P.hse_report)
def observation(observation_id):
    return render_template("hse/observation.html", item=observations.get(current_user, observation_id))


@bp.post("/observations/<int:observation_id>/close")
@permission_required(P.hse_manage)
def close_observation(observation_id):
    return act(lambda: observations.close(current_user, observation_id, request.form.get("reason", "")),
               _("Observation closed."), url_for("hse.observation", observation_id=observation_id))


@bp.post("/observations/<int:observation_id>/nonconformity")
@permission_required(P.hse_manage)
def observation_nonconformity(observation_id):
    """One step from the inbox: the observation becomes a nonconformity, and the page is that record."""
    try:
        nc = observations.raise_nonconformity(current_user, observation_id)
    except (Invalid, Conflict) as exc:
        db.session.rollback()  # the redirect is a success to the unit of work: keep nothing of the refusal
        flash(exc.message, "error")
        return redirect(url_for("hse.observation", observation_id=observation_id))
    flash(_("Nonconformity %(number)s raised.", number=nc.number), "success")
    return redirect(url_for("hse.nonconformity", nc_id=nc.id))
