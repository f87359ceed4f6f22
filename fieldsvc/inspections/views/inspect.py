"""The visit on the phone: the inspector's page, the inspection form, the record of a visit, the
completion of what it lacked, the hazard notice PDF."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc import clock, pdf
from fieldsvc.customers import rules as customer_rules
from fieldsvc.customers import services as customer_services
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.inspections import schemas
from fieldsvc.inspections.services import archive, batches, checklist, common, findings, followups, recording
from fieldsvc.inspections.services import notice as notice_service
from fieldsvc.inspections.views import PER_PAGE, bp
from fieldsvc.inspections.views.forms import inspection_data, item_photos, on_form
from fieldsvc.permissions import P, permission_required
from fieldsvc.web import load_form, on_record


@bp.get("/")
@permission_required(P.inspections_record)
def mine():
    """The inspector's page: find a customer to inspect, their batches, visits still incomplete."""
    q = request.args.get("q", "").strip()
    found, total = (customer_services.search_customers(current_user, q, per_page=PER_PAGE) if q else ([], 0))
    return render_template("inspections/mine.html", q=q, found=found, total=total,
                           batches=batches.list_batches(current_user, mine=True),
                           incomplete=followups.incomplete(current_user))


def _form_context(customer):
    version = checklist.ensure_default()
    scope = recording.scope_for(current_user)
    items = checklist.items_for(version, customer.category, scope)
    appliances = [a for a in customer.appliances if a.active]
    visits = followups.visits_this_cycle(customer)
    return {"customer": customer, "items": items, "appliances": appliances,
            "expired": {a.id for a in appliances
                        if customer_rules.appliance_expired(a.kind, customer.gas, a.sold_on, clock.today())},
            "bands": common.bands(), "tries": followups.next_try(visits), "visits": visits,
            "open_hazards": archive.open_hazards(customer),
            "automatic": findings.automatic_codes(customer) & {i.code for i in items},
            "scope": scope, "outcomes": recording.outcomes_for(scope)}


@bp.route("/new/<int:customer_id>", methods=["GET", "POST"])
@permission_required(P.inspections_record)
def new(customer_id):
    customer = common.customer(customer_id)
    ctx = _form_context(customer)
    errors = {}
    if request.method == "POST":
        try:
            data = load_form(schemas.SafetyInspectionIn(),
                             inspection_data(request.form, customer.id, ctx["items"], ctx["appliances"]))
            photos = item_photos(request.files, ctx["items"]) if data["outcome"] == "completed" else {}
            inspection = recording.record(current_user, data, photos)
            flash(_("Visit recorded."), "success")
            return redirect(url_for("inspections.show", inspection_id=inspection.id))
        except Invalid as exc:
            errors = on_form(exc.errors, ctx["items"])
            # Drawn again from what is stored: a checklist seeded by this request is gone with the rollback.
            db.session.rollback()
            ctx = _form_context(common.customer(customer_id))
    values = request.form if request.method == "POST" else {"outcome": "completed", "card_left": "1"}
    return render_template("inspections/form.html", values=values, errors=errors, posted=request.method == "POST",
                           **ctx), 422 if errors else 200


@bp.get("/<int:inspection_id>")
@permission_required(P.inspections_view)
def show(inspection_id):
    return _record_page(inspection_id)


def _record_page(inspection_id: int, values=None, errors=None, status: int = 200):
    inspection = recording.get(current_user, inspection_id)
    return render_template("inspections/show.html", inspection=inspection, errors=errors or {},
                           values=values or {}), status


@bp.post("/<int:inspection_id>/complete")
@permission_required(P.inspections_record)
def complete_record(inspection_id):
    def process():
        recording.complete_record(current_user, recording.get(current_user, inspection_id),
                                  load_form(schemas.InspectionCompleteIn()))
        return _("Visit record completed.")
    return on_record(lambda values, errors, status: _record_page(inspection_id, values, errors, status), process,
                     url_for("inspections.show", inspection_id=inspection_id))


@bp.get("/<int:inspection_id>/notice.pdf")
@permission_required(P.inspections_view)
def notice(inspection_id):
    inspection = recording.get(current_user, inspection_id)
    body = pdf.render_pdf("inspections/pdf/notice.html", **notice_service.context(inspection))
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{inspection.notice_no}.pdf"'})
