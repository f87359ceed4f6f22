"""Policy pages: the register, a policy with its versions, acknowledgements and compliance checks."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.errors import Conflict
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.management import rules, schemas
from fieldsvc.management.services import acks, checks, policies
from fieldsvc.management.services.common import history, staff
from fieldsvc.management.views import PER_PAGE, bp, page_arg, pdf_response
from fieldsvc.permissions import ROLE_LABELS, P, can, permission_required
from fieldsvc.web import act, form_page, load_form, on_record, safe_next


def _form(data) -> dict:
    """The form as a dict, with the multi-valued fields as lists."""
    values = data.to_dict()
    values["applies_to"] = data.getlist("applies_to")
    return values


def _owner_options():
    return [(str(u.id), f"{u.name} · {ROLE_LABELS.get(u.role, u.role)}") for u in staff(policies.OWNER_ROLES)]


@bp.get("/policies")
@permission_required(P.policies_view)
def policies_index():
    q = request.args.get("q", "").strip()
    page = page_arg()
    items, total = policies.list_policies(current_user, q or None, page=page, per_page=PER_PAGE)
    reviews = checks.overdue_reviews(current_user) if can(current_user, P.policies_manage) else []
    return render_template("management/policies.html", items=items, total=total, q=q, page=page, per_page=PER_PAGE,
                           pending=acks.pending(current_user), reviews=reviews, in_force=policies.in_force,
                           open_version=policies.open_version, review_due=rules.review_due, today=clock.today())


@bp.get("/acknowledgements")
@permission_required(P.policies_view)
def acknowledgements():
    return render_template("management/acknowledgements.html", pending=acks.pending(current_user),
                           done=acks.acknowledged(current_user))


@bp.route("/policies/new", methods=["GET", "POST"])
@permission_required(P.policies_manage)
def policy_new():
    def process():
        policy = policies.create_policy(current_user, load_form(schemas.PolicyIn(), _form(request.form)))
        flash(_("Policy %(number)s registered as a draft.", number=policy.number), "success")
        return redirect(url_for("management.policy", policy_id=policy.id))
    return form_page("management/policy_form.html", process, {"owner_id": current_user.id}, policy=None,
                     owners=_owner_options(), roles=list(ROLE_LABELS.items()))


@bp.route("/policies/<int:policy_id>/edit", methods=["GET", "POST"])
@permission_required(P.policies_manage)
def policy_edit(policy_id):
    policy = policies.get_policy(current_user, policy_id)
    policies.require_manage(current_user, policy)

    def process():
        data = load_form(schemas.PolicyPatch(), _form(request.form))
        policies.update_policy(current_user, policy, data, data.pop("version", None))
        flash(_("Changes saved."), "success")
        return redirect(url_for("management.policy", policy_id=policy.id))
    values = {"number": policy.number, "title": policy.title, "owner_id": policy.owner_id,
              "applies_to": policy.applies_to, "version": policy.version}
    return form_page("management/policy_form.html", process, values, policy=policy, owners=_owner_options(),
                     roles=list(ROLE_LABELS.items()))


def _policy_page(policy, values=None, errors=None, status=200):
    current = policies.in_force(policy)
    manage = policies.may_manage(current_user, policy)
    progress = acks.progress(current_user, current) if current and can(current_user, P.policies_manage) else None
    findings = [f for c in policy.checks for f in c.findings]
    # A version on its way is shown to those who see drafts (policies.get_version's rule).
    on_its_way = policies.open_version(policy) if policies.sees_all(current_user) else None
    return render_template(
        "management/policy.html", policy=policy, current=current, open_version=on_its_way,
        moves=policies.available_moves(current_user, on_its_way),
        current_moves=policies.available_moves(current_user, current),
        versions=policies.visible_versions(current_user, policy), manage=manage, progress=progress,
        acked=acks.has_acknowledged(current_user, current) if current else False,
        applies=rules.applies_to(policy.applies_to, current_user.role),
        ncs=checks.nonconformities(current_user, [f.nonconformity_id for f in findings]),
        history=history(policies.ENTITY, policy.id, skip=("policy.acknowledge",)) if manage else [], review_due=rules.review_due,
        today=clock.today(), values=values or {}, errors=errors or {}), status


@bp.get("/policies/<int:policy_id>")
@permission_required(P.policies_view)
def policy(policy_id):
    return _policy_page(policies.get_policy(current_user, policy_id))


@bp.route("/policies/versions/<int:version_id>/edit", methods=["GET", "POST"])
@permission_required(P.policies_manage)
def version_edit(version_id):
    version = policies.get_version(current_user, version_id)
    policies.require_manage(current_user, version.policy)

    def process():
        data = load_form(schemas.VersionIn())
        policies.update_version(current_user, version, data, data.pop("version", None))
        upload = request.files.get("pdf")
        if upload is not None and upload.filename:
            acks.attach_pdf(current_user, version, upload.read(), upload.filename)
        flash(_("%(v)s saved.", v=version.label), "success")
        return redirect(url_for("management.policy", policy_id=version.policy_id))
    values = {k: getattr(version, k) for k in (*policies.VERSION_FIELDS, "version")}
    return form_page("management/version_form.html", process, values, version=version, policy=version.policy,
                     max_mb=rules.PDF_MAX_BYTES // (1024 * 1024))


@bp.post("/policies/<int:policy_id>/revise")
@permission_required(P.policies_manage)
def policy_revise(policy_id):
    policy = policies.get_policy(current_user, policy_id)
    try:
        version = policies.new_revision(current_user, policy)
    except Conflict as exc:
        db.session.rollback()  # the redirect is a success to the unit of work: keep nothing of the refusal
        flash(exc.message, "error")
        return redirect(url_for("management.policy", policy_id=policy.id))
    flash(_("%(v)s started as a draft.", v=version.label), "success")
    return redirect(url_for("management.version_edit", version_id=version.id))


@bp.post("/policies/versions/<int:version_id>/transition")
@permission_required(P.policies_manage)
def version_transition(version_id):
    version = policies.get_version(current_user, version_id)
    policy = version.policy

    def process():
        data = load_form(schemas.TransitionIn())
        policies.transition(current_user, version, data["to"], data.get("reason"), data.get("version"))
        return _("%(v)s: %(state)s.", v=version.label, state=_state(version.status))
    return on_record(lambda **kw: _policy_page(policy, **kw), process,
                     url_for("management.policy", policy_id=policy.id))


def _state(status: str) -> str:
    return label(status, "policy_status")


@bp.post("/policies/versions/<int:version_id>/acknowledge")
@permission_required(P.policies_view)
def acknowledge(version_id):
    version = policies.get_version(current_user, version_id)
    back = safe_next(request.form.get("back") or url_for("management.policy", policy_id=version.policy_id)) \
        or url_for("management.acknowledgements")
    return act(lambda: acks.acknowledge(current_user, version),
               _("Acknowledged: %(number)s %(v)s.", number=version.policy.number, v=version.label), back)


@bp.get("/policies/versions/<int:version_id>/document.pdf")
@permission_required(P.policies_view)
def policy_pdf(version_id):
    version, body = acks.document(current_user, version_id)
    return pdf_response(body, f"{version.policy.number}-{version.label}.pdf")


@bp.route("/policies/<int:policy_id>/checks/new", methods=["GET", "POST"])
@permission_required(P.policies_manage)
def check_new(policy_id):
    policy = policies.get_policy(current_user, policy_id)

    def process():
        values = request.form.to_dict()
        values["findings"] = [line for line in request.form.get("findings", "").splitlines() if line.strip()]
        check = checks.record_check(current_user, policy, load_form(schemas.CheckIn(), values))
        raised = sum(1 for f in check.findings if f.nonconformity_id)
        flash(ngettext_raised(raised) if raised else _("Compliance check recorded."), "success")
        return redirect(url_for("management.policy", policy_id=policy.id) + "#h-checks")
    return form_page("management/check_form.html", process, {"checked_on": clock.today().isoformat(),
                                                             "raise_nc": "1"}, policy=policy)


def ngettext_raised(n: int) -> str:
    return ngettext("Compliance check recorded; %(num)d nonconformity raised in HSE.",
                    "Compliance check recorded; %(num)d nonconformities raised in HSE.", n)


@bp.post("/policies/findings/<int:finding_id>/raise")
@permission_required(P.policies_manage)
def finding_raise(finding_id):
    finding = checks.get_finding(current_user, finding_id)
    back = url_for("management.policy", policy_id=finding.check.policy_id) + "#h-checks"
    return act(lambda: checks.raise_finding(current_user, finding), _("Nonconformity raised in HSE."), back)
