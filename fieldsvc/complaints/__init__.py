"""Customer requests and complaints: one closed loop from the hotline to the follow-up call.

Received at once and owned by whoever first received it (首问负责制), judged, routed (with a work order
when the category calls for one), investigated, solved with the director's approval, confirmed with the
customer and followed up — with a first-contact and a resolution clock, escalation to the director,
the customer's timeline, and a monthly analysis that feeds improvement actions into HSE.
"""


def init_app(app) -> None:
    from fieldsvc import api, nav, uploads
    from fieldsvc.complaints import labels, models, rules  # noqa: F401
    from fieldsvc.complaints.api import blp
    from fieldsvc.complaints.services import access
    from fieldsvc.complaints.timeline import register as register_timeline
    from fieldsvc.complaints.views import bp, public_bp
    from fieldsvc.permissions import P

    rules.targets(app.config.get("COMPLAINT_TARGETS"))  # a wrong override fails at start-up, not mid-call
    labels.register(app)
    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    api.register(app, blp)
    uploads.register_visibility(app, access.ENTITY, access.may_see_id)
    register_timeline(app)
    from fieldsvc import home
    home.add(app, home.HomeCard("complaints.overdue", "complaints/_home_overdue.html",
                           home.as_fetched, P.complaints_handle, order=8, figures=access.overdue_figures))
    nav.add(app, nav.NavItem("complaints.index", nav._l("Complaints"), "complaint", P.complaints_handle, order=30))
    nav.add(app, nav.NavItem("complaints.mine", nav._l("My complaints"), "complaint", P.complaints_intake,
                        order=31, tab=False))
    nav.add(app, nav.NavItem("complaints.new", nav._l("Take a complaint"), "complaint", P.complaints_intake,
                        order=31, tab=False))
    nav.add(app, nav.NavItem("complaints.followups", nav._l("Complaint follow-ups"), "complaint",
                        P.complaints_handle, order=32, tab=False))
    nav.add(app, nav.NavItem("complaints.analysis", nav._l("Complaint analysis"), "chart", P.complaints_view_all,
                        order=33, tab=False))
