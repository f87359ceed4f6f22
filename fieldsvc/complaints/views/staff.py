"""Staff intake, the list (with the overdue ones escalated to the director) and the follow-up calls."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fieldsvc.complaints import rules, schemas
from fieldsvc.complaints.services import access, followup, intake
from fieldsvc.complaints.views import bp, district_options, photo_blobs
from fieldsvc.permissions import P, can, permission_required
from fieldsvc.web import form_page, load_form

PER_PAGE = 30
VIEWS = ("open", "overdue", "all", "mine")


@bp.get("/")
@permission_required(P.complaints_intake)
def index():
    return _list(request.args.get("view"))


@bp.get("/mine")
@permission_required(P.complaints_intake)
def mine():
    """Those I received or own (首问): a home tile for every member of staff."""
    return _list("mine")


def _list(view: str | None):
    if view not in VIEWS:
        view = "open" if can(current_user, P.complaints_view_all) else "mine"
    q = request.args.get("q", "").strip()
    category = request.args.get("category") or None
    page = max(request.args.get("page", 1, type=int), 1)
    items, total = access.list_complaints(
        current_user, category=category if category in set(rules.Category) else None,
        overdue=view == "overdue", open_only=view == "open", mine=view == "mine", q=q or None,
        page=page, per_page=PER_PAGE)
    escalated = access.overdue_list(current_user, 20) if can(current_user, P.complaints_approve) else []
    return render_template("complaints/index.html", items=items, total=total, view=view, q=q,
                           category=category, page=page, per_page=PER_PAGE, escalated=escalated)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(P.complaints_intake)
def new():
    def process():
        data = load_form(schemas.ComplaintIn())
        data.pop("client_id", None)
        complaint = intake.receive(current_user, data, photo_blobs(request.files))
        flash(_("Complaint %(no)s received. You are its owner until it is closed.",
                no=complaint.tracking_no), "success")
        return redirect(url_for("complaints.show", complaint_id=complaint.id))
    default_channel = "field" if not can(current_user, P.complaints_handle) else "hotline"
    return form_page("complaints/new.html", process, {"channel": default_channel}, districts=district_options())


@bp.get("/followups")
@permission_required(P.complaints_handle)
def followups():
    return render_template("complaints/followups.html", items=followup.followups_due(current_user))
