"""HSE: hazard and environmental aspect registers, field observations, objectives and programmes,
training and publicity, self-inspections, nonconformities with corrective and preventive actions."""


def init_app(app) -> None:
    from fieldsvc import api, nav, uploads
    from fieldsvc.hse import labels, models  # noqa: F401
    from fieldsvc.hse.api import blp
    from fieldsvc.hse.services import observations
    from fieldsvc.hse.views import bp
    from fieldsvc.permissions import P

    labels.register(app)
    app.register_blueprint(bp)
    api.register(app, blp)
    uploads.register_visibility(app, observations.ENTITY, observations.photo_visible)
    # The safety office works in HSE all day: a tab; everyone else gets home tiles to report and
    # to see their own actions and training.
    from fieldsvc import clock, home
    from fieldsvc.hse.services import dashboard
    home.add(app, home.HomeCard("hse.figures", "hse/_home_card.html", home.as_fetched, P.hse_view,
                           roles=frozenset({"safety_officer", "director"}), order=11, group="hse",
                           figures=lambda actor: dashboard.home_figure_queries(actor, clock.today())))
    nav.add(app, nav.NavItem("hse.index", nav._l("HSE"), "shield", P.hse_manage, order=11))
    # Unit heads keep their unit's registers (no role holds both: one menu line each).
    nav.add(app, nav.NavItem("hse.index", nav._l("HSE"), "shield", P.hse_unit, order=11, tab=False))
    nav.add(app, nav.NavItem("hse.report", nav._l("Report a hazard"), "shield", P.hse_report, order=90, tab=False))
    nav.add(app, nav.NavItem("hse.mine", nav._l("My safety"), "shield", P.hse_report, order=91, tab=False))
    from fieldsvc.hse import system  # legal register, internal audits, management review
    system.init_app(app)
