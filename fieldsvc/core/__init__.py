"""Home pages, health check, language switch, demo data, `flask audit`."""


def init_app(app) -> None:
    from fieldsvc.core import cli, pwa, views
    app.register_blueprint(views.bp)
    app.register_blueprint(pwa.bp)
    cli.register(app)
