"""The metering office: bench equipment, meter tests against JJG 577, certificates and result notices
(PDF, public QR verification), batch tests of new meters, weekly in-home checks, complaint verifications."""


def init_app(app) -> None:
    from fieldsvc import api, nav
    from fieldsvc.metering import formatting, labels, models, timeline  # noqa: F401
    from fieldsvc.metering.api import blp
    from fieldsvc.metering.views import bp, public_bp
    from fieldsvc.permissions import P

    labels.register(app)
    from fieldsvc import uploads
    from fieldsvc.metering.services import equipment as equipment_services
    uploads.register_visibility(app, "equipment_calibration", equipment_services.may_see_certificate)
    timeline.register(app)
    formatting.register(app)
    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    api.register(app, blp)
    from fieldsvc import home as home_cards
    from fieldsvc.metering.services import home
    home_cards.add(app, home_cards.HomeCard("metering.summary", "metering/_home_summary.html",
                                       home.card, roles=frozenset({"metering_head", "metering_tech", "director"}),
                                       order=15, group="safety", figures=home.figure_queries))
    nav.add(app, nav.NavItem("metering.index", nav._l("Metering"), "lab", P.meter_tests_view, order=40))
