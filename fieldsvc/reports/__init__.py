"""Reports: the director's, station chiefs' and statistics clerk's dashboards, the KPI API and the
monthly report (XLSX, PDF). Read-only: no tables of its own; every figure comes from reports.queries."""


def init_app(app) -> None:
    from fieldsvc import api, nav
    from fieldsvc.permissions import P
    from fieldsvc.reports.api import blp
    from fieldsvc.reports.views import bp

    app.register_blueprint(bp)
    api.register(blp)
    nav.add(nav.NavItem("reports.index", nav._l("Dashboard"), "chart", P.reports_view, order=3))
