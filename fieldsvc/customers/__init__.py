"""Customers, their addresses and districts, gas meters and appliances."""


def init_app(app) -> None:
    from fieldsvc import api, nav
    from fieldsvc.customers import models  # noqa: F401
    from fieldsvc.customers.api import blp
    from fieldsvc.customers.cli import customers_cli
    from fieldsvc.customers.timeline import register as register_timeline
    from fieldsvc.customers.views import bp
    from fieldsvc.permissions import P

    app.register_blueprint(bp)
    api.register(app, blp)
    app.cli.add_command(customers_cli)
    register_timeline(app)
    nav.add(app, nav.NavItem("customers.index", nav._l("Customers"), "customers", P.customers_view, order=10))
    nav.add(app, nav.NavItem("customers.meters", nav._l("Meters"), "meter", P.meters_edit, order=60, tab=False))
