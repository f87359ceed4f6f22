"""The instrument register (仪器仪表): gas detectors, manometers and leak detectors, who holds each, its
calibration dates and every check on it (calibration, bump test, damage, loss) as history.

The repair technician keeps and maintains the tools (工具配件保管与维护); the pressure verdicts of
inspections and jobs (RULES.md §5, §6) are only as good as the manometer that read them, so inspections
and dispatch call `pressure.check_reading` before they store a pressure: an instrument past its
calibration due date, damaged or lost is refused (422 naming `instrument_id`).
"""


def init_app(app) -> None:
    from fieldsvc import api, home, nav
    from fieldsvc.instruments import labels, models, pressure, services  # noqa: F401
    from fieldsvc.instruments.api import blp
    from fieldsvc.instruments.views import bp
    from fieldsvc.permissions import P

    labels.register(app)
    app.register_blueprint(bp)
    api.register(app, blp)
    nav.add(app, nav.NavItem("instruments.index", nav._l("Instruments"), "tools", P.instruments_view,
                             order=74, tab=False))
    home.add(app, home.HomeCard("instruments.holder", "instruments/_home_holder.html", services.holder_home_card,
                                P.instruments_view, order=30, group="safety", figures=services.holder_figures))
    # The phone forms that record a pressure (inspection, job completion) offer the actor's instruments.
    app.jinja_env.globals["instrument_choices"] = _choices
    app.jinja_env.globals["instrument_label"] = pressure.label_of


def _choices():
    from flask_login import current_user

    from fieldsvc.instruments import services
    return services.reading_choices(current_user)
