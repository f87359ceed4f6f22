"""Home pages, health check, language switch, demo data, `flask audit`."""


def init_app(app) -> None:
    from fieldsvc.core import cli, views
    app.register_blueprint(views.bp)
    cli.register(app)
