"""fieldsvc: the field-service app of a city gas utility's customer-service department."""
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Application factory: config → extensions → blueprints → errors → CLI."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str((config or {}).get("INSTANCE_PATH") or ROOT / "instance"))
    from fieldsvc import config as config_module
    config_module.load(app, config)
    _init_extensions(app)
    _register_blueprints(app)
    from fieldsvc import errors
    errors.register(app)
    _register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from fieldsvc import db as db_module
    from fieldsvc import i18n, labels, nav, security
    from fieldsvc.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        db_module.configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    nav.init_app(app)
    labels.init_app(app)
    _import_models()


def _import_models() -> None:
    """Every table must be known to SQLAlchemy (and Alembic) before first use."""
    import fieldsvc.audit  # noqa: F401
    import fieldsvc.auth.models  # noqa: F401
    import fieldsvc.customers.models  # noqa: F401
    import fieldsvc.idempotency  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from fieldsvc import api
    from fieldsvc.auth.staff_views import bp as staff_bp
    from fieldsvc.auth.views import bp as auth_bp
    from fieldsvc.core.views import bp as core_bp
    from fieldsvc.customers.timeline import register as register_customer_timeline
    from fieldsvc.customers.views import bp as customers_bp

    for bp in (core_bp, auth_bp, staff_bp, customers_bp):
        app.register_blueprint(bp)
    api.init_app(app)
    register_customer_timeline()


def _register_cli(app: Flask) -> None:
    from fieldsvc.auth.cli import users_cli
    from fieldsvc.core.cli import register as register_core_cli
    from fieldsvc.customers.cli import customers_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(customers_cli)
    register_core_cli(app)
