"""Reports: the director's, station chiefs' and statistics clerk's dashboards, the KPI API and the
monthly report (XLSX, PDF). Every figure comes from reports.queries, which only reads; the one table of
its own keeps closed months' trend figures (reports.models, reports.cache)."""


def init_app(app) -> None:
    from fieldsvc import api, home, nav
    from fieldsvc.permissions import P
    from fieldsvc.reports import models  # noqa: F401  (the table, for create_all and Alembic)
    from fieldsvc.reports.api import blp
    from fieldsvc.reports.home import sold_card
    from fieldsvc.reports.views import bp

    app.register_blueprint(bp)
    api.register(app, blp)
    home.add(app, home.HomeCard("reports.sold", "reports/_home_sold.html", sold_card, P.reports_view, order=5,
                                group="sales"))
    nav.add(app, nav.NavItem("reports.index", nav._l("Dashboard"), "chart", P.reports_view, order=3))
