"""Offline field work: form posts replayed from the phone's outbox reach the server exactly once."""


def init_app(app) -> None:
    from fieldsvc import api, nav
    from fieldsvc.sync import api as sync_api
    from fieldsvc.sync import batch, models, replay, views

    assert models  # imported for its tables

    app.register_blueprint(views.bp)
    api.register(app, sync_api.blp)
    _register_foundation_kinds(batch)
    replay.init_app(app)
    nav.add(app, nav.NavItem("sync.outbox", nav._l("Outbox"), "outbox", None, order=95, tab=False))


def _register_foundation_kinds(batch) -> None:
    """Kinds of the foundation; field domains register theirs (readings, inspections…) the same way."""
    from fieldsvc.customers import schemas, services
    batch.register_kind("appliance", schemas.ApplianceSyncIn, services.add_appliance_by_id)
