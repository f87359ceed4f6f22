"""Incident pages: the list (and emergencies not yet recorded), a new incident from its emergency order,
the record with its timeline, notifications, steps, analysis, corrective actions, and the report PDF."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.customers.services import list_districts
from fieldsvc.errors import Invalid
from fieldsvc.labels import label
from fieldsvc.management import rules, schemas
from fieldsvc.management.services import checks, incident_report, incidents
from fieldsvc.management.services.common import history
from fieldsvc.management.views import PER_PAGE, bp, page_arg, pdf_response
from fieldsvc.permissions import P, can, permission_required
from fieldsvc.web import form_page, load_form, on_record


def _districts():
    return [(str(d.id), d.name) for d in list_districts()]


def _plans():
    """The emergency plans to say which one was used (every incident handler may read them)."""
    from fieldsvc.management.services import emergency_plans
    return emergency_plans.choices(current_user) if can(current_user, P.emergency_plans_view) else []


def _local(moment) -> str:
    return moment.astimezone(clock.zone()).strftime("%Y-%m-%dT%H:%M") if moment else ""


@bp.get("/incidents")
@permission_required(P.incidents_view)
def incidents_index():
    status = request.args.get("status") or None
    if status not in {s.value for s in rules.IncidentStatus}:
        status = None
    q = request.args.get("q", "").strip()
    page = page_arg()
    items, total = incidents.list_incidents(current_user, status, q or None, page, PER_PAGE)
    pending = incidents.unlinked_emergencies(current_user, 10) if can(current_user, P.incidents_manage) else []
    return render_template("management/incidents.html", items=items, total=total, status=status, q=q, page=page,
                           per_page=PER_PAGE, pending=pending)


@bp.route("/incidents/new", methods=["GET", "POST"])
@permission_required(P.incidents_manage)
def incident_new():
    values = {"occurred_at": _local(clock.now()), "severity": "minor", "kind": "gas_leak"}
    order_id = request.args.get("order_id", type=int)
    prefill_error = {}
    if order_id and request.method == "GET":
        try:
            values = incidents.prefill_from_order(current_user, order_id)
        except Invalid as exc:
            prefill_error = exc.errors

    def process():
        incident = incidents.create_incident(current_user, load_form(schemas.IncidentIn()))
        flash(_("Incident %(number)s recorded.", number=incident.number), "success")
        return redirect(url_for("management.incident", incident_id=incident.id))
    return form_page("management/incident_form.html", process, values, incident=None, districts=_districts(),
                     plans=_plans(),
                     prefill_error=prefill_error)


@bp.route("/incidents/<int:incident_id>/edit", methods=["GET", "POST"])
@permission_required(P.incidents_manage)
def incident_edit(incident_id):
    incident = incidents.get_incident(current_user, incident_id)

    def process():
        data = load_form(schemas.IncidentPatch())
        incidents.update_incident(current_user, incident, data, data.pop("version", None))
        flash(_("Changes saved."), "success")
        return redirect(url_for("management.incident", incident_id=incident.id))
    values = {k: getattr(incident, k) for k in (*incidents.FACT_FIELDS, "version")}
    values["occurred_at"] = _local(incident.occurred_at)
    return form_page("management/incident_form.html", process, values, incident=incident, districts=_districts(),
                     plans=_plans(),
                     prefill_error={})


def _incident_page(incident, values=None, errors=None, status=200):
    now = _local(clock.now())
    return render_template(
        "management/incident.html", incident=incident, moments=incident_report.timeline(current_user, incident),
        ncs=checks.nonconformities(current_user, [a.nonconformity_id for a in incident.actions]),
        manage=can(current_user, P.incidents_manage) and incident.status != rules.IncidentStatus.closed,
        moves=incidents.available_moves(current_user, incident),
        history=history(incidents.ENTITY, incident.id), now=now, values=values or {}, errors=errors or {},
        status_label=label(incident.status, "incident_status")), status


@bp.get("/incidents/<int:incident_id>")
@permission_required(P.incidents_view)
def incident(incident_id):
    return _incident_page(incidents.get_incident(current_user, incident_id))


def _post(incident_id, process, anchor: str):
    item = incidents.get_incident(current_user, incident_id)
    return on_record(lambda **kw: _incident_page(item, **kw), lambda: process(item),
                     url_for("management.incident", incident_id=incident_id) + anchor)


@bp.post("/incidents/<int:incident_id>/orders")
@permission_required(P.incidents_manage)
def incident_link(incident_id):
    def process(item):
        data = load_form(schemas.LinkIn())
        incidents.link_order(current_user, item, data["work_order_id"])
        return _("Work order #%(id)d linked.", id=data["work_order_id"])
    return _post(incident_id, process, "#h-orders")


@bp.post("/incidents/<int:incident_id>/notifications")
@permission_required(P.incidents_manage)
def incident_notify(incident_id):
    def process(item):
        incidents.add_notification(current_user, item, load_form(schemas.NotificationIn()))
        return _("Notification recorded.")
    return _post(incident_id, process, "#h-timeline")


@bp.post("/incidents/<int:incident_id>/steps")
@permission_required(P.incidents_manage)
def incident_step(incident_id):
    def process(item):
        incidents.add_step(current_user, item, load_form(schemas.StepIn()))
        return _("Step recorded.")
    return _post(incident_id, process, "#h-timeline")


@bp.post("/incidents/<int:incident_id>/analysis")
@permission_required(P.incidents_manage)
def incident_analysis(incident_id):
    def process(item):
        incidents.record_analysis(current_user, item, load_form(schemas.AnalysisIn()))
        return _("Analysis recorded.")
    return _post(incident_id, process, "#h-analysis")


@bp.post("/incidents/<int:incident_id>/actions")
@permission_required(P.incidents_manage)
def incident_action(incident_id):
    def process(item):
        action = incidents.add_action(current_user, item, load_form(schemas.ActionIn()))
        nc = checks.nonconformities(current_user, [action.nonconformity_id]).get(action.nonconformity_id)
        return _("Corrective action raised as nonconformity %(number)s.", number=nc.number if nc else "")
    return _post(incident_id, process, "#h-actions")


@bp.post("/incidents/<int:incident_id>/transition")
@permission_required(P.incidents_manage)
def incident_transition(incident_id):
    def process(item):
        data = load_form(schemas.IncidentTransitionIn())
        incidents.transition(current_user, item, data["to"], data.get("no_action_reason"), data.get("version"))
        return _("Incident %(number)s: %(state)s.", number=item.number, state=label(item.status, "incident_status"))
    return _post(incident_id, process, "")


@bp.get("/incidents/<int:incident_id>/report.pdf")
@permission_required(P.incidents_view)
def incident_pdf(incident_id):
    item = incidents.get_incident(current_user, incident_id)
    return pdf_response(incident_report.report_pdf(current_user, item), f"incident-{item.number}.pdf")
