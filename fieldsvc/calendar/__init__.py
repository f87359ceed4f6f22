"""The working-day calendar (工作日历): statutory holidays and make-up working days (调休), kept by the
office on a page and seeded with the official schedules. Every clock that counts working days (complaint
resolution, next-working-day follow-up visits) counts with it: calendar/rules.py takes the days as an
argument, calendar/services.py loads them.
"""


def init_app(app) -> None:
    from fieldsvc import nav
    from fieldsvc.calendar import labels, models  # noqa: F401
    from fieldsvc.calendar.cli import calendar_cli
    from fieldsvc.calendar.views import bp
    from fieldsvc.permissions import P

    labels.register(app)
    app.register_blueprint(bp)
    app.cli.add_command(calendar_cli)
    nav.add(app, nav.NavItem("calendar.index", nav._l("Working-day calendar"), "book", P.calendar_manage,
                             order=92, tab=False))
