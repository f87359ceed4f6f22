"""Register pages: hazards and environmental aspects (list, form, detail), the risk matrix, exports."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from fieldsvc import audit, clock
from fieldsvc.hse import exports, rules, schemas
from fieldsvc.hse.services import observations, registers
from fieldsvc.hse.services.common import default_unit
from fieldsvc.hse.views import bp
from fieldsvc.hse.views.common import HSE_WRITE, PER_PAGE, any_of, page_arg, staff_options
from fieldsvc.labels import label
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import act, form_page, load_form

HAZARD_FILTERS = ("grade", "significant", "unit", "review", "q", "l", "c", "status")
ASPECT_FILTERS = ("kind", "significant", "unit", "review", "q", "status")
RESIDUAL = ("residual_l", "residual_e", "residual_c")
# On a form an emptied field means "none" (the API's PATCH leaves out what it does not change).
HAZARD_CLEARABLE = (*RESIDUAL, "owner_id", "review_on", "category", *registers.CONTROL_FIELDS)
ASPECT_CLEARABLE = ("owner_id", "review_on", "controls")


def _filters(names) -> dict:
    return {k: request.args.get(k) for k in names if request.args.get(k)}


def _form_data(schema, clearable) -> dict:
    raw = request.form.to_dict()
    if "direct_criteria" in schema.fields:
        raw["direct_criteria"] = request.form.getlist("direct_criteria")
    data = load_form(schema, raw)
    for key in clearable:
        data.setdefault(key, None)
    data.pop("client_id", None)
    return data


# --- hazards --------------------------------------------------------------------------------------

@bp.get("/hazards")
@permission_required(P.hse_view)
def hazards():
    filters = _filters(HAZARD_FILTERS)
    page = page_arg()
    items, total = registers.list_hazards(current_user, filters, page, PER_PAGE, clock.today())
    return render_template("hse/hazards.html", items=items, total=total, filters=filters, page=page,
                           per_page=PER_PAGE, today=clock.today(), review_status=rules.review_status, fmt=rules.fmt)


def _hazard_values(hazard) -> dict:
    values = {k: getattr(hazard, k) for k in registers.HAZARD_FIELDS}
    for k in ("l", "e", "c", *RESIDUAL):
        value = getattr(hazard, k)
        values[k] = rules.fmt(value) if value is not None else ""
    values["direct_criteria"] = hazard.criteria or []
    values["version"] = hazard.version
    return values


def _hazard_form(hazard=None):
    def process():
        if hazard is None:
            data = _form_data(schemas.HseHazardIn(), HAZARD_CLEARABLE)
            record = registers.create_hazard(current_user, data)
            flash(_("Hazard added to the register."), "success")
        else:
            data = _form_data(schemas.HseHazardPatch(), HAZARD_CLEARABLE)
            record = registers.update_hazard(current_user, hazard, data, data.pop("version", None))
            flash(_("Changes saved."), "success")
        return redirect(url_for("hse.hazard", hazard_id=record.id))
    observation_id = request.args.get("observation_id", type=int) if request.method == "GET" else None
    if hazard is not None:
        values = _hazard_values(hazard)
    elif observation_id:
        values = observations.prefill(current_user, observation_id)
    else:
        values = {"state": "normal", "unit": default_unit(current_user)}
    # The live D preview (hse.js) reads the bands from here, so rules.py stays the one source.
    bands = [[str(lower), grade, colour] for lower, grade, colour in rules.GRADE_BANDS]
    bands.append(["0", *rules.LOWEST_GRADE])
    words = {str(g): label(str(g), "hse_grade") for g in range(1, 6)}
    return form_page("hse/hazard_form.html", process, values, hazard=hazard, staff=staff_options(),
                     lec_bands=bands, grade_words=words)


@bp.route("/hazards/new", methods=["GET", "POST"])
@any_of(*HSE_WRITE)
def new_hazard():
    return _hazard_form()


@bp.route("/hazards/<int:hazard_id>/edit", methods=["GET", "POST"])
@any_of(*HSE_WRITE)
def edit_hazard(hazard_id):
    return _hazard_form(registers.get_hazard(current_user, hazard_id))


@bp.get("/hazards/<int:hazard_id>")
@permission_required(P.hse_view)
def hazard(hazard_id):
    record = registers.get_hazard(current_user, hazard_id)
    return render_template("hse/hazard.html", hazard=record, history=audit.history("hse_hazard", record.id),
                           review=rules.review_status(record.review_on, clock.today()), fmt=rules.fmt)


@bp.post("/hazards/<int:hazard_id>/retire")
@any_of(*HSE_WRITE)
def retire_hazard(hazard_id):
    record = registers.get_hazard(current_user, hazard_id)
    return act(lambda: registers.retire(current_user, record, request.form.get("reason", "")),
               _("Taken out of the active register."), url_for("hse.hazard", hazard_id=hazard_id))


@bp.get("/matrix")
@permission_required(P.hse_view)
def matrix():
    basis = "residual" if request.args.get("basis") == "residual" else "initial"
    svg, total = exports.matrix_svg(current_user, basis, link=True)
    return render_template("hse/matrix.html", svg=Markup(svg), basis=basis, total=total)


@bp.get("/matrix.svg")
@permission_required(P.hse_view)
def matrix_svg():
    basis = "residual" if request.args.get("basis") == "residual" else "initial"
    svg, _total = exports.matrix_svg(current_user, basis, link=False)
    return Response(svg, mimetype="image/svg+xml")


# --- aspects --------------------------------------------------------------------------------------

@bp.get("/aspects")
@permission_required(P.hse_view)
def aspects():
    filters = _filters(ASPECT_FILTERS)
    page = page_arg()
    items, total = registers.list_aspects(current_user, filters, page, PER_PAGE, clock.today())
    return render_template("hse/aspects.html", items=items, total=total, filters=filters, page=page,
                           per_page=PER_PAGE, today=clock.today(), review_status=rules.review_status)


def _aspect_form(aspect=None):
    def process():
        if aspect is None:
            data = _form_data(schemas.HseAspectIn(), ASPECT_CLEARABLE)
            record = registers.create_aspect(current_user, data)
            flash(_("Environmental aspect added to the register."), "success")
        else:
            data = _form_data(schemas.HseAspectPatch(), ASPECT_CLEARABLE)
            record = registers.update_aspect(current_user, aspect, data, data.pop("version", None))
            flash(_("Changes saved."), "success")
        return redirect(url_for("hse.aspect", aspect_id=record.id))
    observation_id = request.args.get("observation_id", type=int) if request.method == "GET" else None
    if aspect is not None:
        values = {k: getattr(aspect, k) for k in (*registers.ASPECT_FIELDS, *registers.SCORES, "version")}
    elif observation_id:
        values = {**observations.prefill(current_user, observation_id), "kind": "pollution"}
    else:
        values = {"kind": request.args.get("kind", "pollution"), "state": "normal", "unit": default_unit(current_user)}
    thresholds = {"pollution": {"total": rules.POLLUTION_TOTAL, "five": ["a", "b", "d"]},
                  "resource": {"total": rules.RESOURCE_TOTAL, "five": ["f", "g"]}}
    return form_page("hse/aspect_form.html", process, values, aspect=aspect, staff=staff_options(),
                     scales=rules.ASPECT_SCALES, thresholds=thresholds)


@bp.route("/aspects/new", methods=["GET", "POST"])
@any_of(*HSE_WRITE)
def new_aspect():
    return _aspect_form()


@bp.route("/aspects/<int:aspect_id>/edit", methods=["GET", "POST"])
@any_of(*HSE_WRITE)
def edit_aspect(aspect_id):
    return _aspect_form(registers.get_aspect(current_user, aspect_id))


@bp.get("/aspects/<int:aspect_id>")
@permission_required(P.hse_view)
def aspect(aspect_id):
    record = registers.get_aspect(current_user, aspect_id)
    return render_template("hse/aspect.html", aspect=record, history=audit.history("hse_aspect", record.id),
                           review=rules.review_status(record.review_on, clock.today()))


@bp.post("/aspects/<int:aspect_id>/retire")
@any_of(*HSE_WRITE)
def retire_aspect(aspect_id):
    record = registers.get_aspect(current_user, aspect_id)
    return act(lambda: registers.retire(current_user, record, request.form.get("reason", "")),
               _("Taken out of the active register."), url_for("hse.aspect", aspect_id=aspect_id))


# --- exports --------------------------------------------------------------------------------------

@bp.get("/export/<string:register>.<string:fmt>")
@permission_required(P.hse_view)
def export(register, fmt):
    """Every register as XLSX (for Excel) or PDF (for the noticeboard and the audit file)."""
    body, mimetype, filename = exports.export(current_user, register, fmt, clock.today())
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
