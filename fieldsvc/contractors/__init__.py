"""Contractors (相关方): the register of the firms working for the department (licence and expiry, scope,
contact, the staff who supervise them), their people's training (external attendees of HSE training
sessions, fieldsvc.hse.services.training_external) and permits for work on customer premises. An
expired licence blocks any work given to a contractor (services.register.assert_assignable)."""


def init_app(app) -> None:
    from fieldsvc import api, nav
    from fieldsvc.contractors import labels, models  # noqa: F401
    from fieldsvc.contractors.api import blp
    from fieldsvc.contractors.views import bp
    from fieldsvc.permissions import P

    labels.register(app)
    app.register_blueprint(bp)
    api.register(app, blp)
    nav.add(app, nav.NavItem("contractors.index", nav._l("Contractors"), "tools", P.contractors_view,
                             order=74, tab=False))
    from fieldsvc import home
    from fieldsvc.contractors.services import home as cards
    home.add(app, home.HomeCard("contractors.licences", "contractors/_home_licences.html", cards.licence_card,
                                P.contractors_manage, order=20, group="hse", figures=cards.licence_figures))
