"""Nonconformity pages: the list, a new one, and the record with its workflow (analysis, actions,
effectiveness check, transitions)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import audit, clock
from fieldsvc.hse import rules, schemas
from fieldsvc.hse.services import capa
from fieldsvc.hse.views import bp
from fieldsvc.hse.views.common import HSE_WRITE, PER_PAGE, any_of, page_arg, staff_options
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import act, form_page, load_form, on_record, safe_next


@bp.get("/nonconformities")
@permission_required(P.hse_view)
def nonconformities():
    status = request.args.get("status") or None
    if status not in rules.NC_STATES:
        status = None
    open_only = request.args.get("open", "1" if status is None else "") == "1"
    fed_only = request.args.get("fed") == "1"
    page = page_arg()
    items, total = capa.list_ncs(current_user, status, open_only=open_only, fed_only=fed_only, page=page,
                                 per_page=PER_PAGE)
    return render_template("hse/nonconformities.html", items=items, total=total, status=status,
                           open_only=open_only, fed_only=fed_only, page=page, per_page=PER_PAGE)


@bp.route("/nonconformities/new", methods=["GET", "POST"])
@any_of(*HSE_WRITE)
def new_nonconformity():
    def process():
        data = load_form(schemas.NcIn())
        data.pop("client_id", None)
        nc = capa.create(current_user, data)
        flash(_("Nonconformity %(number)s raised.", number=nc.number), "success")
        return redirect(url_for("hse.nonconformity", nc_id=nc.id))
    return form_page("hse/nc_form.html", process, {"origin": request.args.get("origin", "audit")})


def _record_page(nc, values=None, errors=None, status=200):
    return render_template("hse/nonconformity.html", nc=nc, staff=staff_options(), today=clock.today(),
                           history=audit.history(capa.ENTITY, nc.id),
                           next_states=rules.NC_TRANSITIONS[nc.status], moves=capa.available_moves(current_user, nc),
                           overdue=rules.action_overdue, values=values or {}, errors=errors or {}), status


@bp.get("/nonconformities/<int:nc_id>")
@permission_required(P.hse_view)
def nonconformity(nc_id):
    return _record_page(capa.get(current_user, nc_id))


def _on_record(nc_id, process):
    """A form posted on the record page (fieldsvc.web.on_record): Invalid re-renders it from the stored
    record with the typed values (422); a conflict is flashed on the fresh record."""
    nc = capa.get(current_user, nc_id)
    return on_record(lambda **kw: _record_page(capa.get(current_user, nc_id), **kw), lambda: process(nc),
                     url_for("hse.nonconformity", nc_id=nc_id))


@bp.post("/nonconformities/<int:nc_id>/analysis")
@any_of(*HSE_WRITE)
def nc_analysis(nc_id):
    def process(nc):
        data = load_form(schemas.AnalysisIn())
        capa.record_analysis(current_user, nc, data["root_cause"], data.get("version"))
        return _("Root cause recorded.")
    return _on_record(nc_id, process)


@bp.post("/nonconformities/<int:nc_id>/actions")
@any_of(*HSE_WRITE)
def nc_add_action(nc_id):
    def process(nc):
        capa.add_action(current_user, nc, load_form(schemas.ActionIn()))
        return _("Action added.")
    return _on_record(nc_id, process)


@bp.post("/nonconformities/<int:nc_id>/effectiveness")
@any_of(*HSE_WRITE)
def nc_effectiveness(nc_id):
    def process(nc):
        data = load_form(schemas.EffectivenessIn())
        capa.record_effectiveness(current_user, nc, data["effective"], data["effectiveness_note"])
        return _("Effectiveness check recorded.")
    return _on_record(nc_id, process)


@bp.post("/nonconformities/<int:nc_id>/transition")
@any_of(*HSE_WRITE)
def nc_transition(nc_id):
    def process(nc):
        to = request.form.get("to", "")
        capa.transition(current_user, nc, to, request.form.get("version", type=int), request.form.get("reason"))
        return _("Status changed.")
    return _on_record(nc_id, process)


@bp.post("/actions/<int:action_id>/done")
@permission_required(P.hse_view)
def action_done(action_id):
    """The owner (from 'My safety') or the safety office reports an action done."""
    action = capa.get_action(current_user, action_id)
    own = url_for("hse.nonconformity", nc_id=action.nonconformity_id)
    back = safe_next(request.form.get("back")) or own  # local paths only: no open redirect

    def process():
        data = load_form(schemas.ActionDoneIn())
        capa.complete_action(current_user, action, data["done_on"], data.get("note"))
    return act(process, _("Action marked done."), back)
