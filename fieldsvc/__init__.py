"""fieldsvc: the field-service app of a city gas utility's customer-service department."""
import os
from importlib import import_module
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent

# The domain packages, in registration order. Each has init_app(app) that imports its models and
# registers its blueprints, API blueprints, CLI commands, menu entries and timeline sources.
DOMAINS = ("core", "auth", "staffing", "calendar", "customers", "instruments", "metering", "dispatch", "inspections", "hse", "readings", "cardsales", "complaints", "sync", "management", "contractors", "reports")


def create_app(config: dict | None = None) -> Flask:
    """Application factory: config → extensions → domains (blueprints, API, CLI) → errors."""
    instance = (config or {}).get("INSTANCE_PATH") or os.environ.get("FIELDSVC_INSTANCE_PATH") or ROOT / "instance"
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(instance))
    from fieldsvc import config as config_module
    from fieldsvc.jsonx import NumberJSONProvider
    config_module.load(app, config)
    app.json = NumberJSONProvider(app)
    if app.config["PROXIES"]:  # behind nginx: trust its X-Forwarded-For/-Proto (HTTPS, client address)
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXIES"], x_proto=app.config["PROXIES"])
    _bound_ids(app)
    _init_extensions(app)
    from fieldsvc import api, errors, web
    web.init_app(app)  # first: its commit runs after every domain's own after_request step
    for name in DOMAINS:
        import_module(f"fieldsvc.{name}").init_app(app)
    api.init_app(app)
    errors.register(app)
    return app


def _bound_ids(app: Flask) -> None:
    """<int:…> in URLs only matches ids a database column can hold: 2**31 and above is a plain 404."""
    from werkzeug.routing import IntegerConverter

    class IdConverter(IntegerConverter):
        def __init__(self, map, *args, **kwargs):
            kwargs.setdefault("max", 2**31 - 1)
            super().__init__(map, *args, **kwargs)

    app.url_map.converters["int"] = IdConverter


def _init_extensions(app: Flask) -> None:
    from fieldsvc import cache, i18n, labels, nav, registry, security
    from fieldsvc import db as db_module
    from fieldsvc.extensions import babel, csrf, db, limiter, login_manager, migrate

    registry.init_app(app)  # what the domains register lives on the app (menu, cards, labels, …)
    cache.init_app(app)
    db.init_app(app)
    with app.app_context():
        db_module.configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"], app.config["DB_PING_IDLE_SECONDS"])
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    nav.init_app(app)
    labels.init_app(app)
    import fieldsvc.audit  # noqa: F401  (shared tables)
    import fieldsvc.idempotency  # noqa: F401
    from fieldsvc import uploads
    uploads.init_app(app)
