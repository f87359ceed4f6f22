"""Weekly in-home meter checks: this week's sample, the visit form (phone), the ledger, service life."""
from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.metering import rules, schemas
from fieldsvc.metering.services import checks as services
from fieldsvc.metering.views import PER_PAGE, bp
from fieldsvc.permissions import P, permission_required
from fieldsvc.schemas import parse_date
from fieldsvc.web import form_page, load_form


@bp.get("/checks")
@permission_required(P.meter_checks_view)
def checks():
    week = rules.week_start(clock.today())
    items = services.week_checks(current_user, week)
    done = sum(1 for c in items if c.status != "planned")
    return render_template("metering/checks.html", items=items, week=week, done=done,
                           sample_size=services.sample_size())


@bp.post("/checks/draw")
@permission_required(P.meter_checks)
def checks_draw():
    drawn = services.draw_sample(current_user)
    flash(_("%(n)d meters drawn for this week.", n=len(drawn)), "success")
    return redirect(url_for("metering.checks"))


@bp.route("/checks/<int:check_id>", methods=["GET", "POST"])
@permission_required(P.meter_checks_view)
def check_visit(check_id):
    item = services.get_check(current_user, check_id)

    def process():
        form = request.form.to_dict()
        form["findings"] = request.form.getlist("findings")
        services.record_visit(current_user, item, load_form(schemas.VisitIn(), form))
        flash(_("Visit to %(serial)s recorded.", serial=item.meter.serial_no), "success")
        return redirect(url_for("metering.checks"))
    ticked = request.form.getlist("findings") if request.method == "POST" else item.findings
    return form_page("metering/check_visit.html", process, {}, check=item, ticked=ticked,
                     findings=services.FINDINGS, life=services.life_status(item, item.customer.gas))


def _date_arg(name: str, default: date) -> date:
    try:
        date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return default
    return parse_date(request.args.get(name), name)  # within the app's date range, else 422


@bp.get("/checks/ledger")
@permission_required(P.meter_checks_view)
def ledger():
    today = clock.today()
    date_to = _date_arg("to", today)
    date_from = _date_arg("from", date_to - timedelta(days=90))
    findings_only = request.args.get("findings") == "1"
    page = max(request.args.get("page", 1, type=int), 1)
    items, total = services.ledger(current_user, date_from, date_to, findings_only, page, PER_PAGE)
    return render_template("metering/ledger.html", items=items, total=total, page=page, per_page=PER_PAGE,
                           date_from=date_from, date_to=date_to, findings_only=findings_only)


@bp.get("/checks/life")
@permission_required(P.meter_checks_view)
def life():
    return render_template("metering/life.html", rows=services.meters_reaching_life(current_user))
