"""Instrument pages: the register (holders: their own), an instrument with its checks, register and edit,
record a check. Handlers parse through the API's schemas and call the services; the request commits."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.instruments import rules, schemas, services
from fieldsvc.labels import options
from fieldsvc.permissions import ROLE_LABELS, P, can, permission_required
from fieldsvc.web import form_page, load_form, on_record

bp = Blueprint("instruments", __name__, url_prefix="/instruments")
PER_PAGE = 30


def _holders():
    from fieldsvc.management.services.common import staff
    return [(str(u.id), f"{u.name} · {ROLE_LABELS.get(u.role, u.role)}") for u in staff(services.holder_roles())]


@bp.get("/")
@permission_required(P.instruments_view)
def index():
    q = request.args.get("q", "").strip()[:40]
    kind = request.args.get("kind") if request.args.get("kind") in rules.KINDS else None
    page = max(request.args.get("page", 1, type=int), 1)
    items, total = services.list_instruments(current_user, q or None, kind, page=page, per_page=PER_PAGE)
    return render_template("instruments/index.html", items=items, total=total, q=q, kind=kind, page=page,
                           per_page=PER_PAGE, due_state=services.due_state, manage=services.sees_all(current_user))


@bp.route("/new", methods=["GET", "POST"])
@permission_required(P.instruments_manage)
def new():
    def process():
        instrument = services.create_instrument(current_user, load_form(schemas.InstrumentIn()))
        flash(_("Instrument %(serial)s registered.", serial=instrument.serial_no), "success")
        return redirect(url_for("instruments.show", instrument_id=instrument.id))
    return form_page("instruments/form.html", process, {"kind": "manometer", "calibrated_on": clock.today()},
                     instrument=None, holders=_holders())


@bp.route("/<int:instrument_id>/edit", methods=["GET", "POST"])
@permission_required(P.instruments_manage)
def edit(instrument_id):
    instrument = services.get_instrument(current_user, instrument_id)

    def process():
        data = load_form(schemas.InstrumentPatch())
        data.setdefault("holder_id", None)  # the blank choice: in the store, nobody holds it
        services.update_instrument(current_user, instrument, data, data.pop("version", None))
        flash(_("Changes saved."), "success")
        return redirect(url_for("instruments.show", instrument_id=instrument.id))
    values = {k: getattr(instrument, k) for k in ("kind", "serial_no", "model", "holder_id", "note", "version")}
    return form_page("instruments/form.html", process, values, instrument=instrument, holders=_holders())


def _check_kinds(instrument) -> list[tuple[str, str]]:
    """The checks the actor may record on this instrument (what the service would accept)."""
    kinds = [k for k in rules.CHECK_KINDS if rules.check_problem(instrument.kind, instrument.status, k) is None]
    if not can(current_user, P.instruments_manage):
        kinds = [k for k in kinds if k != "calibration"]
    return [(k, text) for k, text in options("instrument_check") if k in kinds]


def _page(instrument, values=None, errors=None, status=200):
    may_check = can(current_user, P.instruments_manage) or instrument.holder_id == current_user.id
    return render_template("instruments/show.html", instrument=instrument, state=services.due_state(instrument),
                           checks=services.history(current_user, instrument), today=clock.today(),
                           manage=can(current_user, P.instruments_manage),
                           check_kinds=_check_kinds(instrument) if may_check else [],
                           values=values or {}, errors=errors or {}), status


@bp.get("/<int:instrument_id>")
@permission_required(P.instruments_view)
def show(instrument_id):
    return _page(services.get_instrument(current_user, instrument_id))


@bp.post("/<int:instrument_id>/checks")
@permission_required(P.instruments_view)
def check(instrument_id):
    instrument = services.get_instrument(current_user, instrument_id)

    def process():
        services.record_check(current_user, instrument, load_form(schemas.InstrumentCheckIn()))
        return _("Check recorded.")
    return on_record(lambda **kw: _page(instrument, **kw), process,
                     url_for("instruments.show", instrument_id=instrument_id) + "#h-checks")
