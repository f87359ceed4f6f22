"""Offline field work: form posts replayed from the phone's outbox reach the server exactly once."""


def init_app(app) -> None:
    from fieldsvc import nav
    from fieldsvc.sync import models, replay, views

    assert models  # imported for its tables

    app.register_blueprint(views.bp)
    replay.init_app(app)
    nav.add(nav.NavItem("sync.outbox", nav._l("Outbox"), "outbox", None, order=95, tab=False))
