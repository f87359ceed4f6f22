"""Meter reading on routes, tiered tariffs and bills, arrears collection (RULES.md §3–4)."""


def init_app(app) -> None:
    from fieldsvc import api, nav, uploads
    from fieldsvc.customers.services import add_timeline_source
    from fieldsvc.permissions import P
    from fieldsvc.readings import labels, models  # noqa: F401
    from fieldsvc.readings.api import blp
    from fieldsvc.readings.cli import readings_cli
    from fieldsvc.readings.services import arrears, review
    from fieldsvc.readings.timeline import SOURCES as timeline_sources
    from fieldsvc.readings.views import bp

    labels.register(app)
    app.register_blueprint(bp)
    api.register(app, blp)
    _register_sync()
    app.cli.add_command(readings_cli)
    uploads.register_visibility(app, "reading", review.reading_visible)
    uploads.register_visibility(app, "reading_skip", review.skip_visible)
    uploads.register_visibility(app, "arrears_case", arrears.case_visible)
    add_timeline_source(app, *timeline_sources)
    nav.add(app, nav.NavItem("readings.my_route", nav._l("My route"), "route", P.routes_work, order=15))
    nav.add(app, nav.NavItem("readings.review", nav._l("Readings review"), "route", P.readings_review, order=25))
    nav.add(app, nav.NavItem("readings.routes", nav._l("Routes"), "route", P.routes_view, order=26, tab=False))
    nav.add(app, nav.NavItem("readings.arrears", nav._l("Arrears"), "card", P.bills_view_all, order=27, tab=False))
    nav.add(app, nav.NavItem("readings.tampering", nav._l("Suspected tampering"), "shield", P.tampering_view,
                        order=28, tab=False))
    nav.add(app, nav.NavItem("readings.tariffs", nav._l("Tariffs"), "chart", P.tariffs_view, order=90, tab=False))
    from fieldsvc import home
    from fieldsvc.readings.services import routes
    home.add(app, home.HomeCard("readings.reader", "readings/_home_reader.html", routes.reader_today,
                           P.routes_work, order=10))
    home.add(app, home.HomeCard("readings.review", "readings/_home_review.html", home.as_fetched,
                           P.readings_review, roles=frozenset({"station_chief"}), order=30, group="sales",
                           figures=review.count_queries))


def _register_sync() -> None:
    """Readings queued on the phone may come back in a batch (POST /api/v1/sync, kind "reading"); they share
    the single API's idempotency keys and go through the same service, so the same things are refused."""
    from fieldsvc import DOMAINS
    if "sync" not in DOMAINS:
        return
    from fieldsvc.readings import schemas
    from fieldsvc.readings.api import create_reading
    from fieldsvc.sync import batch
    batch.register_kind("reading", schemas.ReadingIn, create_reading, idempotency_kind="reading")
