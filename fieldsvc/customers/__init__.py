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
    _init_changes(app)


def _init_changes(app) -> None:
    """Customer change requests (过户, 销户, change of use category)."""
    from fieldsvc import api, labels, nav, uploads
    from fieldsvc.customers import change_models  # noqa: F401
    from fieldsvc.customers.change_api import blp
    from fieldsvc.customers.change_labels import GROUPS
    from fieldsvc.customers.change_views import bp
    from fieldsvc.customers.services import changes
    from fieldsvc.permissions import P

    app.register_blueprint(bp)
    api.register(app, blp)
    labels.register(app, GROUPS)
    uploads.register_visibility(app, changes.ENTITY, changes.may_see_id)
    nav.add(app, nav.NavItem("customer_changes.index", nav._l("Change requests"), "customers",
                             P.customer_changes_view, order=11, tab=False))
    from fieldsvc import home
    home.add(app, home.HomeCard("customers.changes_waiting", "customers/changes/_home_waiting.html",
                                changes.awaiting_card, P.customer_changes_approve, order=15, group="office",
                                figures=changes.awaiting_figures))
