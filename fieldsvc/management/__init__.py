"""Department management: policies and procedures (制度), incidents (突发事件 / 事故), annual plans and
year-end summaries, and the driver-technicians' vehicles.

The director and the office heads write and enforce the department's rules, handle incidents and plan
the year (the job charter). Corrective actions and compliance findings run as HSE nonconformities
(fieldsvc.hse.services.capa.raise_from_field); incidents read dispatch's emergency orders.
"""


def init_app(app) -> None:
    from fieldsvc import api, home, nav
    from fieldsvc.management import labels, models  # noqa: F401
    from fieldsvc.management.api import blp
    from fieldsvc.management.services import acks, vehicles
    from fieldsvc.management.views import bp
    from fieldsvc.permissions import P

    labels.register(app)
    app.register_blueprint(bp)
    api.register(app, blp)
    from fieldsvc.management import labels_emergency
    from fieldsvc.management.api_emergency import blp as emergency_blp
    labels_emergency.register(app)
    api.register(app, emergency_blp)
    nav.add(app, nav.NavItem("management.eplans_index", nav._l("Emergency plans"), "alert", P.emergency_plans_view,
                             order=69, tab=False))
    from fieldsvc.management.services import emergency_home
    home.add(app, home.HomeCard("management.eplans_review", "management/_home_eplans.html", emergency_home.review_card,
                                P.emergency_plans_manage, order=21, group="hse", figures=emergency_home.review_figures))
    nav.add(app, nav.NavItem("management.policies_index", nav._l("Policies"), "book", P.policies_view,
                        order=70, tab=False))
    nav.add(app, nav.NavItem("management.incidents_index", nav._l("Incidents"), "alert", P.incidents_view,
                        order=71, tab=False))
    nav.add(app, nav.NavItem("management.plans_index", nav._l("Annual plans"), "chart", P.plans_view,
                        order=72, tab=False))
    nav.add(app, nav.NavItem("management.vehicles_index", nav._l("Vehicles"), "car", P.vehicles_view,
                        order=73, tab=False))
    home.add(app, home.HomeCard("management.acks", "management/_home_acks.html", acks.pending_card,
                           P.policies_view, order=5, group="office", figures=acks.pending_figures))
    home.add(app, home.HomeCard("management.driver", "management/_home_driver.html", vehicles.driver_card,
                           P.vehicle_log, order=12, group="office"))
    home.add(app, home.HomeCard("management.vehicles_overdue", "management/_home_vehicles.html", vehicles.overdue_card,
                           P.vehicles_manage, order=40, group="office", figures=vehicles.overdue_figures))
