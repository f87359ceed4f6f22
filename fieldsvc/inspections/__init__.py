"""Household safety inspections (入户安检): the plan and batches, the visit on the phone (checklist,
appliances, stove-front pressure, hazard notice), nobody-home and refusals, the closed hazard
rectification loop, the customer safety archive, end-of-line pressure sampling."""


def init_app(app) -> None:
    from fieldsvc import api, nav, uploads
    from fieldsvc.inspections import labels, models, rules  # noqa: F401
    from fieldsvc.inspections.api import blp
    from fieldsvc.inspections.cli import inspections_cli
    from fieldsvc.inspections.services import common, timeline
    from fieldsvc.inspections.views import bp
    from fieldsvc.permissions import P

    rules.cycle_table(app.config.get("INSPECTION_CYCLE_MONTHS"))  # a wrong override fails at start-up
    labels.register(app)
    app.register_blueprint(bp)
    api.register(app, blp)
    app.cli.add_command(inspections_cli)
    uploads.register_visibility(app, "inspection", common.inspection_visible)
    uploads.register_visibility(app, "hazard", common.hazard_visible)
    timeline.register(app)
    from fieldsvc import home as home_cards
    from fieldsvc.inspections.services import home
    home_cards.add(app, home_cards.HomeCard("inspections.figures", "inspections/_home_figures.html",
                                       home.card, order=12, group="safety", figures=home.figure_queries))
    nav.add(app, nav.NavItem("inspections.plan_index", nav._l("Inspection plan"), "shield", P.inspections_plan, order=12))
    nav.add(app, nav.NavItem("inspections.mine", nav._l("Inspections"), "shield", P.inspections_record, order=13))
    nav.add(app, nav.NavItem("inspections.hazards_index", nav._l("Hazards"), "shield", P.hazards_view_all, order=14,
                        tab=False))
    nav.add(app, nav.NavItem("inspections.rectifications", nav._l("Rectifications"), "shield", P.hazards_rectify,
                        order=6))
    nav.add(app, nav.NavItem("inspections.recheck_queue", nav._l("Hazard re-checks"), "shield", P.hazards_recheck,
                        order=44, tab=False))
    nav.add(app, nav.NavItem("inspections.sampling", nav._l("Pressure sampling"), "shield", P.pressure_sampling,
                        order=44, tab=False))
