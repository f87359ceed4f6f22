"""Staff, roles, login, API tokens and qualifications."""


def init_app(app) -> None:
    from fieldsvc import api, nav
    from fieldsvc.auth import models, session_cookie  # noqa: F401
    from fieldsvc.auth.api import blp
    from fieldsvc.auth.cli import users_cli
    from fieldsvc.auth.staff_views import bp as staff_bp
    from fieldsvc.auth.views import bp as auth_bp
    from fieldsvc.permissions import P

    session_cookie.init_app(app)  # no Set-Cookie from a response that did not change the session
    app.register_blueprint(auth_bp)
    app.register_blueprint(staff_bp)
    api.register(app, blp)
    app.cli.add_command(users_cli)
    nav.add(app, nav.NavItem("staff.index", nav._l("Staff"), "staff", P.staff_manage, order=80))
    nav.add(app, nav.NavItem("auth.profile", nav._l("Me"), "me", order=100))
